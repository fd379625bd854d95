/**
 * From one validated, canonicalised OpenLineage event (RunEvent, JobEvent or DatasetEvent) to the rows it implies.
 * Pure: no I/O, no clock. The store folds these facts into its tables (see run-state.ts and edge-intervals.ts).
 */
import { datasetFieldId, datasetId, jobId, type NodeId, type Provenance, type Transformation } from '@lineage-hub/model';
import type { FieldRecord } from '../lineage-store.port';
import { canonicalJson, sha256Hex } from './canonical-json';
import { toRunState, type ColumnDecl, type RunFact } from './run-state';

export interface NamespaceFact {
  name: string;
  at: number;
}

export interface DatasetFact {
  id: NodeId;
  namespace: string;
  name: string;
  at: number;
  facets: Record<string, unknown>;
  /** Fields of the schema facet, or null when the event carries none. */
  fields: FieldRecord[] | null;
  /** Deterministic version id of (dataset, schema); null without a schema facet. */
  version: string | null;
  sourceName: string | null;
  description: string | null;
  lifecycleState: string | null;
  /** The run that wrote it (outputs of a RunEvent). */
  runId: string | null;
}

export interface JobFact {
  id: NodeId;
  namespace: string;
  name: string;
  at: number;
  type: string;
  description: string | null;
  location: string | null;
  facets: Record<string, unknown>;
}

export interface AliasFact {
  alias: NodeId;
  canonical: NodeId;
  source: 'symlink' | 'rename';
  at: number;
}

export interface LifecycleFact {
  dataset: NodeId;
  state: string;
  renamedTo: NodeId | null;
  at: number;
}

export interface EventFacts {
  eventTime: number;
  namespaces: NamespaceFact[];
  datasets: DatasetFact[];
  job: JobFact | null;
  /** The run, or the pseudo-run of a JobEvent / DatasetEvent that declares lineage. */
  run: RunFact | null;
  aliases: AliasFact[];
  /** RENAME and DROP only. */
  lifecycle: LifecycleFact[];
}

type Json = Record<string, any>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const array = (value: unknown): any[] => (Array.isArray(value) ? value : []);

export const parseEventTime = (value: unknown, fallback: number): number => {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : fallback;
};

/** Each list schemaFields returned, by the schema facet it flattened (neither is changed after). */
const flattenedFrom = new WeakMap<FieldRecord[], object>();

/** `fields` is the very list schemaFields returned for this schema facet object: flattening it again gives the same. */
export const flattenedFromSchema = (fields: FieldRecord[], schema: unknown): boolean => isObject(schema) && flattenedFrom.get(fields) === schema;

/** Flattens a schema facet's fields (nested fields become "parent.child"). */
export const schemaFields = (schema: unknown): FieldRecord[] | null => {
  if (!isObject(schema) || !Array.isArray(schema.fields)) return null;
  const out: FieldRecord[] = [];
  const walk = (fields: any[], prefix: string) => {
    for (const field of fields) {
      if (!isObject(field) || !text(field.name)) continue;
      const name = prefix + field.name;
      const tags = Array.isArray(field.tags) && field.tags.length > 0 ? field.tags.map((t: unknown) => (isObject(t) ? String(t.key ?? t.name ?? '') : String(t))) : [];
      out.push({ name, type: text(field.type), description: text(field.description), tags });
      if (Array.isArray(field.fields) && field.fields.length > 0) walk(field.fields, `${name}.`);
    }
  };
  walk(schema.fields, '');
  flattenedFrom.set(out, schema);
  return out;
};

/**
 * The last version id computed per dataset, with the field names and types it was computed from (a pure memo: the
 * same dataset and schema always give the same id). A dataset seen again with the same schema, as most are, is
 * answered by comparing its fields, without building and hashing the key (measured ~4x cheaper than a memo by key).
 */
const versionMemo = new Map<NodeId, { names: string[]; types: Array<string | null>; id: string }>();
const VERSION_MEMO_SIZE = 20_000;

const memoHit = (known: { names: string[]; types: Array<string | null> } | undefined, fields: FieldRecord[]): boolean => {
  if (known === undefined || known.names.length !== fields.length) return false;
  for (let i = 0; i < fields.length; i += 1) if (known.names[i] !== fields[i].name || known.types[i] !== fields[i].type) return false;
  return true;
};

/** A version changes only when field names or types change. Formatted as a UUID for Marquez clients. */
export const schemaVersionId = (dataset: NodeId, fields: FieldRecord[]): string => {
  const known = versionMemo.get(dataset);
  if (memoHit(known, fields)) return known!.id;
  let key: string = dataset;
  for (const f of fields) key += `\n${f.name}\u0001${f.type ?? ''}`;
  const hex = sha256Hex(key);
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  if (versionMemo.size >= VERSION_MEMO_SIZE) versionMemo.clear();
  versionMemo.set(dataset, { names: fields.map((f) => f.name), types: fields.map((f) => f.type), id });
  return id;
};

const transformation = (raw: unknown): Transformation | null => {
  if (!isObject(raw) || !text(raw.type)) return null;
  const out: Transformation = { type: raw.type };
  if (text(raw.subtype)) out.subtype = raw.subtype;
  if (typeof raw.description === 'string') out.description = raw.description;
  if (typeof raw.masking === 'boolean') out.masking = raw.masking;
  return out;
};

const transformations = (raw: unknown): Transformation[] => array(raw).map(transformation).filter((t): t is Transformation => t !== null);

/** The deprecated transformationType/transformationDescription pair (IDENTITY | MASKED | other). */
const legacyTransformation = (entry: Json): Transformation[] => {
  const type = text(entry.transformationType);
  if (!type) return [];
  const description = text(entry.transformationDescription) ?? undefined;
  const upper = type.toUpperCase();
  if (upper === 'IDENTITY') return [{ type: 'DIRECT', subtype: 'IDENTITY', description, masking: false }];
  if (upper === 'MASKED') return [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description, masking: true }];
  return [{ type: 'DIRECT', subtype: upper, description }];
};

/** A source in a columnLineage or lineage facet: a field when it names one, else the whole dataset. */
const sourceNode = (input: Json, typed = true): NodeId | null => {
  if (!text(input.namespace) || !text(input.name)) return null;
  if (typed && input.type !== undefined && input.type !== 'DATASET') return null;
  return text(input.field) ? datasetFieldId(input.namespace, input.name, input.field) : datasetId(input.namespace, input.name);
};

/**
 * Column edges a dataset's columnLineage (1-0-0..1-2-0) and lineage (1-0-0) facets declare. Every edge ends at a
 * field of the target: a dataset-wide dependency (columnLineage `dataset[]`, lineage `inputs`) becomes an edge to
 * each field the target is known to have in this event (its schema facet, else the fields the facets name).
 * The source is a field when the facet names one, else the whole source dataset.
 */
export const datasetColumnDecls = (
  target: { namespace: string; name: string },
  facets: Json,
  at: number,
  schema: FieldRecord[] | null = null,
): ColumnDecl[] => {
  const decls: ColumnDecl[] = [];
  const fieldId = (field: string) => datasetFieldId(target.namespace, target.name, field);
  const add = (from: NodeId | null, field: string, list: Transformation[]) => {
    const to = fieldId(field);
    if (from && from !== to) decls.push({ from, to, transformations: list, at });
  };
  const wide: Array<{ from: NodeId | null; list: Transformation[] }> = [];
  const named = new Set<string>();
  const columnLineage = facets.columnLineage;
  if (isObject(columnLineage)) {
    if (isObject(columnLineage.fields)) {
      for (const [field, entry] of Object.entries(columnLineage.fields)) {
        if (!isObject(entry)) continue;
        named.add(field);
        const legacy = legacyTransformation(entry);
        for (const input of array(entry.inputFields)) {
          if (!isObject(input)) continue;
          const own = transformations(input.transformations);
          add(sourceNode(input, false), field, own.length > 0 ? own : legacy);
        }
      }
    }
    for (const input of array(columnLineage.dataset)) {
      if (isObject(input)) wide.push({ from: sourceNode(input, false), list: transformations(input.transformations) });
    }
  }
  const lineage = facets.lineage;
  if (isObject(lineage)) {
    for (const input of array(lineage.inputs)) {
      if (isObject(input)) wide.push({ from: sourceNode(input), list: transformations(input.transformations) });
    }
    if (isObject(lineage.fields)) {
      for (const [field, entry] of Object.entries(lineage.fields)) {
        if (!isObject(entry)) continue;
        named.add(field);
        for (const input of array(entry.inputs)) if (isObject(input)) add(sourceNode(input), field, transformations(input.transformations));
      }
    }
  }
  if (wide.length > 0) {
    const targets = schema && schema.length > 0 ? schema.map((f) => f.name) : [...named].sort();
    for (const { from, list } of wide) for (const field of targets) add(from, field, list);
  }
  return decls;
};

const datasetFacets = (dataset: Json): Json => ({
  ...(isObject(dataset.facets) ? dataset.facets : {}),
  ...(isObject(dataset.inputFacets) ? dataset.inputFacets : {}),
  ...(isObject(dataset.outputFacets) ? dataset.outputFacets : {}),
});

interface Collector {
  at: number;
  namespaces: Map<string, NamespaceFact>;
  datasets: Map<NodeId, DatasetFact>;
  aliases: AliasFact[];
  lifecycle: LifecycleFact[];
  columns: ColumnDecl[];
}

const addDataset = (c: Collector, dataset: unknown, runId: string | null): NodeId | null => {
  if (!isObject(dataset) || !text(dataset.namespace) || !text(dataset.name)) return null;
  const { namespace, name } = dataset as { namespace: string; name: string };
  const id = datasetId(namespace, name);
  const facets = datasetFacets(dataset);
  const fields = schemaFields(facets.schema);
  const lifecycle = isObject(facets.lifecycleStateChange) ? text(facets.lifecycleStateChange.lifecycleStateChange) : null;
  const fact: DatasetFact = {
    id,
    namespace,
    name,
    at: c.at,
    facets,
    fields,
    version: fields ? schemaVersionId(id, fields) : null,
    sourceName: isObject(facets.dataSource) ? text(facets.dataSource.name) : null,
    description: isObject(facets.documentation) ? text(facets.documentation.description) : null,
    lifecycleState: lifecycle,
    runId,
  };
  const known = c.datasets.get(id);
  c.datasets.set(id, known ? { ...known, ...fact, facets: { ...known.facets, ...facets }, fields: fields ?? known.fields, version: fact.version ?? known.version } : fact);
  c.namespaces.set(namespace, { name: namespace, at: c.at });

  if (isObject(facets.symlinks)) {
    for (const identifier of array(facets.symlinks.identifiers)) {
      if (!isObject(identifier) || !text(identifier.namespace) || !text(identifier.name)) continue;
      const alias = datasetId(identifier.namespace, identifier.name);
      if (alias !== id) c.aliases.push({ alias, canonical: id, source: 'symlink', at: c.at });
    }
  }
  if (lifecycle === 'DROP') c.lifecycle.push({ dataset: id, state: 'DROP', renamedTo: null, at: c.at });
  if (lifecycle === 'RENAME') {
    const previous = (facets.lifecycleStateChange as Json).previousIdentifier;
    if (isObject(previous) && text(previous.namespace) && text(previous.name)) {
      const old = datasetId(previous.namespace, previous.name);
      if (old !== id) {
        c.aliases.push({ alias: old, canonical: id, source: 'rename', at: c.at });
        c.lifecycle.push({ dataset: old, state: 'RENAME', renamedTo: id, at: c.at });
      }
    }
  }
  c.columns.push(...datasetColumnDecls({ namespace, name }, facets, c.at, fields));
  return id;
};

/** inputs/outputs/columns a job's own `lineage` facet (LineageJobFacet entries) declares. */
const jobLineageEntries = (c: Collector, job: { namespace: string; name: string }, facets: Json, inputs: NodeId[], outputs: NodeId[]) => {
  const lineage = facets.lineage;
  if (!isObject(lineage)) return;
  for (const entry of array(lineage.entries)) {
    if (!isObject(entry)) continue;
    if (entry.type === 'DATASET' && text(entry.namespace) && text(entry.name)) {
      outputs.push(datasetId(entry.namespace, entry.name));
      for (const input of array(entry.inputs)) {
        if (isObject(input) && input.type === 'DATASET' && text(input.namespace) && text(input.name)) inputs.push(datasetId(input.namespace, input.name));
      }
      c.columns.push(...datasetColumnDecls({ namespace: entry.namespace, name: entry.name }, { lineage: entry }, c.at));
    } else if (entry.type === 'JOB') {
      const own = (!entry.namespace && !entry.name) || (entry.namespace === job.namespace && entry.name === job.name);
      if (!own) continue; // lineage into another job belongs to that job's own events
      for (const input of array(entry.inputs)) {
        if (isObject(input) && input.type === 'DATASET' && text(input.namespace) && text(input.name)) inputs.push(datasetId(input.namespace, input.name));
      }
    }
  }
};

const jobFact = (job: Json, at: number): JobFact => {
  const facets = isObject(job.facets) ? job.facets : {};
  const jobType = isObject(facets.jobType) ? facets.jobType : {};
  return {
    id: jobId(job.namespace, job.name),
    namespace: job.namespace,
    name: job.name,
    at,
    type: text(jobType.processingType) ?? 'BATCH',
    description: isObject(facets.documentation) ? text(facets.documentation.description) : null,
    location: isObject(facets.sourceCodeLocation) ? text(facets.sourceCodeLocation.url) : null,
    facets,
  };
};

const sortedUnique = (ids: NodeId[]): NodeId[] => [...new Set(ids)].sort() as NodeId[];

const collector = (at: number): Collector => ({ at, namespaces: new Map(), datasets: new Map(), aliases: [], lifecycle: [], columns: [] });

/**
 * Derives the facts of one event. `eventHash` names the pseudo-run of a JobEvent/DatasetEvent;
 * `fallbackTime` is used when the event has no parsable eventTime.
 */
export const deriveEvent = (event: Json, opts: { eventHash: string; provenance?: Provenance; fallbackTime: number }): EventFacts => {
  const at = parseEventTime(event.eventTime, opts.fallbackTime);
  const provenance = opts.provenance ?? 'declared';
  const c = collector(at);
  const done = (job: JobFact | null, run: RunFact | null): EventFacts => ({
    eventTime: at,
    namespaces: [...c.namespaces.values()],
    datasets: [...c.datasets.values()],
    job,
    run,
    aliases: c.aliases,
    lifecycle: c.lifecycle,
  });

  const run = isObject(event.run) ? event.run : null;
  const job = isObject(event.job) && text(event.job.namespace) && text(event.job.name) ? event.job : null;

  if (job) {
    const runId = run && text(run.runId) ? (run.runId as string) : null;
    const jf = jobFact(job, at);
    c.namespaces.set(jf.namespace, { name: jf.namespace, at });
    const inputs = array(event.inputs).map((d) => addDataset(c, d, null)).filter((d): d is NodeId => d !== null);
    const outputs = array(event.outputs).map((d) => addDataset(c, d, runId)).filter((d): d is NodeId => d !== null);
    jobLineageEntries(c, jf, jf.facets, inputs, outputs);
    const base = {
      owner: jf.id,
      startedAt: at,
      updatedAt: at,
      inputs: sortedUnique(inputs),
      outputs: sortedUnique(outputs),
      columns: c.columns,
      provenance,
    };
    if (runId) {
      const facets = isObject(run!.facets) ? run!.facets : {};
      const nominal = isObject(facets.nominalTime) ? facets.nominalTime : {};
      const parent = isObject(facets.parent) && isObject(facets.parent.run) ? text(facets.parent.run.runId) : null;
      const state = toRunState(event.eventType);
      // one literal with base's members first (the order a spread gave): `{ ...base, 9 more }` took ~11 us a call in V8
      return done(jf, {
        owner: base.owner,
        startedAt: base.startedAt,
        updatedAt: base.updatedAt,
        inputs: base.inputs,
        outputs: base.outputs,
        columns: mergeDecls(c.columns),
        provenance: base.provenance,
        runId,
        kind: 'run',
        state,
        stateAt: at,
        nominalStartTime: text(nominal.nominalStartTime),
        nominalEndTime: text(nominal.nominalEndTime),
        parentRunId: parent,
        facets,
      });
    }
    const declares = base.inputs.length > 0 || base.outputs.length > 0 || c.columns.length > 0;
    return done(jf, declares ? pseudoRun(`job-event:${opts.eventHash}`, 'job-event', { ...base, columns: mergeDecls(c.columns) }) : null);
  }

  if (isObject(event.dataset)) {
    const id = addDataset(c, event.dataset, null);
    const declares = id !== null && c.columns.length > 0;
    return done(
      null,
      declares
        ? pseudoRun(`dataset-event:${opts.eventHash}`, 'dataset-event', {
            owner: id!,
            startedAt: at,
            updatedAt: at,
            inputs: [],
            outputs: [],
            columns: mergeDecls(c.columns),
            provenance,
          })
        : null,
    );
  }
  return done(null, null);
};

const byPair = (a: ColumnDecl, b: ColumnDecl): number => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0);

/**
 * One declaration per (from, to), sorted by from then to (the order of the keys `from\0to`, ids holding no NUL:
 * checkDerivedIds refuses those), the transformations of repeated pairs merged in declaration order. A stable sort
 * and a merge of neighbours: no key strings, no Map (measured ~2.7x cheaper than by key).
 */
const mergeDecls = (decls: ColumnDecl[]): ColumnDecl[] => {
  if (decls.length === 0) return [];
  const sorted = decls.slice().sort(byPair);
  const out: ColumnDecl[] = [sorted[0]];
  for (let i = 1; i < sorted.length; i += 1) {
    const decl = sorted[i];
    const last = out[out.length - 1];
    if (last.from === decl.from && last.to === decl.to) out[out.length - 1] = { ...last, transformations: mergeTransformations(last.transformations, decl.transformations) };
    else out.push(decl);
  }
  return out;
};

/** The same source declared twice in one event (e.g. columnLineage and lineage facets): keep every distinct transformation. */
const mergeTransformations = (a: Transformation[], b: Transformation[]): Transformation[] => {
  const seen = new Map(a.map((t) => [canonicalJson(t), t]));
  for (const t of b) {
    const key = canonicalJson(t);
    if (!seen.has(key)) seen.set(key, t);
  }
  return [...seen.values()];
};

const pseudoRun = (
  runId: string,
  kind: 'job-event' | 'dataset-event',
  base: Pick<RunFact, 'owner' | 'startedAt' | 'updatedAt' | 'inputs' | 'outputs' | 'columns' | 'provenance'>,
): RunFact => ({
  // base's members listed, not spread: `{ ...base, 8 more }` measured ~11 us a call in V8 (see the run's facts above)
  owner: base.owner,
  startedAt: base.startedAt,
  updatedAt: base.updatedAt,
  inputs: base.inputs,
  outputs: base.outputs,
  columns: base.columns,
  provenance: base.provenance,
  runId,
  kind,
  state: 'COMPLETE',
  stateAt: base.startedAt,
  nominalStartTime: null,
  nominalEndTime: null,
  parentRunId: null,
  facets: {},
});
