/** Columns and expressions: finding a column's source through the scopes, and each expression's origins with its transformation type. */
import type { Expr, NamePart, Query, SelectQuery, WindowSpec } from '../sql-ast';
import { AGGREGATES, compose, CONDITIONAL_FIRST_ARG, type Ctx, deeper, IDENTITY, type Origin, type QueryShape, Scope, type Source } from './resolution.types';
import type { IndirectSubtype } from '../lineage-result.types';
import { ResolverBase } from './resolver-base';

export abstract class ExpressionResolver extends ResolverBase {
  abstract analyzeQuery(q: Query, parent: Scope): QueryShape;

  /** A column of a source: known columns first; `allowUnknown` lets a `*` without schema answer for it. */
  protected sourceColumn(s: Source, name: string, allowUnknown: boolean): Origin[] | null {
    if (s.columns) {
      for (const c of s.columns) if (c.name === name) return c.origins;
    }
    if (allowUnknown && s.stars.length === 1) return s.stars[0].provider!(name);
    if (allowUnknown && s.stars.length > 1) {
      return s.stars.flatMap((st) => st.provider!(name));
    }
    return null;
  }

  protected findSource(qualifier: NamePart[], scope: Scope, walk = true): Source | null {
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

  protected resolveColumn(parts: NamePart[], scope: Scope, preferAlias = false): Origin[] {
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

  protected resolveUnqualified(name: string, scope: Scope, preferAlias: boolean): Origin[] {
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
  protected indirect(e: Expr, scope: Scope, subtype: IndirectSubtype, q: SelectQuery | null = null, sourcesFirst = false): void {
    const origins = this.analyzeExpr(e, scope, { type: 'INDIRECT', subtype }, q, { starAgg: false }, !sourcesFirst);
    for (const o of origins) this.result.datasetLevel.push(o);
  }

  protected analyzeExpr(e: Expr, scope: Scope, ctx: Ctx, q: SelectQuery | null, state: { starAgg: boolean }, preferAlias = false): Origin[] {
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
