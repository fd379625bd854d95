/**
 * How ACCESS_HISTORY names objects, read into the hub's canonical names (pure). ACCESS_HISTORY reports identifiers as
 * stored; an unquoted part with lower-case letters can only be a quoted identifier, so it is quoted before libs/model
 * canonicalises (unquoted -> upper, quoted keeps case). objectDomain decides what is a dataset; objectId identifies an
 * object across statements (temporary tables).
 */
import { canonicalDataset, type DatasetName, formatIdentifier, splitIdentifierParts, unquoteIdentifier } from '@lineage-hub/model';

/** An objectId as ACCESS_HISTORY gives it: a NUMBER, or its text (the documented sample has `"objectId": "2"`). */
export const objectKey = (id: unknown): number | undefined => {
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  const n = typeof id === 'number' ? id : String(id).trim() === '' ? NaN : Number(id);
  return Number.isFinite(n) ? n : undefined;
};

const TABLE_DOMAINS = new Set(['table', 'view', 'materialized view', 'external table', 'dynamic table', 'iceberg table', 'event table', 'hybrid table']);
/** objectDomain as the docs spell it ("Table", "Materialized view", "External table"), whatever the case or separator. */
export const isTableLike = (domain: string | undefined) => TABLE_DOMAINS.has(String(domain ?? '').toLowerCase().replace(/[_\s]+/g, ' ').trim());

/** An identifier part as ACCESS_HISTORY stores it -> its SQL spelling (quoted when it cannot be unquoted). */
const storedPartToSql = (part: string): string => (unquoteIdentifier(part) !== null ? part : formatIdentifier(part, 'upper'));

/** "DB.SCHEMA.OBJ" as ACCESS_HISTORY reports it -> the canonical dataset (libs/model). */
export const storedObjectDataset = (namespace: string, objectName: string): DatasetName =>
  canonicalDataset(namespace, splitIdentifierParts(objectName).map(storedPartToSql).join('.'));

/** A stored column name -> its canonical field spelling (upper unless it needs quotes). */
export const storedColumn = (name: string): string => (unquoteIdentifier(name) !== null ? name : formatIdentifier(name, 'upper'));

/** A name as written in SQL (unquoted parts fold), qualified with the statement's database and schema. */
export const sqlNameDataset = (namespace: string, name: string, database: string | null, schema: string | null): DatasetName | null => {
  const parts = splitIdentifierParts(name);
  const qualified =
    parts.length === 3 ? parts : parts.length === 2 && database ? [storedPartToSql(database), ...parts] : parts.length === 1 && database && schema ? [storedPartToSql(database), storedPartToSql(schema), ...parts] : null;
  return qualified ? canonicalDataset(namespace, qualified.join('.')) : null;
};

/** Comments a statement may start with (`--`, `//`, block), as a regular-expression source. */
export const LEADING_COMMENTS = '(?:\\s*(?:--[^\\n]*(?:\\n|$)|//[^\\n]*(?:\\n|$)|/\\*[\\s\\S]*?\\*/))*';
const IDENT = '((?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\.(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)){0,2})';
export const RENAME = new RegExp(`^${LEADING_COMMENTS}\\s*ALTER\\s+(?:TABLE|VIEW|MATERIALIZED\\s+VIEW|DYNAMIC\\s+TABLE|EXTERNAL\\s+TABLE)\\s+(?:IF\\s+EXISTS\\s+)?${IDENT}\\s+RENAME\\s+TO\\s+${IDENT}`, 'i');

