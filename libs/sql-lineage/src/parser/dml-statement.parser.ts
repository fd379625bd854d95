/** Data statements: CTEs, INSERT (single and multi-table), UPDATE, DELETE, MERGE. */
import type { Assignment, Cte, Expr, FromItem, InsertTarget, MergeClause, NamePart, Query, Statement } from '../sql-ast';
import { QueryParser } from './query.parser';
import { JOIN_WORDS } from './sql-keywords';

export abstract class DmlStatementParser extends QueryParser {
  protected queryStatement(query: Query): Statement {
    return { kind: 'query', query };
  }

  protected parseCtes(): Cte[] {
    this.expectWord('WITH');
    const recursive = this.acceptWord('RECURSIVE');
    const ctes: Cte[] = [];
    do {
      const name = this.parseIdent();
      let columns: NamePart[] | null = null;
      if (this.isOp('(')) columns = this.parseIdentList();
      this.expectWord('AS');
      this.acceptWord('NOT');
      this.acceptWord('MATERIALIZED');
      this.expectOp('(');
      const query = this.parseQuery();
      this.expectOp(')');
      ctes.push({ name, columns, query, recursive });
    } while (this.acceptOp(','));
    return ctes;
  }

  protected parseInsert(ctes: Cte[]): Statement {
    this.next(); // INSERT / REPLACE / UPSERT
    this.acceptWord('OVERWRITE');
    this.acceptWord('INTO');
    if (this.isWord('ALL') || this.isWord('FIRST')) return this.parseMultiInsert(ctes);
    this.acceptWord('TABLE');
    const name = this.parseTableName();
    // Hive/Databricks PARTITION (...) and Snowflake/Postgres alias
    if (this.acceptWord('PARTITION')) this.skipBalanced();
    if (this.acceptWord('AS')) this.parseIdent();
    let columns: NamePart[] | null = null;
    if (this.isOp('(') && !this.isQueryStart(1)) columns = this.parseIdentList();
    if (this.acceptWord('BY')) this.acceptWord('NAME');
    if (this.acceptWord('OVERRIDING') && this.acceptWord('SYSTEM', 'USER')) this.acceptWord('VALUE');
    let query: Query | null = null;
    if (this.acceptWord('DEFAULT')) this.expectWord('VALUES');
    else if (this.isQueryStart()) query = this.parseQuery();
    else this.fail('expected a query or VALUES');
    if (this.isWord('ON') || this.isWord('RETURNING')) this.skipToStatementEnd(); // ON CONFLICT ..., RETURNING ...
    return { kind: 'insert', ctes, targets: [{ name, columns, values: null }], query };
  }

  /** Snowflake multi-table insert: INSERT ALL|FIRST [WHEN c THEN] INTO t [(cols)] [VALUES (...)] ... query */
  protected parseMultiInsert(ctes: Cte[]): Statement {
    this.next();
    const targets: InsertTarget[] = [];
    while (!this.isQueryStart() && !this.atEnd()) {
      if (this.acceptWord('WHEN')) {
        this.parseExpr();
        this.expectWord('THEN');
        continue;
      }
      if (this.acceptWord('ELSE')) continue;
      this.expectWord('INTO');
      const name = this.parseTableName();
      let columns: NamePart[] | null = null;
      if (this.isOp('(')) columns = this.parseIdentList();
      let values: Expr[] | null = null;
      if (this.acceptWord('VALUES')) {
        this.expectOp('(');
        values = this.parseExprList(')');
        this.expectOp(')');
      }
      targets.push({ name, columns, values });
    }
    const query = this.parseQuery();
    return { kind: 'insert', ctes, targets, query };
  }

  protected parseUpdate(ctes: Cte[]): Statement {
    this.expectWord('UPDATE');
    this.acceptWord('ONLY');
    const target = this.parseTargetName();
    const alias = this.parseOptionalAlias(false);
    // UPDATE t1 a JOIN t2 b ON ... SET ... / UPDATE t1, t2 SET ... (MySQL, Hive, Spark): the joined tables are read,
    // their ON conditions filter like a WHERE
    const from: FromItem[] = [];
    const joinOn: Expr[] = [];
    if (this.peek().type === 'word' && JOIN_WORDS.has(this.peek().upper)) {
      let node: FromItem = this.parseJoinChain({ kind: 'table', name: target, alias, columnAliases: null });
      while (node.kind === 'join') {
        from.unshift(node.right);
        if (node.on) joinOn.push(node.on);
        node = node.left;
      }
    }
    if (this.acceptOp(',')) from.push(...this.parseFromList());
    this.expectWord('SET');
    const sets = this.parseAssignments();
    if (this.acceptWord('FROM')) from.push(...this.parseFromList());
    let where: Expr | null = null;
    if (this.acceptWord('WHERE')) where = this.parseExpr();
    if (joinOn.length) where = { kind: 'op', args: where ? [...joinOn, where] : joinOn };
    if (this.isWord('RETURNING')) this.skipToStatementEnd();
    return { kind: 'update', ctes, target, alias, sets, from, where };
  }

  protected parseAssignments(): Assignment[] {
    const sets: Assignment[] = [];
    do {
      if (this.isOp('(')) {
        const columns = this.parseParenList(() => this.parseNamePath());
        this.expectOp('=');
        sets.push({ columns, expr: this.parseExpr() });
      } else {
        const column = this.parseNamePath();
        this.expectOp('=');
        sets.push({ columns: [column], expr: this.parseExpr() });
      }
    } while (this.acceptOp(','));
    return sets;
  }

  /**
   * The target of UPDATE / DELETE; BigQuery also takes it as a quoted string (`DELETE "project.dataset.t" WHERE ...`);
   * IDENTIFIER() of a variable names a table unknown here (no parts: neither read nor written).
   */
  protected parseTargetName(): NamePart[] {
    const t = this.peek();
    if (this.dialect === 'bigquery' && t.type === 'string') {
      this.next();
      return this.nested(t.text).parseTableName();
    }
    if (this.isWord('IDENTIFIER') && this.isOp('(', 1) && !this.isIdentifierLiteral(2)) {
      // IDENTIFIER($var), IDENTIFIER(:var || '.t'), IDENTIFIER(?): named at run time, unknown here (no parts)
      this.next();
      this.skipBalanced();
      this.warnings.push('a table named at run time (IDENTIFIER with a variable) is not known');
      return [];
    }
    return this.parseTableName();
  }

  protected parseDelete(ctes: Cte[]): Statement {
    this.expectWord('DELETE');
    this.acceptWord('FROM');
    this.acceptWord('ONLY');
    const target = this.parseTargetName();
    const alias = this.parseOptionalAlias(false);
    let using: FromItem[] = [];
    if (this.acceptWord('USING') || this.acceptWord('FROM')) using = this.parseFromList();
    let where: Expr | null = null;
    if (this.acceptWord('WHERE')) where = this.parseExpr();
    if (this.isWord('RETURNING')) this.skipToStatementEnd();
    return { kind: 'delete', ctes, target, alias, using, where };
  }

  protected parseMerge(ctes: Cte[]): Statement {
    this.expectWord('MERGE');
    this.acceptWord('INTO');
    const target = this.parseTableName();
    const alias = this.parseOptionalAlias(false);
    this.expectWord('USING');
    const source = this.parseFromPrimary();
    this.expectWord('ON');
    const on = this.parseExpr();
    const clauses: MergeClause[] = [];
    while (this.acceptWord('WHEN')) {
      const matched = !this.acceptWord('NOT');
      this.expectWord('MATCHED');
      let bySource = false;
      if (this.acceptWord('BY')) bySource = this.next().upper === 'SOURCE';
      let condition: Expr | null = null;
      if (this.acceptWord('AND')) condition = this.parseExpr();
      this.expectWord('THEN');
      const clause: MergeClause = { matched, bySource, condition, action: 'nothing', sets: [], columns: null, values: null, insertAll: false };
      if (this.acceptWord('UPDATE')) {
        clause.action = 'update';
        this.expectWord('SET');
        if (this.acceptOp('*')) clause.insertAll = true;
        else clause.sets = this.parseAssignments();
        if (this.acceptWord('WHERE')) this.parseExpr();
      } else if (this.acceptWord('DELETE')) {
        clause.action = 'delete';
        if (this.acceptWord('WHERE')) this.parseExpr();
      } else if (this.acceptWord('INSERT')) {
        clause.action = 'insert';
        if (this.acceptWord('ROW') || this.acceptOp('*')) clause.insertAll = true;
        else {
          if (this.isOp('(')) clause.columns = this.parseIdentList();
          this.expectWord('VALUES');
          this.expectOp('(');
          clause.values = this.parseExprList(')');
          this.expectOp(')');
          if (this.acceptWord('WHERE')) this.parseExpr();
        }
      } else if (this.acceptWord('DO')) {
        this.expectWord('NOTHING');
      } else this.fail('expected UPDATE, DELETE or INSERT');
      clauses.push(clause);
    }
    return { kind: 'merge', ctes, target, alias, source, on, clauses };
  }
}
