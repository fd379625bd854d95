import { datasetFieldId, datasetId, jobId, parseNodeId } from '@lineage-hub/model';

/**
 * Which lineage nodes a JSON answer refers to, found by shape rather than per endpoint, so every read path
 * (Marquez records, lineage graphs, impact, OpenLineage events, findings, alerts) is covered by one rule:
 * - a string that is a dataset/job/datasetField node id;
 * - an object whose `id` is a node id (graph and impact nodes) or `{namespace, name}` (Marquez dataset/job records);
 * - an object with `nodeId`, `namespace` and `name` (search hits);
 * - `{namespace, name, field}` (a column: column lineage `inputFields`);
 * - `{namespace, name}` under a key that says what it is (`job`, `jobVersion`: a job; `inputs`, `outputs`,
 *   `datasetVersionId`, `dataset`: a dataset); anywhere else it may be either, and both ids are checked.
 */
const NODE_PREFIX = /^(dataset|job|datasetField):/;
const JOB_KEYS = new Set(['job', 'jobs', 'jobVersion', 'jobId', 'parentJob']);
const DATASET_KEYS = new Set(['inputs', 'outputs', 'datasetVersionId', 'dataset', 'datasets', 'inputDatasetVersions', 'outputDatasetVersions']);

/** Parsed node ids, remembered (an answer names the same ids many times; bounded, cleared when full). */
const PARSED = new Map<string, ReturnType<typeof parseNodeId> | null>();
const PARSED_MAX = 200_000;

/** parseNodeId, remembered; null when the string is not a node id. */
export function parsedNodeId(value: string): ReturnType<typeof parseNodeId> | null {
  let parsed = PARSED.get(value);
  if (parsed !== undefined) return parsed;
  try {
    parsed = parseNodeId(value);
  } catch {
    parsed = null;
  }
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(value, parsed);
  return parsed;
}

/** The node id a string is, or null (run ids and other text are not nodes). */
export function nodeIdOfString(value: string): string | null {
  if (!NODE_PREFIX.test(value)) return null;
  const parsed = parsedNodeId(value);
  return parsed && parsed.kind !== 'run' ? value : null;
}

const str = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
type Obj = Record<string, unknown>;

/** Marquez dataset (and dataset version) records carry a source, a physical name or fields; job records do not. */
const looksLikeDataset = (o: Obj): boolean => 'sourceName' in o || 'physicalName' in o || ('fields' in o && !('latestRun' in o));

/** The node ids an object stands for (empty when it is not a node record), given the key it sits under. */
export function nodeIdsOfObject(o: Obj, key: string | null): string[] {
  if (str(o.id)) {
    const id = nodeIdOfString(o.id);
    return id ? [id] : [];
  }
  if (o.id && typeof o.id === 'object') {
    const ref = o.id as Obj;
    if (str(ref.namespace) && str(ref.name)) return [looksLikeDataset(o) ? datasetId(ref.namespace, ref.name) : jobId(ref.namespace, ref.name)];
  }
  if (!str(o.namespace) || !str(o.name)) return [];
  if (str(o.nodeId)) {
    const id = nodeIdOfString(o.nodeId);
    if (id) return [id];
  }
  if (str(o.field)) return [datasetFieldId(o.namespace, o.name, o.field)];
  if (key !== null && JOB_KEYS.has(key)) return [jobId(o.namespace, o.name)];
  if (key !== null && DATASET_KEYS.has(key)) return [datasetId(o.namespace, o.name)];
  if (looksLikeDataset(o)) return [datasetId(o.namespace, o.name)];
  return [datasetId(o.namespace, o.name), jobId(o.namespace, o.name)];
}

/** A JSON object (not a class instance such as a stream or a response: those are not answers to redact). */
export const isPlainObject = (value: unknown): value is Obj => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Every node id a JSON value refers to (strings and records, at any depth). */
export function collectNodeIds(body: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown, key: string | null): void => {
    if (typeof value === 'string') {
      const id = nodeIdOfString(value);
      if (id) found.add(id);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, key);
    } else if (isPlainObject(value)) {
      for (const id of nodeIdsOfObject(value, key)) found.add(id);
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  walk(body, null);
  return found;
}

/** The dataset a node id belongs to (itself for datasets; the dataset of a column), or null for jobs. */
export function datasetOf(id: string): string | null {
  const parsed = parsedNodeId(id);
  if (!parsed) return null;
  if (parsed.kind === 'dataset') return id;
  if (parsed.kind === 'datasetField') return datasetId(parsed.namespace, parsed.name);
  return null;
}
