/**
 * OpenLineage event validation on the project's own definitions (openlineage-envelope.schema.ts and the
 * openlineage-*-facets.schema.ts tables), compiled once; nothing is read from disk.
 *
 * - The envelope: an event must be exactly one of RunEvent, DatasetEvent, JobEvent (the spec's `oneOf`); a failure
 *   rejects it, with errors naming dotted fields (`run.runId`, `inputs[0].namespace`).
 * - Each standard facet is checked by its key and placement (run, job, dataset, inputFacets, outputFacets): an
 *   invalid facet is dropped from the returned event and reported as a warning; the event is still accepted.
 *   Custom facets pass untouched; a facet with `_deleted: true` is not checked.
 * - `format` is not enforced (producers send runId "run_id"); `eventTime` must still be a parseable date-time.
 * A test in the conformance project keeps these verdicts identical to the official schemas' on every
 * conformance event and facet example.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { DomainError } from './errors';
import { canonicalizeEvent } from './openlineage-canonicalizer';
import { DATASET_FACETS, INPUT_DATASET_FACETS, OUTPUT_DATASET_FACETS } from './openlineage-dataset-facets.schema';
import { EVENT_KINDS, EVENT_SCHEMAS } from './openlineage-envelope.schema';
import { JOB_FACETS, RUN_FACETS } from './openlineage-run-job-facets.schema';
import { FACET_PLACEMENTS, type FacetPlacement } from './openlineage-schema.parts';
import { describeErrors, type EventFieldError } from './openlineage-validation-errors';
import type { OpenLineageEvent, OpenLineageEventKind } from './openlineage.types';

export type { EventFieldError } from './openlineage-validation-errors';
export type { FacetPlacement } from './openlineage-schema.parts';

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
  /** One standard facet in one placement: null when `key` is not a standard facet there (custom facets are not checked). */
  validateFacet(placement: FacetPlacement, key: string, facet: unknown): { ok: true } | { ok: false; errors: EventFieldError[] } | null;
}

/**
 * Kept for callers written when the schemas were read from a folder: the definitions are the project's own now, so
 * there is nothing to configure. Any value passed is ignored.
 */
export type EventValidatorOptions = Record<string, unknown> | string;

type Json = { [key: string]: unknown };
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The kind whose errors explain a rejection best: RunEvent when it names a run or an eventType, else by its body. */
const likelyKind = (raw: Json): OpenLineageEventKind => {
  if ('run' in raw || 'eventType' in raw) return 'RunEvent';
  if ('dataset' in raw) return 'DatasetEvent';
  if ('job' in raw) return 'JobEvent';
  return 'RunEvent';
};

const compileFacetIndex = (ajv: Ajv2020): Record<FacetPlacement, Map<string, ValidateFunction>> => {
  const index = Object.fromEntries(FACET_PLACEMENTS.map((p) => [p, new Map<string, ValidateFunction>()])) as Record<FacetPlacement, Map<string, ValidateFunction>>;
  for (const definition of [...RUN_FACETS, ...JOB_FACETS, ...DATASET_FACETS, ...INPUT_DATASET_FACETS, ...OUTPUT_DATASET_FACETS]) {
    if (index[definition.placement].has(definition.key)) throw new Error(`facet ${definition.key} defined twice for ${definition.placement}`);
    index[definition.placement].set(definition.key, ajv.compile(definition.schema));
  }
  return index;
};

let compiled: { envelope: Record<OpenLineageEventKind, ValidateFunction>; facets: Record<FacetPlacement, Map<string, ValidateFunction>> } | null = null;

/** Compiles the definitions once per process (they are constants); every validator shares them. */
const compile = () => {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const envelope = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, ajv.compile(EVENT_SCHEMAS[kind])])) as Record<OpenLineageEventKind, ValidateFunction>;
    compiled = { envelope, facets: compileFacetIndex(ajv) };
  }
  return compiled;
};

export const createEventValidator = (_options?: EventValidatorOptions): EventValidator => {
  const { envelope, facets: facetIndex } = compile();

  /** Checks the standard facets of one container; returns the container without the invalid ones. */
  const checkFacets = (facets: unknown, placement: FacetPlacement, path: string, warnings: FacetWarning[]): unknown => {
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
    const matches = EVENT_KINDS.filter((k) => envelope[k](raw));
    if (matches.length === 0) {
      const check = envelope[likelyKind(raw)];
      check(raw);
      return { ok: false, errors: describeErrors(check.errors) };
    }
    if (matches.length > 1) {
      return { ok: false, errors: [{ field: 'event', message: `is ambiguous: it is a valid ${matches.join(' and a valid ')}; an event must be exactly one kind` }] };
    }
    const [kind] = matches;
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

  const validateFacet: EventValidator['validateFacet'] = (placement, key, facet) => {
    const check = facetIndex[placement].get(key);
    if (!check) return null;
    return check(facet) ? { ok: true } : { ok: false, errors: describeErrors(check.errors) };
  };

  return { validate, prepare, validateFacet };
};

/** Validates and canonicalises one event (see `EventValidator.prepare`). */
export const prepareEvent = (raw: unknown, validator: EventValidator): PreparedEvent => validator.prepare(raw);
