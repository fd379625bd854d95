/**
 * The library's one entry point: SQL text in, table and column lineage out. Scripts are resolved statement by
 * statement; transient tables (temporary, or created and dropped by the script) are resolved through end to end;
 * any other table one statement writes and a later one reads stays in the lineage.
 * Never throws: what cannot be parsed is reported in `errors` and lowers `confidence`.
 */
import { splitIdentifierParts, unquoteIdentifier } from '@lineage-hub/model';
import type { NamePart } from './sql-ast';
import { DIALECT_RULES, normaliseDialect, type SqlDialect } from './sql-dialect';
import { type Origin, type ResolverOptions, type StatementLineage, StatementResolver } from './lineage-resolver';
import type {
  ColumnLineageEntry,
  ColumnTransformation,
  DatasetLevelDependency,
  DirectSubtype,
  LifecycleEvent,
  SqlLineageRequest,
  SqlLineageResult,
} from './lineage-result.types';
import { parseSql } from './sql-parser';
import { isSqlConventions } from './peer-conventions';

const RANK: Record<DirectSubtype, number> = { IDENTITY: 0, TRANSFORMATION: 1, AGGREGATION: 2 };

const emptyResult = (dialect: SqlDialect, error: string): SqlLineageResult => ({
  dialect,
  inTables: [],
  outTables: [],
  columnLineage: [],
  datasetLevel: [],
  lifecycle: [],
  statements: 0,
  confidence: 0,
  warnings: [],
  errors: [error],
});

export const extractLineage = (request: SqlLineageRequest): SqlLineageResult => {
  const dialect = (typeof request?.dialect === 'string' && normaliseDialect(request.dialect)) || 'ansi';
  try {
    if (!request || typeof request.sql !== 'string') return emptyResult(dialect, 'sql must be a string');
    if (request.conventions !== undefined && !isSqlConventions(request.conventions)) {
      return emptyResult(dialect, 'conventions must be "openlineage" or "sqllineage"');
    }
    return extract(request, dialect);
  } catch (e) {
    return emptyResult(dialect, `internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
};

type ColumnMap = Map<string, Origin[]>;

const extract = (request: SqlLineageRequest, dialect: SqlDialect): SqlLineageResult => {
  const rules = DIALECT_RULES[dialect];
  const warnings: string[] = [];
  if (typeof request.dialect === 'string' && !normaliseDialect(request.dialect)) warnings.push(`unknown dialect "${request.dialect}", parsed as ansi`);
  const spellings = dialect === 'bigquery' ? new Map<string, string>() : undefined;
  const baseOptions: ResolverOptions = {
    rules,
    bigquery: dialect === 'bigquery',
    defaultDatabase: null,
    defaultSchema: null,
    lateralColumnAlias: request.lateralColumnAlias ?? rules.lateralColumnAlias,
    sqllineage: request.conventions === 'sqllineage',
    lookupSchema: () => null,
    spellings,
  };
  const namer = new StatementResolver(baseOptions);
  const toParts = (name: string): NamePart[] =>
    splitIdentifierParts(name, { quotes: '"`' }).map((p) => {
      const unquoted = unquoteIdentifier(p.trim());
      return unquoted === null ? { text: p.trim(), quoted: false } : { text: unquoted, quoted: true };
    });
  const canonicalDefault = (value: string | undefined): string | null => (value ? namer.canonicalParts(toParts(value)).join('.') : null);

  // schema: canonical qualified name -> columns, plus an index by last part for suffix matches
  const schemaIndex = new Map<string, Array<{ parts: string[]; columns: string[]; spelled: Map<string, string> }>>();
  const namerNoSpelling = new StatementResolver({ ...baseOptions, spellings: undefined });
  for (const [key, cols] of Object.entries(request.schema ?? {})) {
    if (!Array.isArray(cols)) continue;
    const parts = namer.canonicalParts(toParts(key));
    const spelled = new Map<string, string>();
    const columns = cols
      .filter((c) => typeof c === 'string')
      .map((c) => {
        const part = toParts(c)[0] ?? { text: c, quoted: false };
        const k = namerNoSpelling.columnKey(part);
        spelled.set(k, part.text);
        return k;
      });
    const last = parts[parts.length - 1];
    if (!schemaIndex.has(last)) schemaIndex.set(last, []);
    schemaIndex.get(last)!.push({ parts, columns, spelled });
  }
  const session = new Map<string, string[]>();
  const schemaEntry = (table: string) => {
    const parts = splitIdentifierParts(table, { quotes: '"' });
    const candidates = schemaIndex.get(parts[parts.length - 1]);
    if (!candidates) return null;
    for (const c of candidates) {
      const k = Math.min(c.parts.length, parts.length);
      let match = true;
      for (let i = 1; i <= k && match; i++) if (c.parts[c.parts.length - i] !== parts[parts.length - i]) match = false;
      if (match) return c;
    }
    return null;
  };
  const lookupSchema = (table: string): string[] | null => session.get(table) ?? schemaEntry(table)?.columns ?? null;
  /** BigQuery: a column's spelling, from the table's schema, else as first written in the SQL. */
  const spell = (table: string | null, column: string): string => {
    if (!spellings || column === '*') return column;
    return (table ? schemaEntry(table)?.spelled.get(column) : undefined) ?? spellings.get(column) ?? column;
  };

  let database = canonicalDefault(request.defaultDatabase);
  let schema = canonicalDefault(request.defaultSchema);
  const parsed = parseSql(request.sql, dialect);

  const errors: string[] = [];
  const reads = new Set<string>();
  const writes: string[] = [];
  const produced = new Map<string, ColumnMap>();
  const intermediates = new Set<string>();
  const columnRows: Array<{ table: string | null; column: string; origins: Origin[] }> = [];
  const datasetLevel: Origin[] = [];
  const lifecycle: LifecycleEvent[] = [];
  let statements = 0;
  let unresolved = 0;
  let partial = 0;

  const substitute = (origins: Origin[]): Origin[] => {
    const out: Origin[] = [];
    for (const o of origins) {
      const map = o.table ? produced.get(o.table) : undefined;
      if (!map) {
        out.push(o);
        continue;
      }
      const direct = map.get(o.column);
      if (direct) {
        for (const d of direct) out.push(composeThrough(o, d));
        continue;
      }
      const star = map.get('*');
      if (star) {
        for (const d of star) out.push(composeThrough(o, { ...d, column: d.column === '*' ? o.column : d.column }));
        continue;
      }
      out.push(o);
    }
    return out;
  };

  // Pass 1: every statement's own lineage (USE and created columns carry over to the next statements).
  const lineages: StatementLineage[] = [];
  for (const p of parsed) {
    statements++;
    if (p.error || !p.statement) {
      errors.push(`statement at offset ${p.start}: ${p.error ?? 'not parsed'}`);
      continue;
    }
    warnings.push(...p.warnings);
    if (p.warnings.length) partial++;
    const resolver = new StatementResolver({ ...baseOptions, defaultDatabase: database, defaultSchema: schema, lookupSchema });
    let lineage: ReturnType<StatementResolver['resolve']>;
    try {
      lineage = resolver.resolve(p.statement);
    } catch (e) {
      const reason = e instanceof RangeError ? 'statement nests too deeply to resolve (stack exhausted)' : e instanceof Error ? e.message : String(e);
      errors.push(`statement at offset ${p.start}: ${reason}`);
      continue;
    }
    if (lineage.use) {
      if (lineage.use.database) database = lineage.use.database;
      if (lineage.use.schema) schema = lineage.use.schema;
    }
    for (const [table, cols] of lineage.createdColumns) session.set(table, cols);
    lineages.push(lineage);
  }

  // Transient tables live inside the script: created temporary, or created and dropped by it. Later readers are
  // resolved through them and they are neither inputs nor outputs. Any other table a statement writes and a
  // later one reads stays in the lineage (an output of the one, an input of the other).
  // (A DROP before the CREATE, `DROP TABLE IF EXISTS t; CREATE TABLE t AS ...`, leaves t a real output.)
  const transient = new Set<string>();
  const definedSoFar = new Set<string>();
  const createdSoFar = new Set<string>();
  for (const l of lineages) {
    for (const t of l.temporaries) transient.add(t);
    for (const ev of l.lifecycle) if (ev.kind === 'DROP' && definedSoFar.has(ev.table)) transient.add(ev.table);
    // sqllineage: a table (or view) the script created before and reads now is intermediate, whatever its lifetime
    if (baseOptions.sqllineage) for (const t of l.reads) if (createdSoFar.has(t)) transient.add(t);
    for (const t of l.defines) definedSoFar.add(t);
    for (const t of l.creates) createdSoFar.add(t);
  }

  // Pass 2: the script's lineage.
  for (const lineage of lineages) {
    warnings.push(...lineage.warnings);
    unresolved += lineage.unresolved;
    for (const t of lineage.reads) {
      if (produced.has(t)) intermediates.add(t);
      else reads.add(t);
    }
    for (const t of lineage.writes) if (!writes.includes(t)) writes.push(t);
    const rows = lineage.columns.map((c) => ({ ...c, origins: substitute(c.origins) }));
    columnRows.push(...rows);
    datasetLevel.push(...substitute(lineage.datasetLevel));
    for (const table of lineage.defines) {
      if (!transient.has(table)) continue;
      const map = produced.get(table) ?? new Map<string, Origin[]>();
      for (const row of rows) if (row.table === table) map.set(row.column, [...(map.get(row.column) ?? []), ...row.origins]);
      produced.set(table, map);
    }
    for (const ev of lineage.lifecycle) {
      if (ev.kind === 'RENAME') {
        lifecycle.push({ kind: 'RENAME', table: ev.table, to: ev.other! });
        if (baseOptions.sqllineage) renameOutput(ev.table, ev.other!, writes, columnRows);
      } else if (ev.kind === 'SWAP') lifecycle.push({ kind: 'SWAP', table: ev.table, with: ev.other! });
      else if (ev.kind === 'DROP') {
        lifecycle.push({ kind: 'DROP', table: ev.table });
        if (transient.has(ev.table) && produced.has(ev.table)) intermediates.add(ev.table);
      } else lifecycle.push({ kind: 'TRUNCATE', table: ev.table });
    }
  }
  for (const t of intermediates) reads.delete(t);

  const columnLineage = mergeRows(columnRows.filter((r) => r.table === null || !intermediates.has(r.table)));
  if (spellings) {
    for (const e of columnLineage) {
      e.downstream.column = spell(e.downstream.table, e.downstream.column);
      for (const u of e.upstreams) u.column = spell(u.table, u.column);
    }
  }
  const seenLevel = new Set<string>();
  const level: DatasetLevelDependency[] = [];
  for (const o of datasetLevel) {
    if (!o.table || o.type !== 'INDIRECT' || intermediates.has(o.table)) continue;
    const key = `${o.table}\u0000${o.column}\u0000${o.subtype}`;
    if (seenLevel.has(key)) continue;
    seenLevel.add(key);
    level.push({ table: o.table, column: spell(o.table, o.column), subtype: o.subtype as DatasetLevelDependency['subtype'] });
  }
  const parsedCount = statements - errors.length;
  const fraction = statements === 0 ? 1 : parsedCount / statements;
  const penalty = Math.min(0.5, 0.05 * unresolved + 0.1 * partial);
  const confidence = Math.round(fraction * (1 - penalty) * 100) / 100;
  return {
    dialect,
    inTables: [...reads].sort(),
    outTables: writes.filter((t) => !intermediates.has(t)).sort(),
    columnLineage,
    datasetLevel: level,
    lifecycle,
    statements,
    confidence,
    warnings: [...new Set(warnings)],
    errors,
  };
};

/**
 * sqllineage's RENAME: a table the script wrote before is written under its new name (its column rows too); a
 * RENAME of any other table has no tables of its own (lineage-resolver.ts).
 */
const renameOutput = (from: string, to: string, writes: string[], rows: Array<{ table: string | null }>): void => {
  const at = writes.indexOf(from);
  if (at < 0) return;
  if (writes.includes(to)) writes.splice(at, 1);
  else writes[at] = to;
  for (const row of rows) if (row.table === from) row.table = to;
};

/** An origin read through a temporary table: the outer transformation applied on top of the inner one. */
const composeThrough = (outer: Origin, inner: Origin): Origin => {
  if (outer.type === 'INDIRECT') return { ...inner, type: 'INDIRECT', subtype: outer.subtype };
  if (inner.type === 'INDIRECT') return inner;
  const a = outer.subtype as DirectSubtype;
  const b = inner.subtype as DirectSubtype;
  return { ...inner, subtype: RANK[a] >= RANK[b] ? a : b };
};

const mergeRows = (rows: Array<{ table: string | null; column: string; origins: Origin[] }>): ColumnLineageEntry[] => {
  const entries = new Map<string, { table: string | null; column: string; ups: Map<string, { table: string | null; column: string; t: Map<string, ColumnTransformation> }> }>();
  for (const row of rows) {
    if (row.origins.length === 0) continue;
    const key = `${row.table ?? ''}\u0000${row.column}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { table: row.table, column: row.column, ups: new Map() };
      entries.set(key, entry);
    }
    for (const o of row.origins) {
      const upKey = `${o.table ?? ''}\u0000${o.column}`;
      let up = entry.ups.get(upKey);
      if (!up) {
        up = { table: o.table, column: o.column, t: new Map() };
        entry.ups.set(upKey, up);
      }
      up.t.set(`${o.type}/${o.subtype}`, { type: o.type, subtype: o.subtype } as ColumnTransformation);
    }
  }
  const out: ColumnLineageEntry[] = [];
  for (const e of entries.values()) {
    const upstreams = [...e.ups.values()].map((u) => ({ table: u.table, column: u.column, transformations: [...u.t.values()] }));
    let best: ColumnTransformation | null = null;
    for (const u of upstreams) {
      for (const t of u.transformations) {
        if (t.type !== 'DIRECT') continue;
        if (!best || best.type !== 'DIRECT' || RANK[t.subtype] > RANK[best.subtype]) best = t;
      }
    }
    if (!best) best = upstreams[0].transformations[0];
    out.push({ downstream: { table: e.table, column: e.column }, upstreams, transformation: best });
  }
  return out;
};
