/**
 * Scope and lineage resolution of one parsed statement: which tables it reads and writes, and for every
 * written column the input columns it comes from, typed as OpenLineage transformations.
 *
 * UPDATE and MERGE, in every dialect: the target is the output; the inputs are what the statement reads besides
 * the rows it modifies (FROM / USING / JOIN sources, subqueries in SET, WHERE and ON). The target's own columns
 * feed column lineage (`SET x = x + n.x`) but do not make the target an input; a subquery that reads the target
 * as a table of its own does. DROP TABLE and TRUNCATE write their table (a lifecycle event, no data); DROP VIEW
 * of a plain view is an event only (a view stores nothing); SWAP reads and
 * writes both tables; CREATE TABLE ... LIKE reads the structure of its source (an input, no column lineage);
 * CLONE copies the data (column lineage `*` or per column).
 *
 * This file is the statement layer; the layers below it are in resolver/ (see resolver/resolver-base.ts).
 */
import type { Query, Statement } from './sql-ast';
import { type Origin, type OutColumn, Scope, type StatementLineage } from './resolver/resolution.types';
import { QueryResolver } from './resolver/query.resolver';

export type { Origin, OutColumn, ResolverOptions, StatementLineage } from './resolver/resolution.types';

export class StatementResolver extends QueryResolver {
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
          r.creates.push(target);
          this.emit(target, shape.columns, null);
        } else if (!(first.kind === 'select' && first.intoVariables)) this.emit(null, shape.columns, null);
        break;
      }
      case 'insert': {
        const scope = this.registerCtes(statement.ctes, new Scope(null));
        const shape = statement.query ? this.analyzeQuery(statement.query, scope) : { columns: [], baseTables: [] };
        if (this.options.sqllineage) this.readUnusedCtes(scope, null);
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
          this.emit(target, columns, names, false);
        }
        break;
      }
      case 'create': {
        const target = this.tableName(statement.target);
        this.write(target, true);
        r.creates.push(target);
        if (statement.temporary) r.temporaries.push(target);
        if (statement.like) this.read(this.tableName(statement.like));
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
        const { scope, target } = this.targetScope(statement);
        for (const f of statement.from) this.addFromItem(f, scope);
        this.analyzeJoinConditions(statement.from, scope);
        for (const set of statement.sets) {
          const origins = this.exprOrigins(set.expr, scope);
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
        if (statement.where) this.indirect(statement.where, scope, 'FILTER');
        break;
      }
      case 'delete': {
        const { scope } = this.targetScope(statement);
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
              this.emit(target, shape.columns, statement.columns?.map((c) => this.columnKey(c)) ?? null, false);
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
        if (!this.options.sqllineage) {
          this.read(from);
          this.write(to, false);
        }
        r.lifecycle.push({ kind: 'RENAME', table: from, other: to });
        break;
      }
      case 'swap': {
        const a = this.tableName(statement.a);
        const b = this.tableName(statement.b);
        // each table takes the other's content: both are read and both are written (sqllineage: b read, a written)
        if (!this.options.sqllineage) this.read(a);
        this.read(b);
        this.write(a, false);
        if (!this.options.sqllineage) this.write(b, false);
        r.lifecycle.push({ kind: 'SWAP', table: a, other: b });
        break;
      }
      case 'alter': {
        this.write(this.tableName(statement.target), false);
        if (statement.appendFrom) this.read(this.tableName(statement.appendFrom));
        break;
      }
      case 'drop':
        for (const t of statement.targets) {
          // a dropped table is an output whose lifecycle ends here (OpenLineage's lifecycleStateChange DROP);
          // a plain view holds no data: its DROP is a lifecycle event only
          const table = this.tableName(t);
          if (!statement.view && !this.options.sqllineage) this.write(table, false);
          r.lifecycle.push({ kind: 'DROP', table });
        }
        break;
      case 'truncate': {
        const t = this.tableName(statement.target);
        if (!this.options.sqllineage) this.write(t, false);
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

  /** An UPDATE's, DELETE's or MERGE's scope: its CTEs and its target, which it writes and which the rest of it sees. */
  protected targetScope(statement: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>): { scope: Scope; target: string } {
    const scope = this.registerCtes(statement.ctes, new Scope(null));
    const target = this.tableName(statement.target);
    this.write(target, false);
    scope.sources.push(this.tableSource(statement.target, statement.alias, target));
    return { scope, target };
  }

  protected resolveMerge(statement: Extract<Statement, { kind: 'merge' }>): void {
    const r = this.result;
    const { scope, target } = this.targetScope(statement);
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
    for (const clause of statement.clauses) {
      const clauseScope = clause.matched ? scope : clause.bySource ? targetScope : sourceScope;
      if (clause.condition) this.indirect(clause.condition, clauseScope, 'FILTER');
      for (const set of clause.sets) {
        const origins = this.exprOrigins(set.expr, clauseScope);
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
  }
}
