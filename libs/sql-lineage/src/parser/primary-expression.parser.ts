/** Primary expressions: literals, names, calls with their suffixes (FILTER, OVER, WITHIN GROUP), windows, CASE. */
import type { Expr, NamePart, WindowSpec } from '../sql-ast';
import type { Token } from '../sql-lexer';
import { ExpressionParser } from './expression.parser';
import { CALL_ARG_KEYWORDS, DATE_PARTS, NILADIC, RESERVED, TYPED_LITERALS, WINDOW_WORDS } from './sql-keywords';

export abstract class PrimaryExpressionParser extends ExpressionParser {
  protected abstract parseOrderList(): Expr[];

  protected parsePrimary(): Expr {
    const t = this.peek();
    switch (t.type) {
      case 'number':
      case 'string':
      case 'param':
        this.next();
        return { kind: 'literal' };
      case 'op':
        return this.parsePrimaryOp(t);
      case 'quoted':
        return this.parseNameExpr();
      case 'word':
        break;
      default:
        this.fail('expected an expression');
    }
    const u = t.upper;
    const nextIsParen = this.isOp('(', 1);
    switch (u) {
      case 'CASE':
        return this.parseCase();
      case 'CAST':
      case 'TRY_CAST':
      case 'SAFE_CAST':
        if (!nextIsParen) break;
        this.pos += 2;
        {
          const e = this.parseExpr();
          if (this.acceptWord('AS')) this.parseType();
          else if (this.acceptOp(',')) this.parseType();
          if (this.acceptWord('FORMAT')) this.parseUnary();
          this.expectOp(')');
          return { kind: 'cast', expr: e, syntax: 'function' };
        }
      case 'EXISTS':
        if (!nextIsParen) break;
        this.pos += 2;
        {
          const query = this.parseQuery();
          this.expectOp(')');
          return { kind: 'subquery', query };
        }
      case 'NULL':
      case 'TRUE':
      case 'FALSE':
      case 'DEFAULT':
        this.next();
        return { kind: 'literal' };
      case 'INTERVAL': {
        this.next();
        const e = this.parseUnary();
        while (this.peek().type === 'word' && (DATE_PARTS.has(this.peek().upper) || this.peek().upper === 'TO')) this.next();
        return e;
      }
      case 'ARRAY':
      case 'STRUCT':
      case 'MAP':
      case 'OBJECT':
        if (this.isOp('<', 1)) {
          this.next();
          this.skipAngle();
        } else if (this.isOp('[', 1) || nextIsParen) this.next();
        else break;
        if (this.isOp('[')) {
          this.next();
          const items = this.parseExprList(']');
          this.expectOp(']');
          return { kind: 'op', args: items };
        }
        if (this.isOp('(')) {
          const call = this.parseCall(u);
          return { kind: 'func', name: u, args: call.args, star: false };
        }
        return { kind: 'literal' };
    }
    if (TYPED_LITERALS.has(u) && this.peek(1).type === 'string') {
      this.pos += 2;
      return { kind: 'literal' };
    }
    if (NILADIC.has(u) && !nextIsParen) {
      this.next();
      return { kind: 'literal' };
    }
    if (RESERVED.has(u) && !nextIsParen) this.fail('unexpected keyword');
    return this.parseNameExpr();
  }

  protected parsePrimaryOp(t: Token): Expr {
    if (t.text === '(') {
      this.next();
      if (this.isQueryStart()) {
        const query = this.parseQuery();
        this.expectOp(')');
        return { kind: 'subquery', query };
      }
      const list = this.parseExprList(')');
      this.expectOp(')');
      if (list.length === 1) return list[0];
      return { kind: 'op', args: list };
    }
    if (t.text === '[') {
      this.next();
      const items = this.parseExprList(']');
      this.expectOp(']');
      return { kind: 'op', args: items };
    }
    if (t.text === '{') {
      this.next();
      const items: Expr[] = [];
      while (!this.isOp('}') && this.peek().type !== 'eof') {
        if (this.acceptOp(',') || this.acceptOp(':')) continue;
        items.push(this.parseExpr());
      }
      this.expectOp('}');
      return { kind: 'op', args: items };
    }
    if (t.text === '*') {
      this.next();
      return { kind: 'star', qualifier: null };
    }
    if (t.text === ':' && (this.peek(1).type === 'word') && this.peek(1).start === t.end) {
      this.pos += 2; // :bind variable
      return { kind: 'literal' };
    }
    if (t.text === '%' && this.isOp('(', 1)) {
      this.next();
      this.skipBalanced(); // python %(name)s
      if (this.peek().type === 'word') this.next();
      return { kind: 'literal' };
    }
    this.fail('expected an expression');
  }

  /** A dotted name: a column, t.*, or a function call. */
  protected parseNameExpr(): Expr {
    const parts: NamePart[] = [this.parseIdent()];
    while (this.isOp('.')) {
      const n = this.peek(1);
      if (n.type === 'word' || n.type === 'quoted') {
        this.next();
        parts.push(this.parseIdent());
      } else if (n.type === 'op' && n.text === '*') {
        this.pos += 2;
        return { kind: 'star', qualifier: parts };
      } else break;
    }
    if (this.isOp('(')) {
      const name = parts[parts.length - 1].text.toUpperCase();
      const call = this.parseCall(name);
      const func: Expr = { kind: 'func', name, args: call.args, star: call.star };
      this.parseCallSuffix(func);
      return func;
    }
    return { kind: 'column', parts };
  }

  protected parseCall(name: string): { args: Expr[]; star: boolean } {
    this.expectOp('(');
    const args: Expr[] = [];
    let star = false;
    const datePartFunction = /DATE|TIME|EXTRACT|LAST_DAY|TRUNC/.test(name);
    while (!this.isOp(')') && this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'op' && (t.text === ',' || t.text === ';')) {
        this.next();
        continue;
      }
      if (t.type === 'op' && t.text === '*' && (this.isOp(')', 1) || this.isOp(',', 1))) {
        this.next();
        star = true;
        continue;
      }
      if (t.type === 'word' && (t.upper === 'AS')) {
        this.next();
        this.parseType();
        continue;
      }
      if ((t.type === 'word' || t.type === 'quoted') && this.isOp('=>', 1)) {
        this.pos += 2;
        continue;
      }
      if (t.type === 'word' && CALL_ARG_KEYWORDS.has(t.upper) && !this.isOp('(', 1) && !this.isOp('.', 1)) {
        if (t.upper === 'ORDER' || t.upper === 'BY' || !(this.peek(1).type === 'op' && [',', ')'].includes(this.peek(1).text))) {
          this.next();
          continue;
        }
      }
      if (this.isQueryStart()) {
        args.push({ kind: 'subquery', query: this.parseQuery() });
        continue;
      }
      const e = this.parseExpr();
      if (datePartFunction && e.kind === 'column' && e.parts.length === 1 && !e.parts[0].quoted && DATE_PARTS.has(e.parts[0].text.toUpperCase())) {
        args.push({ kind: 'literal' });
      } else args.push(e);
    }
    this.expectOp(')');
    return { args, star };
  }

  protected parseCallSuffix(func: Extract<Expr, { kind: 'func' }>): void {
    for (;;) {
      if (this.isWord('WITHIN') && this.isWord('GROUP', 1)) {
        this.pos += 2;
        this.expectOp('(');
        this.expectWord('ORDER');
        this.expectWord('BY');
        func.withinGroup = this.parseOrderList();
        this.expectOp(')');
      } else if (this.isWord('FILTER') && this.isOp('(', 1)) {
        this.pos += 2;
        this.expectWord('WHERE');
        func.filter = this.parseExpr();
        this.expectOp(')');
      } else if ((this.isWord('IGNORE') || this.isWord('RESPECT')) && this.isWord('NULLS', 1)) {
        this.pos += 2;
      } else if (this.acceptWord('OVER')) {
        if (this.isOp('(')) func.over = this.parseWindowSpec();
        else func.over = { ref: this.parseIdent().text.toUpperCase(), partition: [], order: [] };
      } else return;
    }
  }

  protected parseWindowSpec(): WindowSpec {
    this.expectOp('(');
    const spec: WindowSpec = { ref: null, partition: [], order: [] };
    let mode: 'none' | 'partition' | 'order' = 'none';
    while (!this.isOp(')') && this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'op' && t.text === ',') {
        this.next();
        continue;
      }
      if (t.type === 'word' && t.upper === 'PARTITION' && this.isWord('BY', 1)) {
        this.pos += 2;
        mode = 'partition';
        continue;
      }
      if (t.type === 'word' && t.upper === 'ORDER' && this.isWord('BY', 1)) {
        this.pos += 2;
        mode = 'order';
        continue;
      }
      if (t.type === 'word' && WINDOW_WORDS.has(t.upper)) {
        this.next();
        if (['ROWS', 'RANGE', 'GROUPS'].includes(t.upper)) mode = 'none';
        continue;
      }
      if (mode === 'none' && t.type === 'word' && spec.ref === null && !this.isOp('(', 1) && !this.isOp('.', 1) && (this.isOp(')', 1) || this.peek(1).type === 'word')) {
        spec.ref = this.next().upper;
        continue;
      }
      const e = this.parseExpr();
      if (mode === 'partition') spec.partition.push(e);
      else if (mode === 'order') spec.order.push(e);
    }
    this.expectOp(')');
    return spec;
  }

  protected parseCase(): Expr {
    this.expectWord('CASE');
    const conditions: Expr[] = [];
    const results: Expr[] = [];
    if (!this.isWord('WHEN')) conditions.push(this.parseExpr());
    while (this.acceptWord('WHEN')) {
      conditions.push(this.parseExpr());
      this.expectWord('THEN');
      results.push(this.parseExpr());
    }
    if (this.acceptWord('ELSE')) results.push(this.parseExpr());
    this.expectWord('END');
    return { kind: 'case', conditions, results };
  }
}
