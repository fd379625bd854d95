/**
 * Scope and lineage resolution of one parsed statement: which tables it reads and writes, and for every
 * written column the input columns it comes from, typed as OpenLineage transformations.
 */
import { formatIdentifier } from '@lineage-hub/model';
import type { Cte, Expr, FromItem, NamePart, Query, SelectQuery, Statement, WindowSpec } from './sql-ast';
import type { DialectRules } from './sql-dialect';
import type { DirectSubtype, IndirectSubtype } from './lineage-result.types';

/** One input column feeding a value, with how it feeds it. */
export interface Origin {
  table: string | null;
  column: string;
  type: 'DIRECT' | 'INDIRECT';
  subtype: DirectSubtype | IndirectSubtype;
}

type Ctx = { type: 'DIRECT'; subtype: DirectSubtype } | { type: 'INDIRECT'; subtype: IndirectSubtype };

const IDENTITY: Ctx = { type: 'DIRECT', subtype: 'IDENTITY' };
const RANK: Record<DirectSubtype, number> = { IDENTITY: 0, TRANSFORMATION: 1, AGGREGATION: 2 };

const compose = (ctx: Ctx, o: Origin): Origin => {
  if (o.type === 'INDIRECT') return o;
  if (ctx.type === 'INDIRECT') return { table: o.table, column: o.column, type: 'INDIRECT', subtype: ctx.subtype };
  const subtype = RANK[ctx.subtype] >= RANK[o.subtype as DirectSubtype] ? ctx.subtype : (o.subtype as DirectSubtype);
  return subtype === o.subtype ? o : { table: o.table, column: o.column, type: 'DIRECT', subtype };
};
const deeper = (ctx: Ctx, subtype: DirectSubtype): Ctx =>
  ctx.type === 'INDIRECT' ? ctx : { type: 'DIRECT', subtype: RANK[ctx.subtype] >= RANK[subtype] ? ctx.subtype : subtype };

const AGGREGATES = new Set(
  (
    'SUM COUNT AVG MIN MAX ARRAY_AGG STRING_AGG LISTAGG GROUP_CONCAT ANY_VALUE APPROX_COUNT_DISTINCT APPROX_DISTINCT COUNT_IF COUNTIF ' +
    'STDDEV STDDEV_POP STDDEV_SAMP VARIANCE VAR_POP VAR_SAMP MEDIAN MODE PERCENTILE_CONT PERCENTILE_DISC APPROX_PERCENTILE ' +
    'APPROX_QUANTILES APPROX_TOP_COUNT BIT_AND BIT_OR BIT_XOR BOOL_AND BOOL_OR EVERY LOGICAL_AND LOGICAL_OR OBJECT_AGG ARRAY_UNIQUE_AGG ' +
    'ARRAY_CONCAT_AGG JSON_AGG JSONB_AGG JSON_OBJECT_AGG XMLAGG CORR COVAR_POP COVAR_SAMP REGR_SLOPE REGR_INTERCEPT HLL ' +
    'HLL_COUNT.MERGE KURTOSIS SKEW MAX_BY MIN_BY ARG_MAX ARG_MIN ARRAY_AGG_DISTINCT SUM_DISTINCT AVG_DISTINCT STRING_AGG_DISTINCT'
  ).split(' '),
);
/** Functions whose first argument only decides which value is returned. */
const CONDITIONAL_FIRST_ARG = new Set(['IF', 'IFF', 'IIF', 'NVL2', 'DECODE']);
const FLATTEN_COLUMNS = ['SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS'];

export interface OutColumn {
  name: string;
  origins: Origin[];
  /** A `*` left unexpanded (no schema): resolves any other column name through its source(s). */
  provider?: (column: string) => Origin[];
}

interface QueryShape {
  columns: OutColumn[];
  baseTables: string[];
}

interface Source {
  /** Alias key (or the table's last name part). */
  alias: string | null;
  /** Canonical table name parts for qualifier matching (`db.t.x`). */
  nameParts: string[] | null;
  table: string | null;
  /** Known columns in order; null when unknown. */
  columns: OutColumn[] | null;
  /** Columns of a `*` that could not be expanded. */
  stars: OutColumn[];
  baseTables: string[];
  usingColumns: Set<string>;
  /** A value table (UNNEST, FLATTEN, BigQuery array path): any field of it comes from these origins. */
  valueOrigins?: Origin[];
}

interface CteEntry {
  cte: Cte;
  shape: QueryShape | null;
  state: 'new' | 'busy' | 'done';
  scope: Scope;
}

class Scope {
  sources: Source[] = [];
  ctes = new Map<string, CteEntry>();
  /** Earlier select-list aliases (lateral column aliases). */
  lateral: Map<string, Origin[]> | null = null;
  /** Output aliases, for GROUP BY / ORDER BY / QUALIFY. */
  outputAliases: Map<string, Origin[]> | null = null;
  constructor(readonly parent: Scope | null) {}
}

export interface StatementLineage {
  reads: Set<string>;
  writes: string[];
  /** Written table -> column -> origins (null table: a plain SELECT's output). */
  columns: Array<{ table: string | null; column: string; origins: Origin[] }>;
  datasetLevel: Origin[];
  lifecycle: Array<{ kind: 'RENAME' | 'SWAP' | 'DROP' | 'TRUNCATE'; table: string; other?: string }>;
  /** Tables whose full content this statement defines (CREATE ... AS, INSERT, SELECT INTO): may be temporary. */
  defines: string[];
  /** Columns of tables created here, for later statements of the script. */
  createdColumns: Map<string, string[]>;
  warnings: string[];
  unresolved: number;
  use?: { database: string | null; schema: string | null };
}

export interface ResolverOptions {
  rules: DialectRules;
  bigquery: boolean;
  defaultDatabase: string | null;
  defaultSchema: string | null;
  lateralColumnAlias: boolean;
  /** Known table columns by canonical qualified name. */
  lookupSchema: (table: string) => string[] | null;
  /**
   * BigQuery: columns compare case-insensitively (keys are lower case) but keep a spelling; the first spelling
   * met in the SQL is recorded here (lower case -> as written) so the result can show it.
   */
  spellings?: Map<string, string>;
}

const BQ_SHARD = /^(.*?\D)[_$]?(\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$/;

export class StatementResolver {
  private readonly result: StatementLineage = {
    reads: new Set(),
    writes: [],
    columns: [],
    datasetLevel: [],
    lifecycle: [],
    defines: [],
    createdColumns: new Map(),
    warnings: [],
    unresolved: 0,
  };

  constructor(private readonly options: ResolverOptions) {}

  // ---------- names ----------
  private fold(text: string, rule: 'upper' | 'lower' | 'keep'): string {
    return rule === 'upper' ? text.toUpperCase() : rule === 'lower' ? text.toLowerCase() : text;
  }
  columnKey(part: NamePart): string {
    const { rules } = this.options;
    if (part.quoted && !rules.foldQuoted && rules.columnCase !== 'lower') return part.text;
    if (part.quoted && !rules.foldQuoted && !this.options.bigquery) return part.text;
    const key = this.fold(part.text, rules.columnCase);
    if (this.options.spellings && !this.options.spellings.has(key)) this.options.spellings.set(key, part.text);
    return key;
  }
  private tablePart(part: NamePart): string {
    const { rules } = this.options;
    const exact = part.quoted && !rules.foldQuoted ? part.text : this.fold(part.text, rules.tableCase);
    return formatIdentifier(exact, rules.tableCase);
  }
  /** Canonical parts of a name, without defaults (schema keys). */
  canonicalParts(parts: NamePart[]): string[] {
    return parts.map((p) => this.tablePart(p));
  }
  /** Canonical, default-qualified table name. */
  tableName(parts: NamePart[]): string {
    const names = parts.map((p) => this.tablePart(p));
    if (this.options.bigquery && names.length > 0) names[names.length - 1] = this.bigqueryShard(names[names.length - 1]);
    const { defaultDatabase: db, defaultSchema: schema } = this.options;
    if (names.length === 1) {
      if (schema) return [db, schema, names[0]].filter(Boolean).join('.');
      if (db) return `${db}.${names[0]}`;
    } else if (names.length === 2 && db) return `${db}.${names.join('.')}`;
    return names.join('.');
  }
  /** BigQuery date-sharded tables (`events_20240101`) and wildcard tables (`events_*`) name their family. */
  private bigqueryShard(last: string): string {
    const wildcard = /^(.*?)[_$]?\*$/.exec(last);
    if (wildcard && wildcard[1]) return wildcard[1];
    const shard = BQ_SHARD.exec(last);
    return shard ? shard[1].replace(/[_$]$/, '') : last;
  }

  // ---------- statements ----------
  resolve(statement: Statement): StatementLineage {
    const r = this.result;
    switch (statement.kind) {
      case 'query': {
        const scope = new Scope(null);
        const shape = this.analyzeQuery(statement.query, scope);
        let first: Query = statement.query;
        while (first.kind === 'set') first = first.branches[0];
        const into = first.kind === 'select' ? first.into : null;
        if (into && this.options.rules.selectInto) {
          const target = this.tableName(into);
          this.write(target, true);
          this.emit(target, shape.columns, null);
        } else if (!(first.kind === 'select' && first.intoVariables)) this.emit(null, shape.columns, null);
        break;
      }
      case 'insert': {
        const scope = new Scope(null);
        this.registerCtes(statement.ctes, scope);
        const shape = statement.query ? this.analyzeQuery(statement.query, scope) : { columns: [], baseTables: [] };
        for (const t of statement.targets) {
          const target = this.tableName(t.name);
          this.write(target, true);
          let columns = shape.columns;
          if (t.values) {
            const inner = new Scope(null);
            inner.sources.push(this.shapeSource(shape, null));
            columns = t.values.map((v) => ({ name: '', origins: this.exprOrigins(v, inner) }));
          }
          const names = t.columns?.map((c) => this.columnKey(c)) ?? null;
          this.emit(target, columns, names);
        }
        break;
      }
      case 'create': {
        const target = this.tableName(statement.target);
        this.write(target, true);
        const names = statement.columns?.map((c) => this.columnKey(c)) ?? null;
        if (statement.query) {
          const shape = this.analyzeQuery(statement.query, new Scope(null));
          this.emit(target, shape.columns, names);
        } else if (statement.clone) {
          const source = this.tableName(statement.clone);
          this.read(source);
          const known = this.options.lookupSchema(source);
          const columns: OutColumn[] = known
            ? known.map((c) => ({ name: c, origins: [{ table: source, column: c, type: 'DIRECT', subtype: 'IDENTITY' }] }))
            : [{ name: '*', origins: [{ table: source, column: '*', type: 'DIRECT', subtype: 'IDENTITY' }] }];
          this.emit(target, columns, null);
        } else if (names) {
          r.createdColumns.set(target, names);
        }
        if (statement.location) this.read(`path:${statement.location}`);
        break;
      }
      case 'update': {
        const scope = new Scope(null);
        this.registerCtes(statement.ctes, scope);
        const target = this.tableName(statement.target);
        this.write(target, false);
        const targetSource = this.tableSource(statement.target, statement.alias, target);
        scope.sources.push(targetSource);
        for (const f of statement.from) this.addFromItem(f, scope);
        this.analyzeJoinConditions(statement.from, scope);
        let readsTarget = false;
        for (const set of statement.sets) {
          const origins = this.exprOrigins(set.expr, scope);
          if (origins.some((o) => o.table === target)) readsTarget = true;
          let perColumn: Array<{ origins: Origin[] }> | null = null;
          if (set.columns.length > 1 && set.expr.kind === 'subquery') perColumn = this.analyzeQuery(set.expr.query, scope).columns;
          else if (set.columns.length > 1 && set.expr.kind === 'op' && set.expr.args.length === set.columns.length) {
            perColumn = set.expr.args.map((a) => ({ origins: this.exprOrigins(a, scope) }));
          }
          set.columns.forEach((col, i) => {
            const column = this.columnKey(col[col.length - 1]);
            r.columns.push({ table: target, column, origins: perColumn ? (perColumn[i]?.origins ?? []) : origins });
          });
        }
        if (readsTarget) this.read(target);
        if (statement.where) this.indirect(statement.where, scope, 'FILTER');
        break;
      }
      case 'delete': {
        const scope = new Scope(null);
        this.registerCtes(statement.ctes, scope);
        const target = this.tableName(statement.target);
        this.write(target, false);
        scope.sources.push(this.tableSource(statement.target, statement.alias, target));
        for (const f of statement.using) this.addFromItem(f, scope);
        this.analyzeJoinConditions(statement.using, scope);
        if (statement.where) this.indirect(statement.where, scope, 'FILTER');
        break;
      }
      case 'merge':
        this.resolveMerge(statement);
        break;
      case 'copy': {
        const path = statement.location ? `path:${statement.location}` : null;
        if (statement.direction === 'load') {
          if (path) this.read(path);
          if (statement.table) {
            const target = this.tableName(statement.table);
            this.write(target, false);
            if (statement.query) {
              const shape = this.analyzeQuery(statement.query, new Scope(null));
              this.emit(target, shape.columns, statement.columns?.map((c) => this.columnKey(c)) ?? null);
            }
          }
        } else {
          if (statement.query) {
            const shape = this.analyzeQuery(statement.query, new Scope(null));
            if (path) this.emit(path, shape.columns, null);
          } else if (statement.table) this.read(this.tableName(statement.table));
          if (path) this.write(path, false);
        }
        break;
      }
      case 'rename': {
        const from = this.tableName(statement.from);
        const toParts = statement.to.length < statement.from.length ? [...statement.from.slice(0, statement.from.length - statement.to.length), ...statement.to] : statement.to;
        const to = this.tableName(toParts);
        this.read(from);
        this.write(to, false);
        r.lifecycle.push({ kind: 'RENAME', table: from, other: to });
        break;
      }
      case 'swap': {
        const a = this.tableName(statement.a);
        const b = this.tableName(statement.b);
        this.read(b);
        this.write(a, false);
        r.lifecycle.push({ kind: 'SWAP', table: a, other: b });
        break;
      }
      case 'alter': {
        this.write(this.tableName(statement.target), false);
        if (statement.appendFrom) this.read(this.tableName(statement.appendFrom));
        break;
      }
      case 'drop':
        for (const t of statement.targets) r.lifecycle.push({ kind: 'DROP', table: this.tableName(t) });
        break;
      case 'truncate': {
        const t = this.tableName(statement.target);
        this.write(t, false);
        r.lifecycle.push({ kind: 'TRUNCATE', table: t });
        break;
      }
      case 'use':
        r.use = {
          database: statement.database ? this.tablePart(statement.database) : null,
          schema: statement.schema ? this.tablePart(statement.schema) : null,
        };
        break;
      case 'condition':
        this.exprOrigins(statement.expr, new Scope(null));
        break;
      case 'other':
        break;
    }
    return r;
  }

  private resolveMerge(statement: Extract<Statement, { kind: 'merge' }>): void {
    const r = this.result;
    const scope = new Scope(null);
    this.registerCtes(statement.ctes, scope);
    const target = this.tableName(statement.target);
    this.write(target, false);
    scope.sources.push(this.tableSource(statement.target, statement.alias, target));
    this.addFromItem(statement.source, scope);
    const sourceEntry = scope.sources[scope.sources.length - 1];
    if (statement.on) this.indirect(statement.on, scope, 'JOIN');
    const targetColumns = this.options.lookupSchema(target);
    // NOT MATCHED clauses see only the source (the target row does not exist)
    const sourceScope = new Scope(null);
    sourceScope.ctes = scope.ctes;
    sourceScope.sources.push(sourceEntry);
    const targetScope = new Scope(null);
    targetScope.ctes = scope.ctes;
    targetScope.sources.push(scope.sources[0]);
    let readsTarget = false;
    for (const clause of statement.clauses) {
      const clauseScope = clause.matched ? scope : clause.bySource ? targetScope : sourceScope;
      if (clause.condition) this.indirect(clause.condition, clauseScope, 'FILTER');
      for (const set of clause.sets) {
        const origins = this.exprOrigins(set.expr, clauseScope);
        if (origins.some((o) => o.table === target)) readsTarget = true;
        for (const col of set.columns) r.columns.push({ table: target, column: this.columnKey(col[col.length - 1]), origins });
      }
      if (clause.action === 'insert' || (clause.action === 'update' && clause.insertAll)) {
        if (clause.insertAll) {
          if (sourceEntry.columns) for (const c of sourceEntry.columns) r.columns.push({ table: target, column: c.name, origins: c.origins });
          for (const s of sourceEntry.stars) r.columns.push({ table: target, column: '*', origins: s.origins });
        } else if (clause.values) {
          const names = clause.columns?.map((c) => this.columnKey(c)) ?? targetColumns;
          if (!names) {
            this.result.warnings.push(`MERGE into ${target}: INSERT without a column list and no schema for the target; its column lineage is omitted`);
            continue;
          }
          clause.values.forEach((v, i) => {
            if (i < names.length) r.columns.push({ table: target, column: names[i], origins: this.exprOrigins(v, clauseScope) });
          });
        }
      }
    }
    if (readsTarget) this.read(target);
  }

  private write(table: string, defines: boolean): void {
    if (!this.result.writes.includes(table)) this.result.writes.push(table);
    if (defines && !this.result.defines.includes(table)) this.result.defines.push(table);
  }
  private read(table: string): void {
    this.result.reads.add(table);
  }

  /** Records the columns written to `table` (null: a plain SELECT's output), renamed by `names` if given. */
  private emit(table: string | null, columns: OutColumn[], names: string[] | null): void {
    const r = this.result;
    let targetNames = names;
    if (!targetNames && table) {
      const known = this.options.lookupSchema(table);
      if (known && !columns.some((c) => c.name === '*') && known.length >= columns.length) targetNames = known;
    }
    if (targetNames) {
      if (columns.some((c) => c.provider)) {
        r.warnings.push(`${table ?? 'query'}: a * without schema cannot be mapped onto the column list; column lineage omitted`);
        r.unresolved++;
      } else {
        columns.forEach((c, i) => {
          if (i < targetNames!.length) r.columns.push({ table, column: targetNames![i], origins: c.origins });
        });
      }
      if (table && !columns.some((c) => c.provider)) r.createdColumns.set(table, targetNames.slice());
      return;
    }
    for (const c of columns) r.columns.push({ table, column: c.name, origins: c.origins });
    if (table && !columns.some((c) => c.provider)) r.createdColumns.set(table, columns.map((c) => c.name));
  }

  // ---------- queries ----------
  private registerCtes(ctes: Cte[], scope: Scope): void {
    for (const cte of ctes) scope.ctes.set(this.columnKey(cte.name), { cte, shape: null, state: 'new', scope });
  }

  private findCte(parts: NamePart[], scope: Scope): CteEntry | null {
    if (parts.length !== 1) return null;
    const key = this.columnKey(parts[0]);
    for (let s: Scope | null = scope; s; s = s.parent) {
      const entry = s.ctes.get(key);
      if (entry) return entry;
    }
    return null;
  }

  private cteShape(entry: CteEntry): QueryShape {
    if (entry.state === 'done') return entry.shape!;
    if (entry.state === 'busy') {
      // a recursive reference: the anchor's shape (first branch), without re-reading it
      return entry.shape ?? { columns: [], baseTables: [] };
    }
    entry.state = 'busy';
    const q = entry.cte.query;
    if (q.kind === 'set' && entry.cte.recursive) {
      const anchor = this.analyzeQuery(q.branches[0], entry.scope);
      entry.shape = this.renameShape(anchor, entry.cte.columns);
    }
    const shape = this.renameShape(this.analyzeQuery(q, entry.scope), entry.cte.columns);
    entry.shape = shape;
    entry.state = 'done';
    return shape;
  }

  private renameShape(shape: QueryShape, names: NamePart[] | null): QueryShape {
    if (!names) return shape;
    const keys = names.map((n) => this.columnKey(n));
    return { baseTables: shape.baseTables, columns: shape.columns.map((c, i) => (i < keys.length && !c.provider ? { ...c, name: keys[i] } : c)) };
  }

  analyzeQuery(q: Query, parent: Scope): QueryShape {
    let scope = parent;
    if (q.ctes.length) {
      scope = new Scope(parent);
      this.registerCtes(q.ctes, scope);
    }
    switch (q.kind) {
      case 'select':
        return this.analyzeSelect(q, scope);
      case 'values': {
        const width = Math.max(0, ...q.rows.map((r) => r.length));
        const columns: OutColumn[] = [];
        for (let i = 0; i < width; i++) {
          const origins: Origin[] = [];
          for (const row of q.rows) if (row[i]) origins.push(...this.exprOrigins(row[i], scope));
          columns.push({ name: `column${i + 1}`, origins });
        }
        return { columns, baseTables: [] };
      }
      case 'set': {
        const shapes = q.branches.map((b) => this.analyzeQuery(b, scope));
        const shape = this.mergeBranches(shapes);
        if (q.orderBy.length) {
          const s = new Scope(scope);
          s.outputAliases = new Map(shape.columns.map((c) => [c.name, c.origins]));
          for (const e of q.orderBy) this.indirect(e, s, 'SORT');
        }
        return shape;
      }
    }
  }

  private mergeBranches(shapes: QueryShape[]): QueryShape {
    const first = shapes[0];
    const baseTables = shapes.flatMap((s) => s.baseTables);
    const allStars = shapes.every((s) => s.columns.length > 0 && s.columns.every((c) => c.provider));
    if (allStars) {
      const providers = shapes.flatMap((s) => s.columns.map((c) => c.provider!));
      return {
        baseTables,
        columns: [{ name: '*', origins: shapes.flatMap((s) => s.columns.flatMap((c) => c.origins)), provider: (col) => providers.flatMap((p) => p(col)) }],
      };
    }
    if (shapes.some((s) => s.columns.length !== first.columns.length || s.columns.some((c) => c.provider))) {
      this.result.warnings.push('set operation branches have different or unknown column counts; columns aligned by position');
      this.result.unresolved++;
    }
    const columns = first.columns.map((c, i) => ({
      name: c.name,
      origins: shapes.flatMap((s) => s.columns[i]?.origins ?? []),
      provider: c.provider,
    }));
    return { columns, baseTables };
  }

  private analyzeSelect(q: SelectQuery, parent: Scope): QueryShape {
    const scope = new Scope(parent);
    for (const f of q.from) this.addFromItem(f, scope);
    this.analyzeJoinConditions(q.from, scope);
    const lateralOn = this.options.lateralColumnAlias;
    if (lateralOn) scope.lateral = new Map();
    const columns: OutColumn[] = [];
    for (const item of q.items) {
      if (item.kind === 'star') {
        columns.push(...this.expandStar(item, scope));
        continue;
      }
      const state = { starAgg: false };
      const origins = this.analyzeExpr(item.expr, scope, IDENTITY, q, state);
      if (origins.length === 0 && state.starAgg) {
        for (const t of this.scopeBaseTables(scope)) origins.push({ table: t, column: '*', type: 'DIRECT', subtype: 'AGGREGATION' });
      }
      const name = item.alias ? this.columnKey(item.alias) : this.itemName(item.expr, item.text);
      columns.push({ name, origins });
      if (scope.lateral && !scope.lateral.has(name)) scope.lateral.set(name, origins);
    }
    scope.lateral = null;
    scope.outputAliases = new Map(columns.filter((c) => !c.provider).map((c) => [c.name, c.origins]));
    if (q.where) this.indirect(q.where, scope, 'FILTER', q, true);
    for (const g of q.groupBy) this.indirect(g, scope, 'GROUP_BY', q);
    if (q.having) this.indirect(q.having, scope, 'FILTER', q);
    if (q.qualify) this.indirect(q.qualify, scope, 'FILTER', q);
    for (const o of q.orderBy) this.indirect(o, scope, 'SORT', q);
    for (const d of q.distinctOn) this.indirect(d, scope, 'GROUP_BY', q);
    return { columns, baseTables: this.scopeBaseTables(scope) };
  }

  private scopeBaseTables(scope: Scope): string[] {
    return scope.sources.flatMap((s) => s.baseTables);
  }

  private itemName(expr: Expr, text: string): string {
    let e = expr;
    while (e.kind === 'cast') e = e.expr;
    if (e.kind === 'column') return this.columnKey(e.parts[e.parts.length - 1]);
    const key = this.options.rules.columnCase === 'upper' ? text.toUpperCase() : text.toLowerCase();
    if (this.options.spellings && !this.options.spellings.has(key)) this.options.spellings.set(key, text);
    return key;
  }

  private expandStar(item: Extract<import('./sql-ast').SelectItem, { kind: 'star' }>, scope: Scope): OutColumn[] {
    let sources = scope.sources;
    if (item.qualifier) {
      const found = this.findSource(item.qualifier, scope, false);
      if (!found) {
        this.result.warnings.push(`${item.qualifier.map((p) => p.text).join('.')}.* names no table in scope`);
        this.result.unresolved++;
        return [];
      }
      sources = [found];
    }
    const except = new Set(item.except.map((p) => this.columnKey(p)));
    const replace = new Map(item.replace.map((r) => [this.columnKey(r.alias), r.expr]));
    const out: OutColumn[] = [];
    const seenUsing = new Set<string>();
    for (const s of sources) {
      for (const c of s.columns ?? []) {
        if (except.has(c.name)) continue;
        if (!item.qualifier && s.usingColumns.has(c.name)) {
          if (seenUsing.has(c.name)) continue;
          seenUsing.add(c.name);
          const all = sources.filter((x) => x.usingColumns.has(c.name)).flatMap((x) => (x.columns ?? []).filter((y) => y.name === c.name).flatMap((y) => y.origins));
          out.push({ name: c.name, origins: all });
          continue;
        }
        const rep = replace.get(c.name);
        out.push(rep ? { name: c.name, origins: this.exprOrigins(rep, scope) } : { name: c.name, origins: c.origins });
      }
      for (const star of s.stars) {
        if (except.size) this.result.warnings.push('EXCEPT/EXCLUDE on a * without schema cannot remove columns');
        out.push(star);
      }
    }
    return out;
  }

  // ---------- FROM ----------
  private tableSource(parts: NamePart[], alias: NamePart | null, table: string): Source {
    const known = this.options.lookupSchema(table);
    const nameParts = parts.map((p) => this.columnKey(p));
    const source: Source = {
      alias: alias ? this.columnKey(alias) : (nameParts[nameParts.length - 1] ?? null),
      nameParts,
      table,
      columns: known ? known.map((c) => ({ name: c, origins: [{ table, column: c, type: 'DIRECT', subtype: 'IDENTITY' }] })) : null,
      stars: [],
      baseTables: [table],
      usingColumns: new Set(),
    };
    if (!known) {
      source.stars.push({
        name: '*',
        origins: [{ table, column: '*', type: 'DIRECT', subtype: 'IDENTITY' }],
        provider: (column) => [{ table, column, type: 'DIRECT', subtype: 'IDENTITY' }],
      });
    }
    return source;
  }

  private shapeSource(shape: QueryShape, alias: string | null, nameParts: string[] | null = null): Source {
    return {
      alias,
      nameParts,
      table: null,
      columns: shape.columns.filter((c) => !c.provider),
      stars: shape.columns.filter((c) => c.provider),
      baseTables: shape.baseTables,
      usingColumns: new Set(),
    };
  }

  private addFromItem(item: FromItem, scope: Scope): void {
    switch (item.kind) {
      case 'table': {
        // BigQuery correlated array path: FROM t, t.arr
        if (item.name.length >= 2 && scope.sources.some((s) => s.alias === this.columnKey(item.name[0]))) {
          const origins = this.resolveColumn(item.name, scope);
          const alias = item.alias ? this.columnKey(item.alias) : this.columnKey(item.name[item.name.length - 1]);
          scope.sources.push(this.functionSource(alias, [alias], origins, null));
          return;
        }
        const cte = this.findCte(item.name, scope);
        if (cte) {
          let shape = this.cteShape(cte);
          shape = this.renameShape(shape, item.columnAliases);
          const name = this.columnKey(item.name[0]);
          scope.sources.push(this.shapeSource(shape, item.alias ? this.columnKey(item.alias) : name, [name]));
          return;
        }
        const table = this.tableName(item.name);
        this.read(table);
        const source = this.tableSource(item.name, item.alias, table);
        if (item.columnAliases && source.columns) {
          const keys = item.columnAliases.map((c) => this.columnKey(c));
          source.columns = source.columns.map((c, i) => (i < keys.length ? { ...c, name: keys[i] } : c));
        }
        scope.sources.push(source);
        return;
      }
      case 'derived': {
        const shape = this.renameShape(this.analyzeQuery(item.query, scope), item.columnAliases);
        scope.sources.push(this.shapeSource(shape, item.alias ? this.columnKey(item.alias) : null));
        return;
      }
      case 'function': {
        const origins = item.args.flatMap((a) => this.exprOrigins(a, scope).map((o) => compose({ type: 'DIRECT', subtype: 'TRANSFORMATION' }, o)));
        const alias = item.alias ? this.columnKey(item.alias) : null;
        let names: string[];
        if (item.columnAliases) names = item.columnAliases.map((c) => this.columnKey(c));
        else if (item.name === 'FLATTEN' || (item.name === 'TABLE' && item.args[0]?.kind === 'func' && item.args[0].name === 'FLATTEN'))
          names = FLATTEN_COLUMNS.map((c) => this.columnKey({ text: c, quoted: false }));
        else if (alias) names = [alias];
        else names = item.name === 'UNNEST' ? ['unnest', 'f0_'] : [];
        scope.sources.push(this.functionSource(alias, names, origins, item.offsetAlias ? this.columnKey(item.offsetAlias) : null));
        return;
      }
      case 'path': {
        const table = `path:${item.location}`;
        this.read(table);
        scope.sources.push(this.tableSource([], item.alias, table));
        return;
      }
      case 'pivot': {
        const inner = new Scope(scope.parent);
        this.addFromItem(item.source, inner);
        for (const e of item.exprs) this.exprOrigins(e, inner);
        const baseTables = inner.sources.flatMap((s) => s.baseTables);
        const providers = inner.sources;
        scope.sources.push({
          alias: item.alias ? this.columnKey(item.alias) : null,
          nameParts: null,
          table: null,
          columns: null,
          stars: [
            {
              name: '*',
              origins: providers.flatMap((p) => p.stars.flatMap((s) => s.origins).concat((p.columns ?? []).flatMap((c) => c.origins))),
              provider: (column) => {
                for (const p of providers) {
                  const hit = this.sourceColumn(p, column, true);
                  if (hit) return hit;
                }
                return [];
              },
            },
          ],
          baseTables,
          usingColumns: new Set(),
        });
        return;
      }
      case 'join': {
        this.addFromItem(item.left, scope);
        const leftCount = scope.sources.length;
        this.addFromItem(item.right, scope);
        const usingNames = item.using ? item.using.map((u) => this.columnKey(u)) : item.natural ? this.naturalColumns(scope, leftCount) : [];
        if (usingNames.length) {
          for (const s of scope.sources) {
            for (const u of usingNames) {
              if (this.sourceColumn(s, u, false)) s.usingColumns.add(u);
            }
          }
          for (const u of usingNames) {
            for (const s of scope.sources) {
              const hit = this.sourceColumn(s, u, s.columns === null || s.usingColumns.has(u));
              if (hit) this.result.datasetLevel.push(...hit.map((o) => ({ ...o, type: 'INDIRECT' as const, subtype: 'JOIN' as const })));
            }
          }
        }
        return;
      }
    }
  }

  private naturalColumns(scope: Scope, leftCount: number): string[] {
    const left = new Set(scope.sources.slice(0, leftCount).flatMap((s) => (s.columns ?? []).map((c) => c.name)));
    return scope.sources.slice(leftCount).flatMap((s) => (s.columns ?? []).map((c) => c.name)).filter((n) => left.has(n));
  }

  private functionSource(alias: string | null, names: string[], origins: Origin[], offsetAlias: string | null): Source {
    const columns: OutColumn[] = names.map((name) => ({ name, origins }));
    if (offsetAlias) columns.push({ name: offsetAlias, origins: [] });
    return { alias, nameParts: null, table: null, columns, stars: [], baseTables: [], usingColumns: new Set(), valueOrigins: origins };
  }

  private analyzeJoinConditions(items: FromItem[], scope: Scope): void {
    const visit = (item: FromItem) => {
      if (item.kind !== 'join') return;
      visit(item.left);
      visit(item.right);
      if (item.on) this.indirect(item.on, scope, 'JOIN');
    };
    items.forEach(visit);
  }

  // ---------- columns ----------
  /** A column of a source: known columns first; `allowUnknown` lets a `*` without schema answer for it. */
  private sourceColumn(s: Source, name: string, allowUnknown: boolean): Origin[] | null {
    if (s.columns) {
      for (const c of s.columns) if (c.name === name) return c.origins;
    }
    if (allowUnknown && s.stars.length === 1) return s.stars[0].provider!(name);
    if (allowUnknown && s.stars.length > 1) {
      return s.stars.flatMap((st) => st.provider!(name));
    }
    return null;
  }

  private findSource(qualifier: NamePart[], scope: Scope, walk = true): Source | null {
    const keys = qualifier.map((p) => this.columnKey(p));
    for (let s: Scope | null = scope; s; s = walk ? s.parent : null) {
      if (keys.length === 1) {
        for (let i = s.sources.length - 1; i >= 0; i--) if (s.sources[i].alias === keys[0]) return s.sources[i];
      }
      for (const src of s.sources) {
        const np = src.nameParts;
        if (np && np.length >= keys.length && keys.every((k, i) => np[np.length - keys.length + i] === k)) return src;
      }
      if (!walk) break;
    }
    return null;
  }

  private resolveColumn(parts: NamePart[], scope: Scope, preferAlias = false): Origin[] {
    if (parts.length === 1) return this.resolveUnqualified(this.columnKey(parts[0]), scope, preferAlias);
    for (let k = parts.length - 1; k >= 1; k--) {
      const source = this.findSource(parts.slice(0, k), scope);
      if (!source) continue;
      const name = this.columnKey(parts[k]);
      let origins = this.sourceColumn(source, name, true);
      if (!origins && source.valueOrigins) origins = source.valueOrigins.map((o) => compose({ type: 'DIRECT', subtype: 'TRANSFORMATION' }, o));
      if (!origins) {
        // a qualified column the schema does not list: trust the SQL
        origins = source.table ? [{ table: source.table, column: name, type: 'DIRECT', subtype: 'IDENTITY' }] : [];
        if (!source.table) {
          this.result.warnings.push(`column ${parts.map((p) => p.text).join('.')} not found in its source`);
          this.result.unresolved++;
        }
      }
      return k < parts.length - 1 ? origins.map((o) => compose({ type: 'DIRECT', subtype: 'TRANSFORMATION' }, o)) : origins;
    }
    // struct field access on an unqualified column: col.field
    return this.resolveUnqualified(this.columnKey(parts[0]), scope, preferAlias).map((o) => compose({ type: 'DIRECT', subtype: 'TRANSFORMATION' }, o));
  }

  private resolveUnqualified(name: string, scope: Scope, preferAlias: boolean): Origin[] {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (preferAlias && s === scope && s.outputAliases?.has(name)) {
        const known = s.sources.some((src) => src.columns?.some((c) => c.name === name));
        if (!known) return s.outputAliases.get(name)!;
      }
      const known: Origin[][] = [];
      for (const src of s.sources) {
        const hit = this.sourceColumn(src, name, false);
        if (hit) known.push(hit);
      }
      if (known.length === 1) return known[0];
      if (known.length > 1) {
        const using = s.sources.some((src) => src.usingColumns.has(name));
        if (!using) {
          this.result.warnings.push(`column ${name} is ambiguous; all candidates kept`);
          this.result.unresolved++;
        }
        return known.flat();
      }
      if (s.lateral?.has(name)) return s.lateral.get(name)!;
      const unknown = s.sources.filter((src) => src.stars.length > 0);
      if (unknown.length === 1) return this.sourceColumn(unknown[0], name, true)!;
      if (unknown.length > 1) {
        if (s.outputAliases?.has(name)) return s.outputAliases.get(name)!;
        this.result.warnings.push(`column ${name} could come from several tables; give a schema to resolve it`);
        this.result.unresolved++;
        return [{ table: null, column: name, type: 'DIRECT', subtype: 'IDENTITY' }];
      }
      if (s.outputAliases?.has(name)) return s.outputAliases.get(name)!;
    }
    return [];
  }

  exprOrigins(e: Expr, scope: Scope): Origin[] {
    return this.analyzeExpr(e, scope, IDENTITY, null, { starAgg: false });
  }

  /** Records the columns of `e` as dataset-level dependencies of kind `subtype`. */
  private indirect(e: Expr, scope: Scope, subtype: IndirectSubtype, q: SelectQuery | null = null, sourcesFirst = false): void {
    const origins = this.analyzeExpr(e, scope, { type: 'INDIRECT', subtype }, q, { starAgg: false }, !sourcesFirst);
    for (const o of origins) this.result.datasetLevel.push(o);
  }

  private analyzeExpr(e: Expr, scope: Scope, ctx: Ctx, q: SelectQuery | null, state: { starAgg: boolean }, preferAlias = false): Origin[] {
    const out: Origin[] = [];
    const visit = (x: Expr, c: Ctx): void => {
      switch (x.kind) {
        case 'column':
          for (const o of this.resolveColumn(x.parts, scope, preferAlias)) out.push(compose(c, o));
          return;
        case 'star':
          state.starAgg = true;
          return;
        case 'literal':
          return;
        case 'cast':
          visit(x.expr, deeper(c, 'TRANSFORMATION'));
          return;
        case 'op':
          for (const a of x.args) visit(a, deeper(c, 'TRANSFORMATION'));
          return;
        case 'access':
          visit(x.expr, deeper(c, 'TRANSFORMATION'));
          for (const a of x.index) visit(a, deeper(c, 'TRANSFORMATION'));
          return;
        case 'case': {
          for (const cond of x.conditions) {
            const before = out.length;
            visit(cond, { type: 'INDIRECT', subtype: 'CONDITIONAL' });
            const conditional = out.slice(before);
            this.result.datasetLevel.push(...conditional);
            if (c.type === 'INDIRECT') for (const o of conditional) out.push({ ...o, subtype: c.subtype }); // a condition inside a filter also filters
          }
          for (const r of x.results) visit(r, c);
          return;
        }
        case 'subquery': {
          const shape = this.analyzeQuery(x.query, scope);
          for (const col of shape.columns) for (const o of col.origins) out.push(compose(c, o));
          return;
        }
        case 'func': {
          const isAgg = AGGREGATES.has(x.name);
          const argCtx = deeper(c, isAgg ? 'AGGREGATION' : 'TRANSFORMATION');
          if (x.star) state.starAgg = true;
          x.args.forEach((a, i) => {
            if (i === 0 && CONDITIONAL_FIRST_ARG.has(x.name) && x.args.length > 1) {
              const before = out.length;
              visit(a, { type: 'INDIRECT', subtype: 'CONDITIONAL' });
              this.result.datasetLevel.push(...out.slice(before));
            } else visit(a, argCtx);
          });
          if (x.filter) visit(x.filter, { type: 'INDIRECT', subtype: 'FILTER' });
          if (x.withinGroup) for (const w of x.withinGroup) visit(w, { type: 'INDIRECT', subtype: 'SORT' });
          if (x.over) {
            const spec: WindowSpec = x.over.ref && q?.windows.get(x.over.ref) ? { ...q.windows.get(x.over.ref)!, ...(x.over.partition.length || x.over.order.length ? x.over : {}) } : x.over;
            const before = out.length;
            for (const p of spec.partition) visit(p, { type: 'INDIRECT', subtype: 'WINDOW' });
            for (const o of spec.order) visit(o, { type: 'INDIRECT', subtype: 'WINDOW' });
            const windowed = out.slice(before);
            this.result.datasetLevel.push(...windowed);
            if (c.type === 'INDIRECT') for (const o of windowed) out.push({ ...o, subtype: c.subtype }); // e.g. QUALIFY filters on the window's columns

          }
          return;
        }
      }
    };
    visit(e, ctx);
    return out;
  }
}
