/**
 * OpenLineage event validation, compiled once from the local spec folder (see openlineage-spec.loader.ts).
 *
 * - The envelope is checked against `current/OpenLineage.json` ($defs RunEvent / DatasetEvent / JobEvent):
 *   a failure rejects the event, with errors naming dotted fields (`run.runId`, `inputs[0].namespace`).
 * - Each standard facet is checked by its key and placement (run, job, dataset, inputFacets, outputFacets)
 *   against `current/facets/*.json`: an invalid facet is dropped from the returned event and reported as a
 *   warning; the event is still accepted. Custom facets pass untouched.
 * - `format` is not enforced (producers send runId "run_id"; the conformance MANIFEST was computed the same
 *   way); `eventTime` must still be a parseable date-time.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { DomainError } from './errors';
import { canonicalizeEvent } from './openlineage-canonicalizer';
import { defaultOpenLineageSpecDir, type JsonSchema, loadOpenLineageSpec } from './openlineage-spec.loader';
import type { OpenLineageEvent, OpenLineageEventKind } from './openlineage.types';

export interface EventFieldError {
  field: string;
  message: string;
}

export interface FacetWarning {
  /** Where the dropped facet was, e.g. `outputs[0].outputFacets.outputStatistics`. */
  facet: string;
  message: string;
}

export type EventValidation =
  | { ok: true; kind: OpenLineageEventKind; event: OpenLineageEvent; warnings: FacetWarning[] }
  | { ok: false; errors: EventFieldError[] };

export interface PreparedEvent {
  /** The event with invalid standard facets dropped and every dataset reference canonical. */
  event: OpenLineageEvent;
  /** The input exactly as received. */
  raw: unknown;
  kind: OpenLineageEventKind;
  warnings: FacetWarning[];
  /** `event` and `raw` again, typed as the store's ingest input (`{ event, raw }`) takes them. */
  input: { event: Record<string, any>; raw: Record<string, any> };
}

export interface EventValidator {
  validate(raw: unknown): EventValidation;
  /** validate + canonicalise; throws `DomainError('invalid-event', ..., field, { errors })` on an invalid envelope. */
  prepare(raw: unknown): PreparedEvent;
}

export interface EventValidatorOptions {
  /** Folder holding `current/` and `published/` (default: `<repo>/../shared/conformance/openlineage/spec`). */
  specDir?: string;
}

/** Where a facet sits, named by the core `$defs` its schema extends. */
type Placement = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';
const PLACEMENTS: readonly Placement[] = ['RunFacet', 'JobFacet', 'DatasetFacet', 'InputDatasetFacet', 'OutputDatasetFacet'];

type Json = { [key: string]: unknown };
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------- error formatting ----------

/** `/inputs/0/namespace` -> `inputs[0].namespace`. */
const dottedPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');

const joinPath = (base: string, child: string) => (!base ? child : !child ? base : child.startsWith('[') ? base + child : `${base}.${child}`);

const describeError = (error: ErrorObject): EventFieldError => {
  const at = dottedPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (typeof params.missingProperty === 'string') {
    return { field: joinPath(at, params.missingProperty), message: 'is required' };
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return { field: at, message: `must be one of ${params.allowedValues.join(', ')}` };
  }
  if (error.keyword === 'not') return { field: at, message: 'holds properties that do not belong to this event kind' };
  return { field: at, message: error.message ?? 'is invalid' };
};

/** The most specific errors: combinator summaries dropped when a nested error explains them; duplicates removed. */
const describeErrors = (errors: ErrorObject[] | null | undefined, base = ''): EventFieldError[] => {
  const all = errors ?? [];
  const specific = all.filter((e) => !['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword));
  const seen = new Set<string>();
  const out: EventFieldError[] = [];
  for (const error of specific.length ? specific : all) {
    const described = describeError(error);
    const field = joinPath(base, described.field) || 'event';
    const key = `${field}\u0000${described.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message: described.message });
    }
  }
  return out;
};

// ---------- facet index ----------

/** For each placement, facet key -> the compiled schema of that facet in that placement. */
type FacetIndex = Record<Placement, Map<string, ValidateFunction>>;

const localRefs = (schema: unknown): string[] => {
  if (!isObject(schema)) return [];
  if (typeof schema.$ref === 'string') return schema.$ref.startsWith('#/$defs/') ? [schema.$ref.slice('#/$defs/'.length)] : [];
  return [...(Array.isArray(schema.anyOf) ? schema.anyOf : []), ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])].flatMap(localRefs);
};

/** The placements a facet definition extends, following local oneOf/anyOf alternatives. */
const placementsOf = (defs: Json, defName: string, coreId: string, seen = new Set<string>()): Array<[Placement, string]> => {
  if (seen.has(defName)) return [];
  seen.add(defName);
  const def = defs[defName];
  if (!isObject(def)) return [];
  const bases = (Array.isArray(def.allOf) ? def.allOf : [])
    .map((part) => (isObject(part) && typeof part.$ref === 'string' ? part.$ref : ''))
    .filter((ref) => ref.startsWith(`${coreId}#/$defs/`))
    .map((ref) => ref.slice(`${coreId}#/$defs/`.length))
    .filter((name): name is Placement => (PLACEMENTS as readonly string[]).includes(name));
  if (bases.length) return bases.map((placement) => [placement, defName]);
  return localRefs(def).flatMap((name) => placementsOf(defs, name, coreId, seen));
};

const buildFacetIndex = (ajv: Ajv2020, facets: Array<{ id: string; schema: JsonSchema }>, coreId: string): FacetIndex => {
  const refs: Record<Placement, Map<string, string[]>> = {
    RunFacet: new Map(),
    JobFacet: new Map(),
    DatasetFacet: new Map(),
    InputDatasetFacet: new Map(),
    OutputDatasetFacet: new Map(),
  };
  for (const { id, schema } of facets) {
    const defs = isObject(schema.$defs) ? schema.$defs : {};
    for (const [key, property] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
      for (const defName of localRefs(property)) {
        for (const [placement, def] of placementsOf(defs, defName, coreId)) {
          const list = refs[placement].get(key) ?? [];
          list.push(`${id}#/$defs/${def}`);
          refs[placement].set(key, list);
        }
      }
    }
  }
  const index = {} as FacetIndex;
  for (const placement of PLACEMENTS) {
    index[placement] = new Map();
    for (const [key, list] of refs[placement]) {
      const schema = list.length === 1 ? { $ref: list[0] } : { anyOf: list.map(($ref) => ({ $ref })) };
      index[placement].set(key, ajv.compile(schema));
    }
  }
  return index;
};

// ---------- the validator ----------

/** RunEvent unless the body names a dataset (DatasetEvent) or a job without a run or eventType (JobEvent). */
const kindOf = (raw: Json): OpenLineageEventKind => {
  if ('run' in raw || 'eventType' in raw) return 'RunEvent';
  if ('dataset' in raw) return 'DatasetEvent';
  if ('job' in raw) return 'JobEvent';
  return 'RunEvent';
};

/** Compiles every schema once; pass the spec folder (or `{ specDir }`), default `<repo>/../shared/...`. */
export const createEventValidator = (options: EventValidatorOptions | string = {}): EventValidator => {
  const specDir = typeof options === 'string' ? options : options.specDir;
  const spec = loadOpenLineageSpec(specDir ?? defaultOpenLineageSpecDir());
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  for (const { schema } of spec.all) ajv.addSchema(schema);
  const coreId = spec.core.id;
  const envelope: Record<OpenLineageEventKind, ValidateFunction> = {
    RunEvent: ajv.compile({ $ref: `${coreId}#/$defs/RunEvent` }),
    DatasetEvent: ajv.compile({ $ref: `${coreId}#/$defs/DatasetEvent` }),
    JobEvent: ajv.compile({ $ref: `${coreId}#/$defs/JobEvent` }),
  };
  const facetIndex = buildFacetIndex(ajv, spec.facets, coreId);

  /** Checks the standard facets of one container; returns the container without the invalid ones. */
  const checkFacets = (facets: unknown, placement: Placement, path: string, warnings: FacetWarning[]): unknown => {
    if (!isObject(facets)) return facets;
    let kept: Json | null = null;
    for (const key of Object.keys(facets)) {
      const check = facetIndex[placement].get(key);
      const facet = facets[key];
      if (!check || (isObject(facet) && facet._deleted === true) || check(facet)) continue;
      const where = `${path}.${key}`;
      const details = describeErrors(check.errors)
        .map((e) => (e.field === 'event' ? e.message : `${e.field} ${e.message}`))
        .join('; ');
      warnings.push({ facet: where, message: `${where}: ${details} (facet dropped)` });
      kept ??= { ...facets };
      delete kept[key];
    }
    return kept ?? facets;
  };

  const checkDataset = (dataset: unknown, path: string, extra: 'inputFacets' | 'outputFacets' | null, warnings: FacetWarning[]) => {
    if (!isObject(dataset)) return dataset;
    const facets = checkFacets(dataset.facets, 'DatasetFacet', `${path}.facets`, warnings);
    const extraFacets = extra
      ? checkFacets(dataset[extra], extra === 'inputFacets' ? 'InputDatasetFacet' : 'OutputDatasetFacet', `${path}.${extra}`, warnings)
      : undefined;
    if (facets === dataset.facets && (!extra || extraFacets === dataset[extra])) return dataset;
    const out: Json = { ...dataset, facets };
    if (extra) out[extra] = extraFacets;
    return out;
  };

  const validate = (raw: unknown): EventValidation => {
    if (!isObject(raw)) return { ok: false, errors: [{ field: 'event', message: 'must be a JSON object' }] };
    const kind = kindOf(raw);
    const check = envelope[kind];
    if (!check(raw)) return { ok: false, errors: describeErrors(check.errors) };
    if (Number.isNaN(Date.parse(raw.eventTime as string))) {
      return { ok: false, errors: [{ field: 'eventTime', message: 'must be an ISO 8601 date-time' }] };
    }

    const warnings: FacetWarning[] = [];
    const event: Json = { ...raw };
    if (kind === 'DatasetEvent') {
      event.dataset = checkDataset(raw.dataset, 'dataset', null, warnings);
    } else {
      if (kind === 'RunEvent') {
        const run = raw.run as Json;
        const facets = checkFacets(run.facets, 'RunFacet', 'run.facets', warnings);
        if (facets !== run.facets) event.run = { ...run, facets };
      }
      const job = raw.job as Json;
      const jobFacets = checkFacets(job.facets, 'JobFacet', 'job.facets', warnings);
      if (jobFacets !== job.facets) event.job = { ...job, facets: jobFacets };
      if (Array.isArray(raw.inputs)) event.inputs = raw.inputs.map((d, i) => checkDataset(d, `inputs[${i}]`, 'inputFacets', warnings));
      if (Array.isArray(raw.outputs)) event.outputs = raw.outputs.map((d, i) => checkDataset(d, `outputs[${i}]`, 'outputFacets', warnings));
    }
    return { ok: true, kind, event: event as unknown as OpenLineageEvent, warnings };
  };

  const prepare = (raw: unknown): PreparedEvent => {
    const result = validate(raw);
    if (!result.ok) {
      const [first] = result.errors;
      const message = result.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      throw new DomainError('invalid-event', message, first.field, { errors: result.errors });
    }
    const event = canonicalizeEvent(result.event, result.kind);
    return {
      event,
      raw,
      kind: result.kind,
      warnings: result.warnings,
      input: { event: event as unknown as Record<string, any>, raw: raw as Record<string, any> },
    };
  };

  return { validate, prepare };
};

/** Validates and canonicalises one event (see `EventValidator.prepare`). */
export const prepareEvent = (raw: unknown, validator: EventValidator): PreparedEvent => validator.prepare(raw);
