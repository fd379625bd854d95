/**
 * What a batch's facts fold into before they are written: one aggregate per dataset, version and job, merged so the
 * result never depends on the order of the events (the later fact by event time wins; ties are broken by value).
 * A dataset's and a job's facets are decided one by one (each keeps the time it was set: mergeFacets), so a batch
 * merges into a stored row by the same rule as its events merge among themselves.
 */
import type { NodeId } from '@lineage-hub/model';
import { canonicalJson, digest } from '../derive/canonical-json';
import { datasetDescription, datasetSourceName, type DatasetFact } from '../derive/dataset-facts.derivation';
import { jobDescription, jobLocation, jobType, type JobFact } from '../derive/event-derivation';
import type { FieldRecord } from '../lineage-store.port';
import { datasetValuesFromRow } from './dataset-row.codec';
import { json, num, parse, type Row } from './row-codec';

/** Newer of two facts by time; ties go to the larger canonical JSON so the choice never depends on order. */
export const newerOf = <T extends { at: number }>(a: T, b: T, key: (x: T) => string): T => {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return key(a) >= key(b) ? a : b;
};

/** An aggregate whose facets are decided facet by facet (mergeFacets). */
export interface FacetSightings {
  updatedAt: number;
  facets: Record<string, unknown>;
  /** When each facet was set (its sighting's event time); null: every facet at updatedAt (one sighting). */
  facetsAt: Record<string, number> | null;
}

export interface DatasetAgg extends FacetSightings {
  id: NodeId;
  namespace: string;
  name: string;
  createdAt: number;
  sourceName: string | null;
  description: string | null;
  fields: FieldRecord[];
  currentVersion: string | null;
  versionAt: number | null;
  lifecycleState: string | null;
  lifecycleAt: number | null;
  /** The latest event time that wrote it (an output); 0: none did. Stored as dataset_times.updated_at. */
  writtenAt: number;
}

export interface VersionAgg {
  datasetId: NodeId;
  version: string;
  createdAt: number;
  fields: FieldRecord[];
  runId: string | null;
  facets: Record<string, unknown>;
}

export interface JobAgg extends FacetSightings {
  id: NodeId;
  namespace: string;
  name: string;
  /** Views of its jobType, documentation and sourceCodeLocation facets (event-derivation.ts). */
  type: string;
  createdAt: number;
  description: string | null;
  location: string | null;
}


/**
 * The later of two sightings by `at` (one without a time never wins over one with); at one time the larger `value`
 * wins, so the choice never depends on which came first.
 */
const laterSighting = <T>(a: T, b: T, at: (x: T) => number | null, value: (x: T) => string): T => {
  const ta = at(a);
  const tb = at(b);
  if (ta === null) return b;
  if (tb === null) return a;
  if (ta !== tb) return ta > tb ? a : b;
  return value(a) >= value(b) ? a : b;
};

/** A dataset's current version and its fields, by one value (its fields only matter between sightings of one version). */
const versionValue = (d: DatasetAgg): string => `${d.currentVersion ?? ''}\u0000${json(d.fields)}`;

/** The time an aggregate's facet was set. */
export const facetAt = (d: FacetSightings, key: string): number => d.facetsAt?.[key] ?? d.updatedAt;

/**
 * Each facet from the sighting that set it last (by event time); at one time the larger canonical value wins, so
 * the facets depend neither on the order of the events nor on how they were batched. Keys in insertion order
 * (stored sorted: facetPrints).
 */
export const mergeFacets = (a: FacetSightings, b: FacetSightings): { facets: Record<string, unknown>; facetsAt: Record<string, number> } => {
  const facets: Record<string, unknown> = {};
  const facetsAt: Record<string, number> = {};
  for (const key of Object.keys(a.facets)) {
    facets[key] = a.facets[key];
    facetsAt[key] = facetAt(a, key);
  }
  for (const key of Object.keys(b.facets)) {
    const at = facetAt(b, key);
    const known = facetsAt[key];
    const value = b.facets[key];
    if (known !== undefined && (at < known || (at === known && !largerValue(value, facets[key])))) continue;
    facets[key] = value;
    facetsAt[key] = at;
  }
  return { facets, facetsAt };
};

const largerValue = (x: unknown, y: unknown): boolean => x !== y && canonicalJson(x) > canonicalJson(y);

export const mergeDataset = (a: DatasetAgg, b: DatasetAgg): DatasetAgg => {
  const { facets, facetsAt } = mergeFacets(a, b);
  const versionWinner = laterSighting(a, b, (d) => d.versionAt, versionValue);
  const lifecycleWinner = laterSighting(a, b, (d) => d.lifecycleAt, (d) => d.lifecycleState ?? '');
  return {
    id: a.id,
    namespace: a.namespace,
    name: a.name,
    createdAt: Math.min(a.createdAt, b.createdAt),
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
    facets,
    facetsAt,
    // views of the dataSource and documentation facets, so they go with them
    sourceName: datasetSourceName(facets),
    description: datasetDescription(facets),
    fields: versionWinner.fields,
    currentVersion: versionWinner.currentVersion,
    versionAt: versionWinner.versionAt,
    lifecycleState: lifecycleWinner.lifecycleState,
    lifecycleAt: lifecycleWinner.lifecycleAt,
    writtenAt: Math.max(a.writtenAt, b.writtenAt),
  };
};

export const datasetAgg = (fact: DatasetFact): DatasetAgg => ({
  id: fact.id,
  namespace: fact.namespace,
  name: fact.name,
  createdAt: fact.at,
  updatedAt: fact.at,
  facets: fact.facets,
  facetsAt: null,
  sourceName: fact.sourceName,
  description: fact.description,
  fields: fact.fields ?? [],
  currentVersion: fact.version,
  versionAt: fact.version ? fact.at : null,
  lifecycleState: fact.lifecycleState,
  lifecycleAt: fact.lifecycleState ? fact.at : null,
  writtenAt: fact.runId !== null ? fact.at : 0,
});

/**
 * The last print of each facet by owner (a dataset or job id) and facet key, with the value JSON it was made from (a
 * pure memo: one key and value JSON always give one print). An owner seen again with the same facet values, as most
 * are, is answered by comparing each value's JSON with the one remembered, without building and hashing its entry:
 * md5 and a memo by entry text took over half of facetPrints' time, and that memo (4,096 entries) held too few
 * facets for a few thousand datasets to be found in it again. Bounded by the characters it holds.
 */
const lastPrints = new Map<NodeId, Map<string, { value: string; print: string }>>();
let lastPrintsChars = 0;
const LAST_PRINTS_CHARS = 16_000_000;
/** Longer values are hashed each time (not held). */
const PRINT_MEMO_MAX_CHARS = 16_384;

const facetPrint = (owner: NodeId, key: string, quotedKey: string, value: string): string => {
  let ofOwner = lastPrints.get(owner);
  const known = ofOwner?.get(key);
  if (known !== undefined && known.value === value) return known.print;
  const print = digest('md5', `${quotedKey}:${value}`, 'base64');
  if (value.length > PRINT_MEMO_MAX_CHARS) return print;
  if (lastPrintsChars + value.length > LAST_PRINTS_CHARS) {
    lastPrints.clear();
    lastPrintsChars = 0;
    ofOwner = undefined;
  } else if (known !== undefined) lastPrintsChars -= known.value.length;
  if (ofOwner === undefined) lastPrints.set(owner, (ofOwner = new Map()));
  ofOwner.set(key, { value, print });
  lastPrintsChars += value.length;
  return print;
};

/**
 * A facets object's JSON (the text JSON.stringify gives) and one fingerprint per facet (md5 of its key and value JSON,
 * base64, so never a ','), built from the same per-facet JSON. A row's facets_fp lists the prints of the facets it
 * stores: a batch whose every facet print is in that list merges into nothing new (each of its facets is stored with
 * that very value), so the row need not be read or rewritten, whichever side is newer. Not canonical: the same
 * value with another key order only costs a rewrite. `owner`: the dataset or job the facets belong to (facetPrint's memo).
 */
export const facetPrints = (owner: NodeId, facets: Record<string, unknown>, sortKeys = false): { json: string; prints: string } => {
  let out = '';
  const prints: string[] = [];
  const keys = Object.keys(facets);
  if (sortKeys) keys.sort();
  for (const key of keys) {
    const value = JSON.stringify(facets[key]);
    if (value === undefined) continue; // dropped, as JSON.stringify drops it
    const quotedKey = JSON.stringify(key);
    out += out.length === 0 ? `${quotedKey}:${value}` : `,${quotedKey}:${value}`;
    prints.push(facetPrint(owner, key, quotedKey, value));
  }
  return { json: `{${out}}`, prints: prints.sort().join(',') };
};

/** Every print of `batch` (a facetPrints list) is in `stored`. Old rows hold a whole-object md5 and never match. */
export const printsCovered = (batch: string, stored: unknown): boolean => {
  if (typeof stored !== 'string') return false;
  if (batch.length === 0) return true;
  for (const print of batch.split(',')) if (!stored.includes(print)) return false;
  return true;
};

/**
 * The sighting a version's row comes from, whole (its time, fields, facets and run): the earliest; at one time one
 * with a run before one without, then the smaller run id, then the smaller fields and facets. One rule for a batch
 * (mergeVersion) and for a batch against the stored row (writeVersions), so the row depends neither on the order of
 * the events nor on how they were batched. A version's fields can differ between its sightings (descriptions and
 * tags are not part of its id).
 */
export const firstSighting = (a: VersionAgg, b: VersionAgg): VersionAgg => {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? a : b;
  if (a.runId !== b.runId) {
    if (a.runId === null || b.runId === null) return a.runId === null ? b : a;
    return a.runId < b.runId ? a : b;
  }
  return sightingValue(a) <= sightingValue(b) ? a : b;
};

const sightingValue = (v: VersionAgg): string => `${json(v.fields)}\u0000${canonicalJson(v.facets)}`;

export const mergeVersion = firstSighting;

/** A job's facets facet by facet, as a dataset's (mergeFacets); its type, description and location go with them. */
export const mergeJob = (a: JobAgg, b: JobAgg): JobAgg => {
  const { facets, facetsAt } = mergeFacets(a, b);
  return {
    id: a.id,
    namespace: a.namespace,
    name: a.name,
    type: jobType(facets),
    createdAt: Math.min(a.createdAt, b.createdAt),
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
    facets,
    facetsAt,
    description: jobDescription(facets),
    location: jobLocation(facets),
  };
};

export const jobAgg = (fact: JobFact): JobAgg => ({
  id: fact.id,
  namespace: fact.namespace,
  name: fact.name,
  type: fact.type,
  createdAt: fact.at,
  updatedAt: fact.at,
  description: fact.description,
  location: fact.location,
  facets: fact.facets,
  facetsAt: null,
});

export const mergeInto = <K, V>(map: Map<K, V>, key: K, value: V, merge: (a: V, b: V) => V) => {
  const known = map.get(key);
  map.set(key, known === undefined ? value : merge(known, value));
};

/**
 * A dataset's or job's facet times as stored (dataset_times.facets_at, jobs.facets_at): JSON {facet: time} in sorted
 * key order, for the facets it stores. Rows written before the column hold null: their facets count as set at
 * updated_at.
 */
export const facetTimesColumn = (d: FacetSightings): string => {
  const times: Record<string, number> = {};
  for (const key of Object.keys(d.facets)) if (d.facets[key] !== undefined) times[key] = facetAt(d, key);
  return facetTimesText(times);
};

/** Facet times as stored: JSON {facet: time} in sorted key order. */
export const facetTimesText = (times: Record<string, number>): string =>
  `{${Object.keys(times).sort().map((key) => `${JSON.stringify(key)}:${times[key]}`).join(',')}}`;

/** A stored dataset row (joined with its times) as an aggregate, to merge a batch into. */
export const datasetAggFromRow = (r: Row): DatasetAgg => ({
  ...datasetValuesFromRow(r),
  facetsAt: typeof r.facets_at === 'string' ? parse<Record<string, number>>(r.facets_at, {}) : null,
  versionAt: num(r.version_at),
  lifecycleAt: num(r.lifecycle_at),
  writtenAt: Number(r.updated_at),
});
