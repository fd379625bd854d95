/** Expressions, flat: operands and operators without precedence, lists, types skipped. */
import type { Expr } from '../sql-ast';
import { ParserBase } from './parser-base';
import { BINARY_OPS, RESERVED } from './sql-keywords';

export abstract class ExpressionParser extends ParserBase {
  protected abstract parsePrimary(): Expr;

  protected parseExprList(close: string): Expr[] {
    const list: Expr[] = [];
    if (this.isOp(close)) return list;
    do {
      if (this.isOp(close)) break;
      list.push(this.parseExpr());
    } while (this.acceptOp(','));
    return list;
  }

  /** Expressions separated by commas or keywords (PIVOT bodies): anything that is not an expression is skipped. */
  protected parseLooseList(close: string): Expr[] {
    const list: Expr[] = [];
    while (!this.isOp(close) && this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'op' && t.text === ',') {
        this.next();
        continue;
      }
      if (t.type === 'word' && (RESERVED.has(t.upper) || ['ANY', 'DEFAULT', 'ON', 'NULL'].includes(t.upper)) && !this.isOp('(', 1)) {
        this.next();
        continue;
      }
      list.push(this.parseExpr());
    }
    return list;
  }

  parseExpr(noAnd = false): Expr {
    const operands: Expr[] = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (t.type === 'op') {
        if (BINARY_OPS.has(t.text)) {
          this.next();
          if (this.isWord('ANY') || this.isWord('ALL') || this.isWord('SOME')) this.next();
          operands.push(this.parseUnary());
          continue;
        }
        break;
      }
      if (t.type !== 'word') break;
      const u = t.upper;
      if ((u === 'AND' && !noAnd) || u === 'OR' || u === 'XOR') {
        this.next();
        operands.push(this.parseUnary());
      } else if (u === 'IS') {
        this.next();
        this.acceptWord('NOT');
        if (this.acceptWord('DISTINCT')) {
          this.expectWord('FROM');
          operands.push(this.parseUnary());
        } else if (this.acceptWord('NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'NAN', 'JSON', 'DOCUMENT', 'NORMALIZED')) {
          // IS [NOT] NULL ...
        } else operands.push(this.parseUnary());
      } else if (u === 'NOT' && this.peek(1).type === 'word' && ['IN', 'LIKE', 'ILIKE', 'BETWEEN', 'SIMILAR', 'RLIKE', 'REGEXP', 'GLOB'].includes(this.peek(1).upper)) {
        this.next();
      } else if (u === 'IN') {
        this.next();
        if (this.isOp('(')) {
          this.next();
          if (this.isQueryStart()) operands.push({ kind: 'subquery', query: this.parseQuery() });
          else operands.push(...this.parseExprList(')'));
          this.expectOp(')');
        } else operands.push(this.parseUnary());
      } else if (['LIKE', 'ILIKE', 'RLIKE', 'REGEXP', 'GLOB', 'SIMILAR'].includes(u)) {
        this.next();
        this.acceptWord('TO');
        this.acceptWord('ANY', 'ALL', 'SOME');
        operands.push(this.parseUnary());
        if (this.acceptWord('ESCAPE')) this.parseUnary();
      } else if (u === 'BETWEEN') {
        this.next();
        this.acceptWord('SYMMETRIC', 'ASYMMETRIC');
        operands.push(this.parseExpr(true));
        this.expectWord('AND');
        operands.push(this.parseUnary());
      } else if (u === 'COLLATE') {
        this.next();
        this.next();
      } else if (u === 'ISNULL' || u === 'NOTNULL') {
        this.next();
      } else if (u === 'AT' && this.isWord('TIME', 1) && this.isWord('ZONE', 2)) {
        this.pos += 3;
        operands.push(this.parseUnary());
      } else break;
    }
    return operands.length === 1 ? operands[0] : { kind: 'op', args: operands };
  }

  protected parseUnary(): Expr {
    const t = this.peek();
    if (t.type === 'op' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!' || t.text === '|/' || t.text === '@')) {
      this.next();
      return this.parseUnary();
    }
    if (t.type === 'word' && (t.upper === 'NOT' || t.upper === 'PRIOR' || t.upper === 'DISTINCT')) {
      this.next();
      return this.parseUnary();
    }
    let e = this.parsePrimary();
    // postfix: ::type, [index], .field, :path (Snowflake variant access)
    for (;;) {
      if (this.acceptOp('::')) {
        this.parseType();
        e = { kind: 'cast', expr: e, syntax: 'operator' };
      } else if (this.isOp('[')) {
        this.next();
        const index = this.parseLooseIndex();
        this.expectOp(']');
        e = { kind: 'access', expr: e, index };
      } else if (this.isOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted') && e.kind !== 'column') {
        this.pos += 2;
        e = { kind: 'access', expr: e, index: [] };
      } else if (this.isOp(':') && this.dialect !== 'bigquery' && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted' || this.peek(1).type === 'string') && this.peek().start === this.peek(-1).end) {
        this.pos += 2;
        e = { kind: 'access', expr: e, index: [] };
      } else return e;
    }
  }

  protected parseLooseIndex(): Expr[] {
    const list: Expr[] = [];
    while (!this.isOp(']') && this.peek().type !== 'eof') {
      if (this.acceptOp(':') || this.acceptOp(',')) continue;
      list.push(this.parseExpr());
    }
    return list;
  }

  protected parseType(): void {
    const t = this.next();
    if (t.type !== 'word' && t.type !== 'quoted') {
      this.pos--;
      this.fail('expected a type');
    }
    while (this.isOp('.') && this.peek(1).type === 'word') this.pos += 2;
    for (;;) {
      if (this.isOp('(')) this.skipBalanced();
      else if (this.isOp('<')) this.skipAngle();
      else if (this.isOp('[') && this.isOp(']', 1)) this.pos += 2;
      else if (this.peek().type === 'word' && ['PRECISION', 'VARYING', 'WITH', 'WITHOUT', 'TIME', 'ZONE', 'LOCAL', 'UNSIGNED'].includes(this.peek().upper)) {
        if (this.isWord('WITH') && !this.isWord('TIME', 1) && !this.isWord('LOCAL', 1)) return;
        this.next();
      } else return;
    }
  }
}
