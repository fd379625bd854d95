/**
 * The parser's base: the token cursor (peek, accept, expect, fail, skip) and names (identifiers, dotted and
 * BigQuery table paths). The parser is one object built in layers, one file per concern, each layer extending
 * the one below: base -> expressions -> primary expressions -> FROM -> queries -> DML -> DDL -> script
 * (sql-parser.ts). A layer calls upward through the abstract methods declared here.
 */
import type { SqlDialect } from '../sql-dialect';
import type { Expr, NamePart, ParsedStatement, Query } from '../sql-ast';
import { type Token, tokenize } from '../sql-lexer';
import { RESERVED } from './sql-keywords';

export class SqlParseError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'SqlParseError';
  }
}

/** A parser over other text (a quoted name, a procedure body, an UNLOAD query string). */
export interface NestedParser {
  parseScript(): ParsedStatement[];
  parseTableName(): NamePart[];
}

export abstract class ParserBase {
  /** A parser of the same dialect over other text. */
  protected abstract nested(sql: string, routineBody?: boolean): NestedParser;
  abstract parseQuery(): Query;
  abstract parseExpr(noAnd?: boolean): Expr;

  protected readonly tokens: Token[];
  protected pos = 0;
  protected readonly out: ParsedStatement[] = [];
  protected warnings: string[] = [];

  /**
   * `routineBody`: the text is a procedure body (PL/pgSQL, Snowflake Scripting), where `SELECT ... INTO x`
   * assigns variables instead of creating a table.
   */
  constructor(
    protected readonly sql: string,
    protected readonly dialect: SqlDialect,
    protected readonly routineBody = false,
  ) {
    this.tokens = tokenize(sql, dialect);
  }

  // ---------- token helpers ----------
  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  protected next(): Token {
    const t = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  protected isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'word' && t.upper === word;
  }
  protected isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'op' && t.text === op;
  }
  protected acceptWord(...words: string[]): boolean {
    const t = this.peek();
    if (t.type === 'word' && words.includes(t.upper)) {
      this.pos++;
      return true;
    }
    return false;
  }
  protected acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.pos++;
      return true;
    }
    return false;
  }
  protected expectWord(word: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word}`);
  }
  protected expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail(`expected "${op}"`);
  }
  protected fail(message: string): never {
    const t = this.peek();
    const found = t.type === 'eof' ? 'end of input' : `"${this.sql.slice(t.start, Math.min(t.end, t.start + 40))}"`;
    throw new SqlParseError(`${message} at offset ${t.start}, found ${found}`, t.start);
  }
  protected atEnd(): boolean {
    return this.peek().type === 'eof' || this.isOp(';');
  }
  /** Skips a balanced parenthesised group starting at the current "(" (or any other opener given). */
  protected skipBalanced(open = '(', close = ')'): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.type === 'eof') return;
      if (t.type === 'op' && t.text === open) depth++;
      else if (t.type === 'op' && t.text === close) depth--;
    } while (depth > 0);
  }
  protected isQueryStart(offset = 0): boolean {
    const t = this.peek(offset);
    if (t.type === 'word') return t.upper === 'SELECT' || t.upper === 'WITH' || t.upper === 'VALUES' || (t.upper === 'TABLE' && this.peek(offset + 1).type !== 'op');
    if (t.type === 'op' && t.text === '(') return this.isQueryStart(offset + 1);
    return false;
  }

  // ---------- names ----------
  protected namePart(t: Token): NamePart {
    return { text: t.text, quoted: t.type === 'quoted' };
  }

  parseIdent(): NamePart {
    const t = this.next();
    if (t.type === 'word' || t.type === 'quoted') return this.namePart(t);
    if (t.type === 'string') return { text: t.text, quoted: true };
    this.pos--;
    this.fail('expected an identifier');
  }

  protected parseIdentList(): NamePart[] {
    return this.parseParenList(() => {
      const p = this.parseIdent();
      // view column lists may carry COMMENT 'x' or a type
      while (!this.isOp(',') && !this.isOp(')') && this.peek().type !== 'eof') {
        if (this.isOp('(')) this.skipBalanced();
        else this.next();
      }
      return p;
    });
  }

  protected parseParenList<T>(item: () => T): T[] {
    this.expectOp('(');
    const list: T[] = [];
    if (this.acceptOp(')')) return list;
    do list.push(item());
    while (this.acceptOp(','));
    this.expectOp(')');
    return list;
  }

  /** a.b.c as a column target (UPDATE SET) */
  protected parseNamePath(): NamePart[] {
    const parts = [this.parseIdent()];
    while (this.isOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted')) {
      this.next();
      parts.push(this.parseIdent());
    }
    return parts;
  }

  /** IDENTIFIER( 'db.t' ) or IDENTIFIER( db.t ): a literal name, not a variable or expression. */
  protected isIdentifierLiteral(offset: number): boolean {
    const t = this.peek(offset);
    if (t.type === 'string') return this.isOp(')', offset + 1);
    if (t.type !== 'word' && t.type !== 'quoted') return false;
    let i = offset + 1;
    while (this.isOp('.', i) && ['word', 'quoted'].includes(this.peek(i + 1).type)) i += 2;
    return this.isOp(')', i);
  }

  /** A table name: dotted parts; BigQuery backtick paths split on dots; BigQuery project ids with dashes. */
  parseTableName(): NamePart[] {
    if (this.isWord('IDENTIFIER') && this.isOp('(', 1) && this.isIdentifierLiteral(2)) {
      const t = this.peek(2);
      this.pos += t.type === 'string' ? 3 : 2;
      const parts = t.type === 'string' ? this.nested(t.text).parseTableName() : this.parseTableName();
      this.expectOp(')');
      return parts;
    }
    const parts: NamePart[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'quoted') {
        this.next();
        if (this.dialect === 'bigquery' && t.text.includes('.')) parts.push(...t.text.split('.').map((text) => ({ text, quoted: true })));
        else parts.push(this.namePart(t));
      } else if (t.type === 'word' || (t.type === 'number' && parts.length > 0)) {
        if (parts.length === 0 && t.type === 'word' && RESERVED.has(t.upper) && !this.isOp('.', 1)) this.fail('expected a table name');
        this.next();
        let text = t.text;
        let end = t.end;
        // dashed BigQuery project names: my-project-123
        while (this.isOp('-') && this.peek().start === end && (this.peek(1).type === 'word' || this.peek(1).type === 'number') && this.peek(1).start === this.peek().end) {
          this.next();
          const n = this.next();
          text += '-' + n.text;
          end = n.end;
        }
        parts.push({ text, quoted: text !== t.text });
      } else if (t.type === 'param' && t.text.startsWith('#')) {
        this.next();
        parts.push({ text: t.text, quoted: false });
      } else {
        if (parts.length === 0) this.fail('expected a table name');
        break;
      }
      if (this.isOp('.') && this.isOp('.', 1)) {
        // Snowflake db..table: the default schema PUBLIC
        this.pos += 1;
        parts.push({ text: 'PUBLIC', quoted: false });
      }
      if (this.isOp('.') && ['word', 'quoted', 'number'].includes(this.peek(1).type)) {
        this.next();
        continue;
      }
      break;
    }
    return parts;
  }

  protected skipToStatementEnd(): void {
    let depth = 0;
    while (this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'op') {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth = Math.max(0, depth - 1);
        else if (t.text === ';' && depth === 0) return;
      }
      this.pos++;
    }
  }

  protected skipAngle(): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.type === 'eof') return;
      if (t.type === 'op' && t.text === '<') depth++;
      else if (t.type === 'op' && t.text === '>') depth--;
      else if (t.type === 'op' && t.text === '>>') depth -= 2;
    } while (depth > 0);
  }
}
