/** Queries: WITH, set operations, VALUES, SELECT and its clauses, select items. */
import type { Cte, Expr, FromItem, NamePart, Query, SelectItem, SelectQuery } from '../sql-ast';
import { FromClauseParser } from './from-clause.parser';
import { RESERVED, SET_OPS } from './sql-keywords';

export abstract class QueryParser extends FromClauseParser {
  protected abstract parseCtes(): Cte[];

  parseQuery(): Query {
    let ctes: Cte[] = [];
    if (this.isWord('WITH')) ctes = this.parseCtes();
    const query = this.parseQueryBody();
    if (ctes.length) query.ctes = [...ctes, ...query.ctes];
    return query;
  }

  protected parseQueryBody(): Query {
    let query = this.parseSetTerm();
    if (SET_OPS.has(this.peek().upper) && this.peek().type === 'word') query = this.parseSetTail(query);
    this.parseQueryTail(query);
    return query;
  }

  protected parseSetTail(first: Query): Query {
    const branches: Query[] = [first];
    while (this.peek().type === 'word' && SET_OPS.has(this.peek().upper)) {
      this.next();
      this.acceptWord('ALL', 'DISTINCT');
      if (this.acceptWord('BY')) this.expectWord('NAME');
      this.acceptWord('CORRESPONDING');
      branches.push(this.parseSetTerm());
    }
    return { kind: 'set', branches, ctes: [], orderBy: [] };
  }

  protected parseSetTerm(): Query {
    if (this.acceptOp('(')) {
      const q = this.parseQuery();
      this.expectOp(')');
      return q;
    }
    if (this.isWord('WITH')) return this.parseQuery();
    if (this.isWord('VALUES')) return this.parseValues();
    if (this.isWord('TABLE')) {
      this.next();
      const name = this.parseTableName();
      return this.selectStarFrom({ kind: 'table', name, alias: null, columnAliases: null });
    }
    return this.parseSelect();
  }

  protected selectStarFrom(item: FromItem): SelectQuery {
    return {
      kind: 'select', ctes: [], orderBy: [], items: [{ kind: 'star', qualifier: null, except: [], replace: [], rename: [], ilike: null }], from: [item], where: null,
      groupBy: [], groupByAll: false, having: null, qualify: null, windows: new Map(), into: null, intoVariables: false, distinctOn: [],
    };
  }

  protected parseValues(): Query {
    this.expectWord('VALUES');
    const rows: Expr[][] = [];
    do {
      if (this.acceptOp('(')) {
        rows.push(this.parseExprList(')'));
        this.expectOp(')');
      } else rows.push([this.parseExpr()]);
    } while (this.acceptOp(','));
    return { kind: 'values', rows, ctes: [], orderBy: [] };
  }

  protected parseQueryTail(query: Query): void {
    for (;;) {
      if (this.isWord('ORDER') && this.isWord('BY', 1)) {
        this.pos += 2;
        query.orderBy.push(...this.parseOrderList());
      } else if (this.acceptWord('LIMIT')) {
        if (!this.acceptWord('ALL')) this.parseExpr();
        if (this.acceptOp(',')) this.parseExpr();
      } else if (this.acceptWord('OFFSET')) {
        this.parseExpr();
        this.acceptWord('ROWS', 'ROW');
      } else if (this.isWord('FETCH')) {
        this.next();
        this.acceptWord('FIRST', 'NEXT');
        if (!this.isWord('ROWS') && !this.isWord('ROW')) this.parseExpr();
        this.acceptWord('PERCENT');
        this.acceptWord('ROWS', 'ROW');
        this.acceptWord('ONLY');
        if (this.acceptWord('WITH')) this.acceptWord('TIES');
      } else if (this.isWord('FOR') && (this.isWord('UPDATE', 1) || this.isWord('SHARE', 1) || this.isWord('NO', 1) || this.isWord('KEY', 1))) {
        this.next();
        while (!this.atEnd() && !this.isOp(')')) this.next();
      } else return;
    }
  }

  protected parseOrderList(): Expr[] {
    const list: Expr[] = [];
    do {
      list.push(this.parseExpr());
      this.acceptWord('ASC', 'DESC');
      if (this.acceptWord('USING')) this.next();
      if (this.acceptWord('NULLS')) this.acceptWord('FIRST', 'LAST');
    } while (this.acceptOp(','));
    return list;
  }

  protected parseSelect(): SelectQuery {
    this.expectWord('SELECT');
    const q: SelectQuery = {
      kind: 'select', ctes: [], orderBy: [], items: [], from: [], where: null, groupBy: [], groupByAll: false, having: null,
      qualify: null, windows: new Map(), into: null, intoVariables: false, distinctOn: [],
    };
    if (this.isWord('AS') && (this.isWord('STRUCT', 1) || this.isWord('VALUE', 1))) this.pos += 2;
    if (this.acceptWord('DISTINCT')) {
      if (this.acceptWord('ON')) {
        this.expectOp('(');
        q.distinctOn = this.parseExprList(')');
        this.expectOp(')');
      }
    } else this.acceptWord('ALL', 'DISTINCTROW');
    if (this.acceptWord('TOP')) {
      this.parseUnary();
      this.acceptWord('PERCENT');
    }
    q.items = this.parseSelectItems();
    if (this.acceptWord('INTO')) {
      if (this.routineBody || this.isOp(':') || this.peek().type === 'param') {
        // variables: INTO [STRICT] v1, v2 / INTO :v
        this.acceptWord('STRICT');
        do {
          this.acceptOp(':');
          this.next();
        } while (this.acceptOp(','));
        q.intoVariables = true;
      } else {
        this.acceptWord('TEMP', 'TEMPORARY', 'UNLOGGED');
        this.acceptWord('TABLE');
        q.into = this.parseTableName();
      }
    }
    if (this.acceptWord('FROM')) q.from = this.parseFromList();
    for (;;) {
      if (this.acceptWord('WHERE')) q.where = this.parseExpr();
      else if (this.isWord('GROUP') && this.isWord('BY', 1)) {
        this.pos += 2;
        if (this.acceptWord('ALL')) q.groupByAll = true;
        else {
          do {
            if (this.isWord('GROUPING') && this.isWord('SETS', 1)) this.pos += 2;
            q.groupBy.push(this.parseExpr());
          } while (this.acceptOp(','));
        }
      } else if (this.acceptWord('HAVING')) q.having = this.parseExpr();
      else if (this.acceptWord('QUALIFY')) q.qualify = this.parseExpr();
      else if (this.acceptWord('WINDOW')) {
        do {
          const name = this.parseIdent();
          this.expectWord('AS');
          q.windows.set(name.text.toUpperCase(), this.parseWindowSpec());
        } while (this.acceptOp(','));
      } else if (this.isWord('START') && this.isWord('WITH', 1)) {
        this.pos += 2;
        const e = this.parseExpr();
        q.where = q.where ? { kind: 'op', args: [q.where, e] } : e;
      } else if (this.isWord('CONNECT') && this.isWord('BY', 1)) {
        this.pos += 2;
        this.acceptWord('NOCYCLE');
        const e = this.parseExpr();
        q.where = q.where ? { kind: 'op', args: [q.where, e] } : e;
      } else break;
    }
    return q;
  }

  protected parseSelectItems(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (this.isWord('FROM') || this.atEnd()) break; // trailing comma (BigQuery)
      items.push(this.parseSelectItem());
    } while (this.acceptOp(','));
    if (items.length === 0) this.fail('expected a select list');
    return items;
  }

  protected parseSelectItem(): SelectItem {
    const startTok = this.peek();
    // * or t.* (with EXCEPT / EXCLUDE / REPLACE / RENAME)
    let qualifier: NamePart[] | null = null;
    let isStar = false;
    if (this.isOp('*')) {
      this.next();
      isStar = true;
    } else if (startTok.type === 'word' || startTok.type === 'quoted') {
      let i = 0;
      const parts: NamePart[] = [];
      for (;;) {
        const t = this.peek(i);
        if (t.type !== 'word' && t.type !== 'quoted') break;
        parts.push(this.namePart(t));
        if (!this.isOp('.', i + 1)) break;
        if (this.isOp('*', i + 2)) {
          isStar = true;
          this.pos += i + 3;
          qualifier = parts;
          break;
        }
        i += 2;
      }
    }
    if (isStar) {
      const except: NamePart[] = [];
      const replace: Array<{ expr: Expr; alias: NamePart; text: string }> = [];
      const rename: Array<{ from: NamePart; to: NamePart }> = [];
      let ilike: string | null = null;
      for (;;) {
        if (this.acceptWord('EXCEPT', 'EXCLUDE')) {
          if (this.isOp('(')) except.push(...this.parseIdentList());
          else except.push(this.parseIdent());
        } else if (this.acceptWord('REPLACE')) {
          this.expectOp('(');
          do {
            const s = this.peek().start;
            const expr = this.parseExpr();
            const text = this.sql.slice(s, this.peek(-1).end);
            this.expectWord('AS');
            replace.push({ expr, alias: this.parseIdent(), text });
          } while (this.acceptOp(','));
          this.expectOp(')');
        } else if (this.acceptWord('RENAME')) {
          const parenthesised = this.acceptOp('(');
          do {
            const from = this.parseIdent();
            this.expectWord('AS');
            rename.push({ from, to: this.parseIdent() });
          } while (parenthesised && this.acceptOp(','));
          if (parenthesised) this.expectOp(')');
        } else if (this.acceptWord('ILIKE')) {
          const pattern = this.next();
          if (pattern.type !== 'string') this.fail('expected a pattern after ILIKE');
          ilike = pattern.text;
        } else break;
      }
      return { kind: 'star', qualifier, except, replace, rename, ilike };
    }
    const expr = this.parseExpr();
    const text = this.sql.slice(startTok.start, this.peek(-1).end).replace(/\s+/g, ' ');
    let alias: NamePart | null = null;
    if (this.acceptWord('AS')) {
      const t = this.next();
      if (t.type !== 'word' && t.type !== 'quoted' && t.type !== 'string') this.fail('expected an alias');
      alias = { text: t.text, quoted: t.type !== 'word' };
    } else {
      const t = this.peek();
      if (t.type === 'quoted' || (t.type === 'word' && !RESERVED.has(t.upper))) {
        this.next();
        alias = this.namePart(t);
      }
    }
    return { kind: 'expr', expr, alias, text };
  }
}
