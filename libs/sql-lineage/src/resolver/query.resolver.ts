/** Queries: CTEs, set operations (branches merged by position), SELECT lists and `*` expansion. */
import type { Expr, Query, SelectQuery } from '../sql-ast';
import { IDENTITY, type Origin, type OutColumn, type QueryShape, Scope } from './resolution.types';
import { FromClauseResolver } from './from-clause.resolver';

export abstract class QueryResolver extends FromClauseResolver {

  analyzeQuery(q: Query, parent: Scope): QueryShape {
    if (!q.ctes.length) return this.analyzeBody(q, parent);
    const scope = this.registerCtes(q.ctes, new Scope(parent));
    const shape = this.analyzeBody(q, scope);
    if (this.options.sqllineage) this.readUnusedCtes(scope, parent);
    return shape;
  }

  private analyzeBody(q: Query, scope: Scope): QueryShape {
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

  protected mergeBranches(shapes: QueryShape[]): QueryShape {
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

  protected analyzeSelect(q: SelectQuery, parent: Scope): QueryShape {
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

  protected scopeBaseTables(scope: Scope): string[] {
    return scope.sources.flatMap((s) => s.baseTables);
  }

  /** An unaliased item's column name: a column's own name, through casts (DialectRules.castNamedByText); else its text. */
  protected itemName(expr: Expr, text: string): string {
    let e = expr;
    while (e.kind === 'cast' && (e.syntax === 'operator' || !this.options.rules.castNamedByText)) e = e.expr;
    if (e.kind === 'column') return this.columnKey(e.parts[e.parts.length - 1]);
    const key = this.options.rules.columnCase === 'upper' ? text.toUpperCase() : text.toLowerCase();
    if (this.options.spellings && !this.options.spellings.has(key)) this.options.spellings.set(key, text);
    return key;
  }

  protected expandStar(item: Extract<import('../sql-ast').SelectItem, { kind: 'star' }>, scope: Scope): OutColumn[] {
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
    const matches = item.ilike === null ? null : ilikeMatcher(item.ilike);
    const out: OutColumn[] = [];
    const seenUsing = new Set<string>();
    for (const s of sources) {
      for (const c of s.columns ?? []) {
        if (except.has(c.name) || (matches && !matches(c.name))) continue;
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
        if (except.size || matches || item.rename.length) this.result.warnings.push('EXCEPT/EXCLUDE/ILIKE/RENAME on a * without schema cannot select or rename columns');
        out.push(star);
      }
    }
    if (!item.rename.length) return out;
    const renamed = new Map(item.rename.map((r) => [this.columnKey(r.from), this.columnKey(r.to)]));
    return out.map((c) => (renamed.has(c.name) ? { ...c, name: renamed.get(c.name)! } : c));
  }
}

/**
 * Snowflake's `* ILIKE 'pattern'`: `%` any run of characters, `_` one character, case-insensitive, matched against the
 * whole column name (as ILIKE matches a value).
 */
const ilikeMatcher = (pattern: string): ((name: string) => boolean) => {
  const source = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  const re = new RegExp(`^${source}$`, 'is');
  return (name) => re.test(name);
};
