/**
 * `lineage sql`: SQL on stdin -> lineage JSON on stdout.
 *   lineage sql --dialect <d> [--default-db X] [--default-schema Y] [--schema FILE]
 *   lineage sql --batch [--dialect <d>] [--conventions openlineage|sqllineage] ...
 *     (JSON lines {id, dialect, sql, schema_info?, default_db?, default_schema?, conventions?, source_repo?, config?})
 * Exit 1 when a statement cannot be parsed (the JSON still lists what was read, and `errors` says where);
 * in --batch mode each line carries its own `error` and the exit code stays 0.
 */
import { readFileSync } from 'fs';
import { createInterface } from 'readline';
import {
  extractLineage,
  isSqlConventions,
  normaliseDialect,
  peerConventions,
  SQL_CONVENTIONS,
  SQL_DIALECTS,
  sqllineageFlags,
  type SqlConventions,
  type SqlDialect,
  type SqlLineageResult,
} from '@lineage-hub/sql-lineage';
import { type CliIo, EXIT_FAILED, EXIT_OK, parseFlags, readAll, UsageError, writeOut } from './cli-io';

export const SQL_USAGE = `usage: lineage sql --dialect <${SQL_DIALECTS.join('|')}> [--default-db X] [--default-schema Y] [--schema FILE] [--conventions C] [--batch]
  reads SQL on stdin and prints its lineage as JSON;
  --batch reads JSON lines {id, dialect, sql, schema_info?, default_db?, default_schema?} and writes one JSON line per input;
    a line may also carry conventions, or the shared corpus's source_repo (reata/sqllineage answers with sqllineage's
    conventions) and config (sqllineage's SQLLINEAGE_LATERAL_COLUMN_ALIAS_REFERENCE and SQLLINEAGE_DEFAULT_SCHEMA)
  --schema FILE is JSON {"db.schema.table": ["col", ...]}
  --conventions openlineage (default) or sqllineage: where the two disagree (DROP/TRUNCATE/RENAME, SWAP, unused CTEs,
    tables a script creates and reads again); see libs/sql-lineage/README.md`;

type Schema = Record<string, string[]>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value) &&
  Object.values(value).every((cols) => Array.isArray(cols) && cols.every((c) => typeof c === 'string'));

const loadSchema = (file: string): Schema => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--schema: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--schema: ${file} is not JSON: ${(e as Error).message}`);
  }
  if (!isSchema(parsed)) throw new UsageError(`--schema: ${file} must be an object of table name -> array of column names`);
  return parsed;
};

const conventionsFlag = (value: string | true | undefined): SqlConventions | undefined => {
  if (value === undefined) return undefined;
  if (!isSqlConventions(value)) throw new UsageError(`--conventions must be one of ${SQL_CONVENTIONS.join(', ')}`);
  return value;
};

const dialectFlag = (value: string | true | undefined): SqlDialect | undefined => {
  if (value === undefined || value === true) return undefined;
  const dialect = normaliseDialect(value);
  if (!dialect) throw new UsageError(`unknown dialect "${value}"; expected one of ${SQL_DIALECTS.join(', ')}`);
  return dialect;
};

/** The batch output line: the contract. */
export const batchLine = (id: unknown, result: SqlLineageResult | null, error?: string) => {
  const line: Record<string, unknown> = {
    id: id ?? null,
    inTables: result?.inTables ?? [],
    outTables: result?.outTables ?? [],
    columnLineage: (result?.columnLineage ?? []).map((e) => ({
      downstream: e.downstream,
      upstreams: e.upstreams.map((u) => ({ table: u.table, column: u.column })),
      transformation: e.transformation,
    })),
  };
  const message = error ?? (result && result.errors.length ? result.errors.join('; ') : undefined);
  if (message) line.error = message;
  return line;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const runBatchLine = (text: string, defaults: { dialect?: SqlDialect; db?: string; schemaName?: string; schema?: Schema; conventions?: SqlConventions }) => {
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return batchLine(null, null, 'line is not a JSON object');
    input = parsed as Record<string, unknown>;
  } catch (e) {
    return batchLine(null, null, `invalid JSON: ${(e as Error).message}`);
  }
  const id = input.id;
  if (typeof input.sql !== 'string') return batchLine(id, null, 'sql must be a string');
  const rawDialect = input.dialect ?? defaults.dialect;
  if (typeof rawDialect !== 'string') return batchLine(id, null, 'dialect is missing');
  const dialect = normaliseDialect(rawDialect);
  if (!dialect) return batchLine(id, null, `unknown dialect "${rawDialect}"`);
  if (input.schema_info !== undefined && input.schema_info !== null && !isSchema(input.schema_info)) {
    return batchLine(id, null, 'schema_info must be an object of table name -> array of column names');
  }
  if (input.conventions !== undefined && !isSqlConventions(input.conventions)) return batchLine(id, null, `conventions must be one of ${SQL_CONVENTIONS.join(', ')}`);
  const flags = sqllineageFlags(input.config);
  const result = extractLineage({
    sql: input.sql,
    dialect,
    defaultDatabase: str(input.default_db) ?? defaults.db,
    defaultSchema: str(input.default_schema) ?? flags.defaultSchema ?? defaults.schemaName,
    schema: (input.schema_info as Schema | null | undefined) ?? defaults.schema,
    lateralColumnAlias: flags.lateralColumnAlias,
    conventions: (input.conventions as SqlConventions | undefined) ?? peerConventions(input.source_repo) ?? defaults.conventions,
  });
  return batchLine(id, result);
};

export const runSqlCommand = async (args: string[], io: CliIo): Promise<number> => {
  const flags = parseFlags(args, ['dialect', 'default-db', 'default-schema', 'schema', 'conventions'], ['batch', 'help']);
  if (flags.has('help')) {
    await writeOut(io.stdout, SQL_USAGE + '\n');
    return EXIT_OK;
  }
  const dialect = dialectFlag(flags.get('dialect'));
  const db = flags.get('default-db') as string | undefined;
  const schemaName = flags.get('default-schema') as string | undefined;
  const schemaFile = flags.get('schema') as string | undefined;
  const schema = schemaFile ? loadSchema(schemaFile) : undefined;
  const conventions = conventionsFlag(flags.get('conventions'));
  if (flags.has('batch')) {
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      await writeOut(io.stdout, JSON.stringify(runBatchLine(line, { dialect, db, schemaName, schema, conventions })) + '\n');
    }
    return EXIT_OK;
  }
  if (!dialect) throw new UsageError('--dialect is required (or use --batch with a dialect per line)');
  const sql = await readAll(io.stdin);
  const result = extractLineage({ sql, dialect, defaultDatabase: db, defaultSchema: schemaName, schema, conventions });
  await writeOut(io.stdout, JSON.stringify(result, null, 2) + '\n');
  if (result.errors.length === 0) return EXIT_OK;
  // a statement that could not be read: its lineage is unknown, never a confident (partial) answer
  await writeOut(io.stderr, `lineage sql: ${result.errors.length} statement(s) could not be parsed: ${result.errors.join('; ')}\n`);
  return EXIT_FAILED;
};
