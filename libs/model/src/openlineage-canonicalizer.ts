/**
 * Rewrites every dataset reference in an OpenLineage event to its canonical `{namespace, name}` (see naming.ts):
 * inputs, outputs, a DatasetEvent's dataset, and the references inside the standard facets (symlinks
 * identifiers, columnLineage inputFields and dataset entries, lineage facet inputs and entries,
 * lifecycleStateChange previousIdentifier). Job and run references are kept. The input is never mutated.
 */
import { canonicalDataset } from './naming';
import type { OpenLineageEvent, OpenLineageEventKind } from './openlineage.types';

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A `{namespace, name}` holder with both as strings gets them canonicalised; anything else is returned as is. */
const canonicalRef = <T>(ref: T): T => {
  if (!isObject(ref) || typeof ref.namespace !== 'string' || typeof ref.name !== 'string') return ref;
  const { namespace, name } = canonicalDataset(ref.namespace, ref.name);
  return namespace === ref.namespace && name === ref.name ? ref : ({ ...ref, namespace, name } as T);
};

const mapArray = (value: unknown, fn: (item: unknown) => unknown): unknown =>
  Array.isArray(value) ? value.map(fn) : value;

const mapValues = (value: unknown, fn: (item: unknown) => unknown): unknown => {
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value)) out[key] = fn(value[key]);
  return out;
};

/** A copy of `object` with `key` replaced by `fn(object[key])`, when `object[key]` is an object. */
const withObject = (object: Json, key: string, fn: (value: Json) => Json): Json =>
  isObject(object[key]) ? { ...object, [key]: fn(object[key] as Json) } : object;

/** LineageFacet 1-0-0 inputs: only `type: DATASET` sources name datasets. */
const lineageInput = (input: unknown): unknown =>
  isObject(input) && input.type === 'DATASET' ? canonicalRef(input) : input;

const lineageFields = (fields: unknown): unknown =>
  mapValues(fields, (entry) => (isObject(entry) ? { ...entry, inputs: mapArray(entry.inputs, lineageInput) } : entry));

const lineageTarget = (entry: unknown): unknown => {
  if (!isObject(entry)) return entry;
  const target = entry.type === 'DATASET' ? canonicalRef(entry) : { ...entry };
  if ('inputs' in target) target.inputs = mapArray(target.inputs, lineageInput);
  if ('fields' in target) target.fields = lineageFields(target.fields);
  return target;
};

const datasetFacets = (facets: Json): Json => {
  let out = withObject(facets, 'symlinks', (f) => ({ ...f, identifiers: mapArray(f.identifiers, canonicalRef) }));
  out = withObject(out, 'columnLineage', (f) => {
    const next: Json = {
      ...f,
      fields: mapValues(f.fields, (entry) =>
        isObject(entry) ? { ...entry, inputFields: mapArray(entry.inputFields, canonicalRef) } : entry,
      ),
    };
    if ('dataset' in f) next.dataset = mapArray(f.dataset, canonicalRef);
    return next;
  });
  out = withObject(out, 'lineage', (f) => lineageTarget(f) as Json);
  out = withObject(out, 'lifecycleStateChange', (f) =>
    'previousIdentifier' in f ? { ...f, previousIdentifier: canonicalRef(f.previousIdentifier) } : f,
  );
  return out;
};

const jobFacets = (facets: Json): Json =>
  withObject(facets, 'lineage', (f) => ({ ...f, entries: mapArray(f.entries, lineageTarget) }));

const dataset = (value: unknown): unknown => {
  const ref = canonicalRef(value);
  return isObject(ref) && isObject(ref.facets) ? { ...ref, facets: datasetFacets(ref.facets) } : ref;
};

/** The event with every dataset reference canonical. `kind` is the validated kind of `event`. */
export const canonicalizeEvent = <E extends OpenLineageEvent>(event: E, kind: OpenLineageEventKind): E => {
  const out: Json = { ...(event as unknown as Json) };
  if (kind === 'DatasetEvent') {
    out.dataset = dataset(out.dataset);
    return out as unknown as E;
  }
  if ('inputs' in out) out.inputs = mapArray(out.inputs, dataset);
  if ('outputs' in out) out.outputs = mapArray(out.outputs, dataset);
  if (isObject(out.job) && isObject(out.job.facets)) out.job = { ...out.job, facets: jobFacets(out.job.facets) };
  return out as unknown as E;
};
