/** FROM: join chains, tables, subqueries, table functions, LATERAL, modifiers and aliases. */
import type { Expr, FromItem, NamePart, Query } from '../sql-ast';
import { PrimaryExpressionParser } from './primary-expression.parser';
import { JOIN_WORDS, NOT_TABLE_ALIAS, RESERVED, SET_OPS } from './sql-keywords';

/** SQL Server's table hints (`FROM t WITH (NOLOCK)`, `FROM t (NOLOCK)`): they say how to read the table, not which. */
const TABLE_HINTS = new Set([
  'NOLOCK', 'READUNCOMMITTED', 'READCOMMITTED', 'READCOMMITTEDLOCK', 'REPEATABLEREAD', 'SERIALIZABLE', 'SNAPSHOT', 'HOLDLOCK',
  'UPDLOCK', 'XLOCK', 'TABLOCK', 'TABLOCKX', 'PAGLOCK', 'ROWLOCK', 'NOWAIT', 'READPAST', 'NOEXPAND', 'INDEX', 'FORCESEEK',
  'FORCESCAN', 'FASTFIRSTROW', 'KEEPIDENTITY', 'KEEPDEFAULTS', 'IGNORE_CONSTRAINTS', 'IGNORE_TRIGGERS',
]);

export abstract class FromClauseParser extends PrimaryExpressionParser {
  protected abstract parseSetTail(first: Query): Query;
  protected abstract parseQueryTail(query: Query): void;
  protected abstract parseValues(): Query;

  protected parseFromList(): FromItem[] {
    const items: FromItem[] = [this.parseJoinChain()];
    while (this.acceptOp(',')) items.push(this.parseJoinChain());
    return items;
  }

  /** `first`: an item already read (UPDATE t1 a JOIN t2 ...). */
  protected parseJoinChain(first?: FromItem): FromItem {
    let left = first ?? this.parseFromPrimary();
    for (;;) {
      const start = this.pos;
      let natural = false;
      let joinType = 'INNER';
      if (this.acceptWord('NATURAL')) natural = true;
      const t = this.peek();
      if (t.type === 'word' && ['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'SEMI', 'ANTI', 'ASOF', 'OUTER', 'POSITIONAL'].includes(t.upper)) {
        this.next();
        joinType = t.upper;
        this.acceptWord('OUTER', 'SEMI', 'ANTI');
        if ((joinType === 'CROSS' || joinType === 'OUTER') && this.acceptWord('APPLY')) {
          const right = this.parseFromPrimary(true);
          left = { kind: 'join', left, right, joinType, on: null, using: null, natural: false };
          continue;
        }
      }
      if (!this.acceptWord('JOIN') && !this.acceptWord('STRAIGHT_JOIN')) {
        this.pos = start;
        return left;
      }
      const right = this.parseFromPrimary();
      let on: Expr | null = null;
      let using: NamePart[] | null = null;
      if (this.acceptWord('ON')) on = this.parseExpr();
      else if (this.acceptWord('USING')) {
        using = this.parseIdentList();
        if (this.acceptWord('AS')) this.parseIdent();
      } else if (this.acceptWord('MATCH_CONDITION')) {
        this.expectOp('(');
        on = this.parseExpr();
        this.expectOp(')');
        if (this.acceptWord('ON')) on = { kind: 'op', args: [on, this.parseExpr()] };
      }
      left = { kind: 'join', left, right, joinType, on, using, natural };
    }
  }

  protected parseFromPrimary(lateral = false): FromItem {
    if (this.acceptWord('LATERAL')) lateral = true;
    this.acceptWord('ONLY');
    const t = this.peek();
    let item: FromItem;
    if (t.type === 'op' && t.text === '(') {
      this.next();
      if (this.isQueryStart()) {
        const query = this.parseQuery();
        this.expectOp(')');
        item = { kind: 'derived', query, alias: null, columnAliases: null, lateral };
      } else {
        const inner = this.parseFromList();
        let innerItem: FromItem = inner.length === 1 ? inner[0] : inner.reduce((l, r) => ({ kind: 'join', left: l, right: r, joinType: 'CROSS', on: null, using: null, natural: false }));
        if (innerItem.kind === 'derived' && !innerItem.alias && this.peek().type === 'word' && SET_OPS.has(this.peek().upper)) {
          const query = this.parseSetTail(innerItem.query);
          this.parseQueryTail(query);
          innerItem = { kind: 'derived', query, alias: null, columnAliases: null, lateral };
        }
        this.expectOp(')');
        item = innerItem;
        if (item.kind !== 'derived' || item.alias) {
          // a parenthesised join: an alias here names the whole join (rare); ignore it
          if (item.kind === 'join') {
            this.parseOptionalAlias(true);
            return item;
          }
        }
      }
    } else if (t.type === 'word' && (t.upper === 'UNNEST' || t.upper === 'TABLE' || t.upper === 'FLATTEN') && this.isOp('(', 1)) {
      this.next();
      const call = this.parseCall(t.upper);
      item = { kind: 'function', name: t.upper, args: call.args, alias: null, columnAliases: null, offsetAlias: null };
      if (this.acceptWord('WITH')) this.expectWord('ORDINALITY');
    } else if (t.type === 'word' && t.upper === 'VALUES') {
      item = { kind: 'derived', query: this.parseValues(), alias: null, columnAliases: null, lateral };
    } else if (t.type === 'param' || t.type === 'string') {
      this.next();
      item = { kind: 'path', location: t.text, alias: null };
      if (this.isOp('(')) this.skipBalanced();
    } else if (t.type === 'word' && t.upper === 'IDENTIFIER' && this.isOp('(', 1) && this.isIdentifierLiteral(2)) {
      // Snowflake IDENTIFIER('db.schema.table') / IDENTIFIER(db.schema.table); a variable names no known table
      item = { kind: 'table', name: this.parseTableName(), alias: null, columnAliases: null };
    } else if (t.type === 'word' || t.type === 'quoted') {
      const name = this.parseTableName();
      if (this.dialect === 'ansi' && this.isOp('(') && this.isTableHint(1)) {
        this.skipBalanced(); // T-SQL's old form `t (NOLOCK)` (elsewhere `f(...)` is a table function)
        item = { kind: 'table', name, alias: null, columnAliases: null };
      } else if (this.isOp('(')) {
        const call = this.parseCall(name[name.length - 1].text.toUpperCase());
        item = { kind: 'function', name: name[name.length - 1].text.toUpperCase(), args: call.args, alias: null, columnAliases: null, offsetAlias: null };
      } else item = { kind: 'table', name, alias: null, columnAliases: null };
    } else this.fail('expected a table');
    this.parseTableModifiers();
    const alias = this.parseOptionalAlias(true);
    if (alias) {
      (item as { alias: NamePart | null }).alias = alias;
      if (this.isOp('(') && (item.kind as string) !== 'path' && (item.kind as string) !== 'join') (item as { columnAliases: NamePart[] | null }).columnAliases = this.parseIdentList();
    }
    if (item.kind === 'function' && this.acceptWord('WITH')) {
      this.expectWord('OFFSET');
      item.offsetAlias = this.parseOptionalAlias(true) ?? { text: 'offset', quoted: false };
    }
    this.parseTableModifiers();
    while (this.isWord('PIVOT') || this.isWord('UNPIVOT') || this.isWord('MATCH_RECOGNIZE')) {
      const kw = this.next().upper;
      const exprs: Expr[] = [];
      if (kw === 'MATCH_RECOGNIZE') this.skipBalanced();
      else {
        if (this.acceptWord('INCLUDE', 'EXCLUDE')) this.acceptWord('NULLS');
        this.expectOp('(');
        exprs.push(...this.parseLooseList(')'));
        this.expectOp(')');
      }
      const pivotAlias = this.parseOptionalAlias(true);
      let columnAliases: NamePart[] | null = null;
      if (pivotAlias && this.isOp('(')) columnAliases = this.parseIdentList();
      item = { kind: 'pivot', source: item, exprs, alias: pivotAlias, columnAliases };
    }
    return item;
  }

  /** Whether the token at `offset` is a T-SQL table hint (NOLOCK, INDEX(...), ...). */
  protected isTableHint(offset: number): boolean {
    const t = this.peek(offset);
    return t.type === 'word' && TABLE_HINTS.has(t.upper);
  }

  /** Time travel, sampling, T-SQL table hints and similar modifiers after a table: skipped. */
  protected parseTableModifiers(): void {
    for (;;) {
      if (this.isWord('WITH') && this.isOp('(', 1) && this.isTableHint(2)) {
        this.next();
        this.skipBalanced();
        continue;
      }
      if (this.isWord('FOR') && (this.isWord('SYSTEM_TIME', 1) || this.isWord('SYSTEM_VERSION', 1) || this.isWord('TIMESTAMP', 1) || this.isWord('VERSION', 1))) {
        this.pos += 2;
        this.acceptWord('AS');
        this.acceptWord('OF');
        this.parseExpr();
      } else if ((this.isWord('AT') || this.isWord('BEFORE') || this.isWord('CHANGES') || this.isWord('END')) && this.isOp('(', 1)) {
        this.next();
        this.skipBalanced();
      } else if (this.isWord('TABLESAMPLE') || (this.isWord('SAMPLE') && (this.isOp('(', 1) || this.peek(1).type === 'word'))) {
        this.next();
        this.acceptWord('BERNOULLI', 'SYSTEM', 'ROW', 'BLOCK');
        if (this.isOp('(')) this.skipBalanced();
        if (this.acceptWord('REPEATABLE', 'SEED')) this.skipBalanced();
      } else return;
    }
  }

  protected parseOptionalAlias(forTable: boolean): NamePart | null {
    if (this.acceptWord('AS')) return this.parseIdent();
    const t = this.peek();
    if (t.type === 'quoted') return this.parseIdent();
    if (t.type === 'word' && !RESERVED.has(t.upper) && !(forTable && (NOT_TABLE_ALIAS.has(t.upper) || JOIN_WORDS.has(t.upper)))) {
      if (!forTable && t.upper === 'SET') return null;
      return this.parseIdent();
    }
    return null;
  }
}
