/**
 * Test support (conformance only): the official OpenLineage JSON Schemas, compiled with ajv, as the oracle the
 * project's own definitions are compared with. An event is valid when the core schema's top-level `oneOf` accepts
 * it; each standard facet is judged by its key and placement against `current/facets/*.json` (the same rule the
 * hub applies and the conformance MANIFEST counts with). Formats are not enforced, as in the hub.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { type JsonSchema, loadOpenLineageSpec, type SchemaDocument } from './official-openlineage-spec.loader';

type Placement = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';
const PLACEMENTS: readonly Placement[] = ['RunFacet', 'JobFacet', 'DatasetFacet', 'InputDatasetFacet', 'OutputDatasetFacet'];
type Json = { [key: string]: unknown };
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

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

export interface OfficialOracle {
  /** accepted: the core schema accepts the event; dropped: paths of standard facets failing their schema. */
  judge(raw: unknown): { accepted: boolean; dropped: string[] };
  /** The facet file's own root schema (`{key: facet}`), as the spec's CI checks its examples. */
  judgeFacetExample(facetFile: string, example: unknown): boolean;
  /** The (placement, key) pairs the official facet files define. */
  standardFacets(): Array<[Placement, string]>;
  facetFiles(): SchemaDocument[];
}

export const createOfficialOracle = (specDir: string): OfficialOracle => {
  const spec = loadOpenLineageSpec(specDir);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  for (const { schema } of spec.all) ajv.addSchema(schema);
  const coreId = spec.core.id;
  const core = ajv.getSchema(coreId)!;
  const kinds = (['RunEvent', 'DatasetEvent', 'JobEvent'] as const).map((kind) => [kind, ajv.compile({ $ref: `${coreId}#/$defs/${kind}` })] as const);
  const refs = new Map<Placement, Map<string, string[]>>(PLACEMENTS.map((p) => [p, new Map()]));
  for (const { id, schema } of spec.facets) {
    const defs = isObject(schema.$defs) ? schema.$defs : {};
    for (const [key, property] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
      for (const defName of localRefs(property)) {
        for (const [placement, def] of placementsOf(defs, defName, coreId)) {
          const list = refs.get(placement)!.get(key) ?? [];
          list.push(`${id}#/$defs/${def}`);
          refs.get(placement)!.set(key, list);
        }
      }
    }
  }
  const index = new Map<Placement, Map<string, ValidateFunction>>();
  for (const placement of PLACEMENTS) {
    const compiled = new Map<string, ValidateFunction>();
    for (const [key, list] of refs.get(placement)!) compiled.set(key, ajv.compile(list.length === 1 ? { $ref: list[0] } : { anyOf: list.map(($ref) => ({ $ref })) }));
    index.set(placement, compiled);
  }

  const facetsOf = (container: unknown, placement: Placement, path: string, dropped: string[]) => {
    if (!isObject(container)) return;
    for (const [key, facet] of Object.entries(container)) {
      const check = index.get(placement)!.get(key);
      if (check && !(isObject(facet) && facet._deleted === true) && !check(facet)) dropped.push(`${path}.${key}`);
    }
  };
  const datasetFacets = (dataset: unknown, path: string, extra: 'inputFacets' | 'outputFacets' | null, dropped: string[]) => {
    if (!isObject(dataset)) return;
    facetsOf(dataset.facets, 'DatasetFacet', `${path}.facets`, dropped);
    if (extra) facetsOf(dataset[extra], extra === 'inputFacets' ? 'InputDatasetFacet' : 'OutputDatasetFacet', `${path}.${extra}`, dropped);
  };

  const judge = (raw: unknown) => {
    if (!core(raw) || !isObject(raw)) return { accepted: false, dropped: [] };
    const dropped: string[] = [];
    const kind = kinds.find(([, check]) => check(raw))![0];
    if (kind === 'DatasetEvent') {
      datasetFacets(raw.dataset, 'dataset', null, dropped);
      return { accepted: true, dropped };
    }
    if (kind === 'RunEvent' && isObject(raw.run)) facetsOf(raw.run.facets, 'RunFacet', 'run.facets', dropped);
    if (isObject(raw.job)) facetsOf(raw.job.facets, 'JobFacet', 'job.facets', dropped);
    (Array.isArray(raw.inputs) ? raw.inputs : []).forEach((d, i) => datasetFacets(d, `inputs[${i}]`, 'inputFacets', dropped));
    (Array.isArray(raw.outputs) ? raw.outputs : []).forEach((d, i) => datasetFacets(d, `outputs[${i}]`, 'outputFacets', dropped));
    return { accepted: true, dropped };
  };

  const byFile = new Map(spec.facets.map((doc) => [doc.file.split('/').pop()!.replace(/\.json$/, ''), doc]));
  const judgeFacetExample = (facetFile: string, example: unknown) => {
    const doc = byFile.get(facetFile);
    if (!doc) throw new Error(`no official facet schema ${facetFile}`);
    return ajv.getSchema(doc.id)!(example) as boolean;
  };

  return {
    judge,
    judgeFacetExample,
    standardFacets: () => PLACEMENTS.flatMap((p) => [...index.get(p)!.keys()].map((key): [Placement, string] => [p, key])),
    facetFiles: () => spec.facets,
  };
};

export type { JsonSchema };
