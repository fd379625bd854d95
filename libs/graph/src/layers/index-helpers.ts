/** Constants, the walk record and small typed-array and validation helpers shared by the index's layers. */
import { invalidArgument } from '@lineage-hub/model';

/** The largest depth or seed distance accepted (keeps (distance, rank) sort keys exact in a double). */
export const MAX_TRAVERSAL_DEPTH = 1_000_000;

export const RANK_SPAN = 2 ** 31;
export const WALK_DATASET_DOWN = 1;
export const WALK_DATASET_UP = 2;
export const WALK_COLUMN_DOWN = 4;
export const WALK_COLUMN_UP = 8;
export const DATASET_WALKS = WALK_DATASET_DOWN | WALK_DATASET_UP;
export const COLUMN_WALKS = WALK_COLUMN_DOWN | WALK_COLUMN_UP;
export const FRONTIER = 16;

export interface Walk {
  bit: number;
  column: boolean;
  downstream: boolean;
  limit: number;
  /** Its seeds: seedNode/seedDist[seedStart, seedEnd), sorted by (distance, node). */
  seedStart: number;
  seedEnd: number;
}

export const newWalk = (): Walk => ({ bit: 0, column: false, downstream: false, limit: 0, seedStart: 0, seedEnd: 0 });

/** An integer in [min, max] (the cheap check; the require* helpers build the error). */
export const isIntIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

export const growInt32 = (a: Int32Array, capacity: number, fill: number): Int32Array => {
  if (a.length >= capacity) return a;
  const b = new Int32Array(capacity).fill(fill);
  b.set(a);
  return b;
};

export const growUint32 = (a: Uint32Array, capacity: number): Uint32Array => {
  if (a.length >= capacity) return a;
  const b = new Uint32Array(capacity);
  b.set(a);
  return b;
};

export const requireInt = (value: unknown, field: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
};

export const requireTime = (value: unknown, field: string, nullable: boolean): void => {
  if (nullable && value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(field, `expected epoch milliseconds, got ${JSON.stringify(value)}`);
};
