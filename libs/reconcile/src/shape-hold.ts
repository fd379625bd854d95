/**
 * Holds the latest instance of each class whose instances an evaluation makes and drops (a dataset's run timeline,
 * cadence and result, the coverage and policy indexes). V8 collects a hidden class (map) that no live object has at
 * a major gc and deoptimizes every optimized function that checks it ("reason: weak objects" in --trace-deopt):
 * with all of an evaluation's instances garbage once it ends, an incremental evaluation after a major gc ran the
 * rules in unoptimized code until V8 optimized them again (~60 of the rules' functions deoptimized per round in
 * the findings bench). One instance held per class keeps its map, and so the optimized code.
 */
const held = new Map<unknown, object>();

/** Call from the constructor: `instance` replaces the one held for its class (one per class, never more). */
export const holdShape = (instance: object): void => {
  held.set(instance.constructor, instance);
};
