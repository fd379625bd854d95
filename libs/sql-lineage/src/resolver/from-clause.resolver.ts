/** FROM: tables, subqueries, CTE references, table functions, joins (USING, NATURAL) as sources of a scope. */
import type { Cte, FromItem, NamePart } from '../sql-ast';
import { compose, type CteEntry, FLATTEN_COLUMNS, type Origin, type OutColumn, type QueryShape, Scope, type Source } from './resolution.types';
import { ExpressionResolver } from './expression.resolver';

export abstract class FromClauseResolver extends ExpressionResolver {
  protected tableSource(parts: NamePart[], alias: NamePart | null, table: string): Source {
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

  protected shapeSource(shape: QueryShape, alias: string | null, nameParts: string[] | null = null): Source {
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

  protected addFromItem(item: FromItem, scope: Scope): void {
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

  protected naturalColumns(scope: Scope, leftCount: number): string[] {
    const left = new Set(scope.sources.slice(0, leftCount).flatMap((s) => (s.columns ?? []).map((c) => c.name)));
    return scope.sources.slice(leftCount).flatMap((s) => (s.columns ?? []).map((c) => c.name)).filter((n) => left.has(n));
  }

  protected functionSource(alias: string | null, names: string[], origins: Origin[], offsetAlias: string | null): Source {
    const columns: OutColumn[] = names.map((name) => ({ name, origins }));
    if (offsetAlias) columns.push({ name: offsetAlias, origins: [] });
    return { alias, nameParts: null, table: null, columns, stars: [], baseTables: [], usingColumns: new Set(), valueOrigins: origins };
  }

  protected analyzeJoinConditions(items: FromItem[], scope: Scope): void {
    const visit = (item: FromItem) => {
      if (item.kind !== 'join') return;
      visit(item.left);
      visit(item.right);
      if (item.on) this.indirect(item.on, scope, 'JOIN');
    };
    items.forEach(visit);
  }

  /**
   * A WITH's CTEs, seen by the scope returned (the last of a name wins). Without RECURSIVE a CTE's body sees only the
   * CTEs before it (PostgreSQL, BigQuery and Snowflake alike): inside `WITH t AS (SELECT * FROM t)` the t read is the
   * table, and a CTE named again reads the earlier one. With RECURSIVE every CTE sees all of them, itself included.
   */
  protected registerCtes(ctes: Cte[], scope: Scope): Scope {
    let visible = scope;
    for (const cte of ctes) {
      const key = this.columnKey(cte.name);
      if (cte.recursive) {
        visible.ctes.set(key, { cte, shape: null, state: 'new', scope: visible });
        continue;
      }
      const entry: CteEntry = { cte, shape: null, state: 'new', scope: visible };
      visible = new Scope(visible);
      visible.ctes.set(key, entry);
    }
    return visible;
  }

  /** sqllineage's convention: the tables of CTEs nothing read are inputs too (each body resolved once). */
  protected readUnusedCtes(scope: Scope, until: Scope | null): void {
    for (let s: Scope | null = scope; s && s !== until; s = s.parent) {
      for (const entry of s.ctes.values()) if (entry.state === 'new') this.cteShape(entry);
    }
  }

  protected findCte(parts: NamePart[], scope: Scope): CteEntry | null {
    if (parts.length !== 1) return null;
    const key = this.columnKey(parts[0]);
    for (let s: Scope | null = scope; s; s = s.parent) {
      const entry = s.ctes.get(key);
      if (entry) return entry;
    }
    return null;
  }

  protected cteShape(entry: CteEntry): QueryShape {
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

  protected renameShape(shape: QueryShape, names: NamePart[] | null): QueryShape {
    if (!names) return shape;
    const keys = names.map((n) => this.columnKey(n));
    return { baseTables: shape.baseTables, columns: shape.columns.map((c, i) => (i < keys.length && !c.provider ? { ...c, name: keys[i] } : c)) };
  }
}
