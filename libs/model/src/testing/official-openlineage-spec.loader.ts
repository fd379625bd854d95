/**
 * Test support (conformance only): loads the official OpenLineage JSON Schemas from a local folder (no network): `current/` (the source-of-truth copy of
 * the spec) and `published/` (the openlineage.io/spec URL layout). Each schema is keyed by its `$id`, so a `$ref`
 * to `https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/...` resolves offline.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface OpenLineageSpec {
  /** The core schema (`current/OpenLineage.json`). */
  core: SchemaDocument;
  /** The standard facet schemas (`current/facets/*.json`). */
  facets: SchemaDocument[];
  /** Every schema with an `$id`, current first; a later duplicate `$id` is skipped. */
  all: SchemaDocument[];
}

export interface SchemaDocument {
  id: string;
  file: string;
  schema: JsonSchema;
}

export type JsonSchema = { [key: string]: unknown };

const readSchema = (file: string): SchemaDocument | null => {
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema;
  return typeof schema.$id === 'string' ? { id: schema.$id, file, schema } : null;
};

const jsonFiles = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((entry) => {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) return jsonFiles(full);
          return entry.name.endsWith('.json') ? [full] : [];
        })
    : [];

export const loadOpenLineageSpec = (specDir: string): OpenLineageSpec => {
  const coreFile = path.join(specDir, 'current', 'OpenLineage.json');
  if (!fs.existsSync(coreFile)) {
    throw new Error(`OpenLineage spec not found: ${coreFile} is missing (set the spec folder to one holding current/ and published/)`);
  }
  const core = readSchema(coreFile);
  if (!core) throw new Error(`${coreFile} has no $id`);
  const facets = jsonFiles(path.join(specDir, 'current', 'facets'))
    .map(readSchema)
    .filter((schema): schema is SchemaDocument => schema !== null);
  const seen = new Set<string>();
  const all: SchemaDocument[] = [];
  for (const file of [...jsonFiles(path.join(specDir, 'current')), ...jsonFiles(path.join(specDir, 'published'))]) {
    const schema = readSchema(file);
    if (schema && !seen.has(schema.id)) {
      seen.add(schema.id);
      all.push(schema);
    }
  }
  return { core, facets, all };
};
