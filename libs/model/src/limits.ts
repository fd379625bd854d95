/**
 * The size limits of what the hub accepts, stated once. Every edge (shard ingest, the batch endpoint, the gateway's
 * routing, connectors) and both stores enforce these same numbers through the functions below, so SQLite and
 * PostgreSQL agree on what is valid and nothing reaches a database index it does not fit (PostgreSQL's B-tree rows
 * hold at most ~2,700 bytes). A breach is DomainError('invalid-argument') naming the field (a 4xx at the edge).
 *
 * Lengths are UTF-8 bytes. Strings must be well-formed Unicode without NUL: a lone UTF-16 surrogate (what invalid
 * UTF-8 or a bare `\ud800` escape decodes to) or U+0000 is refused wherever it occurs, keys included.
 */
import { DomainError } from './errors';

export const LIMITS = {
  /** A namespace (job or dataset). */
  namespaceBytes: 512,
  /** A job or dataset name. */
  nameBytes: 1024,
  /** A run id (OpenLineage requires a UUID: 36 bytes). */
  runIdBytes: 256,
  /** Any node id the store derives (dataset:{ns}:{name}, datasetField:{ns}:{name}:{field}, job:...): what an index row can hold. */
  nodeIdBytes: 2048,
  /** Nesting depth of an event (the event object is depth 1; facets live a few levels down). */
  eventDepth: 64,
  /** Approximate JSON size of one facet (string lengths + keys + a few bytes per value). */
  facetBytes: 1_048_576,
  /** Inputs, and outputs, of one event (each list). */
  datasetsPerEvent: 100_000,
  /** Events in one batch (one store transaction). */
  eventsPerBatch: 10_000,
} as const;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

const tooLong = (field: string, limit: number) => new DomainError('invalid-argument', `${field}: longer than ${limit} bytes (UTF-8)`, field, { limit });

/** NUL or a lone surrogate in `text`, or null when the text is storable. */
const badCharacter = (text: string): string | null => {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'holds a NUL character (U+0000)';
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return 'is not valid UTF-8 (a lone surrogate)';
    }
  }
  return null;
};

/** Fast path: most strings hold neither NUL nor surrogates. */
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** A string field with a byte limit; absent/non-string values are the schema validator's business. */
export const checkTextLimit = (field: string, value: unknown, limitBytes: number): void => {
  if (typeof value !== 'string') return;
  if (value.length > limitBytes || (value.length * 3 > limitBytes && utf8Bytes(value) > limitBytes)) throw tooLong(field, limitBytes);
  if (SUSPECT.test(value)) {
    const bad = badCharacter(value);
    if (bad) throw new DomainError('invalid-argument', `${field}: ${bad}`, field);
  }
};

/** A node id the store is about to index. */
export const checkNodeIdLimit = (field: string, id: string): void => checkTextLimit(field, id, LIMITS.nodeIdBytes);

export const checkBatchLimit = (field: string, count: number): void => {
  if (count > LIMITS.eventsPerBatch) {
    throw new DomainError('invalid-argument', `${field}: ${count} events in one batch, more than ${LIMITS.eventsPerBatch}`, field, { limit: LIMITS.eventsPerBatch });
  }
};

const pathOf = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key.slice(0, 64))}]`;

/** A value on the walk's stack; its path is built from the parents only when an error names it. */
interface Frame {
  value: unknown;
  parent: Frame | null;
  key: string | number;
  depth: number;
  facet: FacetSize | null;
}

interface FacetSize {
  frame: Frame;
  bytes: number;
}

const FACET_MAPS = new Set(['facets', 'inputFacets', 'outputFacets']);

const pathTo = (frame: Frame, rootPath: string): string => {
  const keys: Array<string | number> = [];
  for (let f: Frame | null = frame; f.parent; f = f.parent) keys.push(f.key);
  let path = rootPath;
  for (let i = keys.length - 1; i >= 0; i -= 1) path = pathOf(path, keys[i]);
  return path;
};

/**
 * Every string and key of `value` (iteratively: no recursion, any depth), for NUL and lone surrogates, the nesting
 * depth, and the approximate size of each facet (objects under a `facets`, `inputFacets` or `outputFacets` key).
 * Paths are built only for the error (this runs on every ingested event: a string per value was most of its cost).
 */
const walk = (root: unknown, rootPath: string): void => {
  const stack: Frame[] = [{ value: root, parent: null, key: '', depth: 1, facet: null }];
  const facetBytes = (facet: FacetSize | null, n: number) => {
    if (!facet) return;
    facet.bytes += n;
    if (facet.bytes > LIMITS.facetBytes) throw tooLong(pathTo(facet.frame, rootPath), LIMITS.facetBytes);
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth, facet } = frame;
    if (typeof value === 'string') {
      facetBytes(facet, value.length + 2);
      if (SUSPECT.test(value)) {
        const bad = badCharacter(value);
        if (bad) {
          const path = pathTo(frame, rootPath);
          throw new DomainError('invalid-argument', `${path}: ${bad}`, path);
        }
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      facetBytes(facet, 8);
      continue;
    }
    if (depth > LIMITS.eventDepth) {
      const field = facet ? pathTo(facet.frame, rootPath) : pathTo(frame, rootPath).slice(0, 200); // the facet, not a path 10,000 segments long
      throw new DomainError('invalid-argument', `${field}: nested deeper than ${LIMITS.eventDepth} levels`, field, { limit: LIMITS.eventDepth });
    }
    if (Array.isArray(value)) {
      facetBytes(facet, 2 + value.length);
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], parent: frame, key: i, depth: depth + 1, facet });
      continue;
    }
    // what the path regex /(^|\.)(facets|inputFacets|outputFacets)$/ said: the object's own key is one of those
    const isFacetMap = facet === null && frame.parent !== null && typeof frame.key === 'string' && FACET_MAPS.has(frame.key);
    for (const key of Object.keys(value)) {
      if (SUSPECT.test(key)) {
        const bad = badCharacter(key);
        if (bad) {
          const path = pathTo(frame, rootPath);
          throw new DomainError('invalid-argument', `${path}: a key ${bad}`, path); // the key itself is not printable
        }
      }
      facetBytes(facet, key.length + 4);
      const child: Frame = { value: (value as Record<string, unknown>)[key], parent: frame, key, depth: depth + 1, facet: null };
      child.facet = isFacetMap ? { frame: child, bytes: 0 } : facet;
      stack.push(child);
    }
  }
};

const checkDatasets = (field: string, list: unknown): void => {
  if (!Array.isArray(list)) return;
  if (list.length > LIMITS.datasetsPerEvent) {
    throw new DomainError('invalid-argument', `${field}: ${list.length} datasets, more than ${LIMITS.datasetsPerEvent}`, field, { limit: LIMITS.datasetsPerEvent });
  }
  for (let i = 0; i < list.length; i += 1) {
    const d = list[i] as Record<string, unknown> | null;
    if (typeof d !== 'object' || d === null) continue;
    checkTextLimit(`${field}[${i}].namespace`, d.namespace, LIMITS.namespaceBytes);
    checkTextLimit(`${field}[${i}].name`, d.name, LIMITS.nameBytes);
  }
};

/**
 * An OpenLineage event (RunEvent, JobEvent or DatasetEvent) within the limits: names, namespaces and the run id
 * short enough, a RunEvent's run id not empty, at most LIMITS.datasetsPerEvent inputs and outputs, no string or key
 * with NUL or a lone surrogate, nesting and facet size bounded. Throws DomainError('invalid-argument', field).
 */
export const checkEventLimits = (event: unknown): void => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return;
  checkEventFieldLimits(event);
  walk(event, '');
};

/**
 * The part of checkEventLimits that reads named fields only (run id, job and dataset names, dataset counts), without
 * the walk over every value. For a caller that has established what the walk checks in another way (the store reads
 * it from the event's canonical JSON, libs/store ingest-limits.ts); anyone else calls checkEventLimits.
 */
export const checkEventFieldLimits = (event: unknown): void => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return;
  const e = event as Record<string, any>;
  if (typeof e.run === 'object' && e.run !== null) {
    const runId = e.run.runId;
    if (typeof runId === 'string' && runId.trim().length === 0) throw new DomainError('invalid-argument', 'run.runId: must not be empty', 'run.runId');
    checkTextLimit('run.runId', runId, LIMITS.runIdBytes);
  }
  if (typeof e.job === 'object' && e.job !== null) {
    checkTextLimit('job.namespace', e.job.namespace, LIMITS.namespaceBytes);
    checkTextLimit('job.name', e.job.name, LIMITS.nameBytes);
  }
  if (typeof e.dataset === 'object' && e.dataset !== null) {
    checkTextLimit('dataset.namespace', e.dataset.namespace, LIMITS.namespaceBytes);
    checkTextLimit('dataset.name', e.dataset.name, LIMITS.nameBytes);
  }
  checkDatasets('inputs', e.inputs);
  checkDatasets('outputs', e.outputs);
};
