/**
 * A tolerant recursive-descent parser for the lineage-relevant part of BigQuery, Snowflake, Redshift,
 * PostgreSQL and ANSI SQL. Expressions are parsed flat (operands and the clause they sit in, no precedence):
 * lineage needs to know which columns feed which output, not how they combine. A statement that cannot be
 * parsed is reported with the reason and skipped up to the next `;`; parsing never throws to the caller.
 */
import type { SqlDialect } from './sql-dialect';
import type {
  Assignment,
  Cte,
  Expr,
  FromItem,
  InsertTarget,
  MergeClause,
  NamePart,
  ParsedStatement,
  Query,
  SelectItem,
  SelectQuery,
  Statement,
  WindowSpec,
} from './sql-ast';
import { type Token, tokenize } from './sql-lexer';

export class SqlParseError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'SqlParseError';
  }
}

/** Words that end an expression or a select item: never an implicit alias or a bare column. */
const RESERVED = new Set(
  (
    'SELECT FROM WHERE GROUP ORDER HAVING QUALIFY LIMIT OFFSET FETCH UNION INTERSECT EXCEPT MINUS JOIN INNER LEFT RIGHT FULL ' +
    'CROSS NATURAL OUTER ON USING WINDOW INTO AS AND OR NOT IS IN LIKE ILIKE RLIKE BETWEEN THEN WHEN ELSE END CASE WITH SET VALUES ' +
    'LATERAL FOR RETURNING PIVOT UNPIVOT TABLESAMPLE APPLY CONNECT START MATCH_RECOGNIZE DISTINCT ALL BY ASC DESC NULLS ' +
    'SEMI ANTI ASOF MATCHED INSERT UPDATE DELETE MERGE CREATE DROP ALTER TRUNCATE ESCAPE COLLATE SIMILAR OVER FILTER WITHIN ' +
    'IGNORE RESPECT REGEXP GLOB EXISTS UNNEST'
  ).split(' '),
);
/** Additional words that cannot alias a table in FROM (they start a modifier or clause). */
const NOT_TABLE_ALIAS = new Set(['AT', 'BEFORE', 'CHANGES', 'SAMPLE', 'PARTITION', 'STRAIGHT_JOIN', 'MATCH_CONDITION', 'OPTIONS']);
const JOIN_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'OUTER', 'SEMI', 'ANTI', 'ASOF', 'STRAIGHT_JOIN']);
const SET_OPS = new Set(['UNION', 'INTERSECT', 'EXCEPT', 'MINUS']);
const BINARY_OPS = new Set([
  '+', '-', '*', '/', '%', '=', '<', '>', '<=', '>=', '<>', '!=', '==', '||', '**', '&', '|', '^', '<<', '>>', '~~', '->', '->>',
  '#>', '#>>', '@>', '<@', '?|', '?&', '~', '!~', '~*', '!~*', '&&', '#',
]);
const NILADIC = new Set([
  'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURRENT_TIME', 'LOCALTIME', 'LOCALTIMESTAMP', 'CURRENT_USER', 'SESSION_USER',
  'CURRENT_ROLE', 'CURRENT_SCHEMA', 'CURRENT_CATALOG', 'SYSDATE', 'SYSTIMESTAMP', 'CURRENT_DATETIME', 'GETDATE',
]);
const TYPED_LITERALS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'DATETIME', 'TIMESTAMPTZ', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ', 'INTERVAL', 'JSON', 'NUMERIC', 'BIGNUMERIC', 'DECIMAL', 'RANGE']);
const DATE_PARTS = new Set(
  (
    'YEAR YEARS YY YYYY QUARTER QUARTERS Q MONTH MONTHS MM MON WEEK WEEKS WK W ISOWEEK ISOYEAR DAY DAYS DD D DAYOFWEEK DOW ' +
    'DAYOFYEAR DOY HOUR HOURS HH MINUTE MINUTES MI SECOND SECONDS SS MILLISECOND MILLISECONDS MS MICROSECOND MICROSECONDS US ' +
    'NANOSECOND NS EPOCH WEEKDAY YEAROFWEEK DATE TIME DATETIME CENTURY DECADE MILLENNIUM TIMEZONE TIMEZONE_HOUR TIMEZONE_MINUTE'
  ).split(' '),
);
const CALL_ARG_KEYWORDS = new Set([
  'DISTINCT', 'ALL', 'FROM', 'FOR', 'IN', 'BOTH', 'LEADING', 'TRAILING', 'SEPARATOR', 'IGNORE', 'RESPECT', 'NULLS', 'ORDER',
  'BY', 'ASC', 'DESC', 'LIMIT', 'USING', 'PLACING', 'OVERFLOW', 'TRUNCATE', 'WITH', 'WITHOUT', 'COUNT', 'ON', 'ERROR', 'EMPTY',
  'FIRST', 'LAST', 'HAVING', 'MAX', 'MIN', 'KEEP', 'DENSE_RANK', 'RETURNING',
]);
const WINDOW_WORDS = new Set([
  'ROWS', 'RANGE', 'GROUPS', 'BETWEEN', 'UNBOUNDED', 'PRECEDING', 'FOLLOWING', 'CURRENT', 'ROW', 'AND', 'EXCLUDE', 'NO', 'OTHERS',
  'TIES', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST',
]);
const STATEMENT_STARTS = new Set([
  'LOAD',
  'SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'CREATE', 'COPY', 'UNLOAD', 'ALTER', 'DROP', 'TRUNCATE', 'USE', 'VALUES',
  'EXPORT', 'REPLACE', 'UPSERT',
]);
const CONTROL_SKIP = new Set([
  'DECLARE', 'LEAVE', 'BREAK', 'CONTINUE', 'ITERATE', 'RAISE', 'RETURN', 'CALL', 'EXECUTE', 'EXEC', 'GRANT', 'REVOKE', 'COMMIT',
  'ROLLBACK', 'ANALYZE', 'ANALYSE', 'VACUUM', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'COMMENT', 'PERFORM', 'OPEN', 'CLOSE', 'FETCH',
  'LOCK', 'REFRESH', 'CLUSTER', 'REINDEX', 'LET', 'PUT', 'GET', 'LIST', 'LS', 'RM', 'REMOVE', 'UNDROP', 'UNSET', 'ABORT',
  'START', 'SAVEPOINT', 'RELEASE', 'PREPARE', 'DEALLOCATE', 'LISTEN', 'NOTIFY', 'DISCARD', 'RESET', 'SECURITY', 'CHECKPOINT',
]);

export const parseSql = (sql: string, dialect: SqlDialect): ParsedStatement[] => new SqlParser(sql, dialect).parseScript();

class SqlParser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly out: ParsedStatement[] = [];
  private warnings: string[] = [];

  /**
   * `routineBody`: the text is a procedure body (PL/pgSQL, Snowflake Scripting), where `SELECT ... INTO x`
   * assigns variables instead of creating a table.
   */
  constructor(
    private readonly sql: string,
    private readonly dialect: SqlDialect,
    private readonly routineBody = false,
  ) {
    this.tokens = tokenize(sql, dialect);
  }

  // ---------- token helpers ----------
  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'word' && t.upper === word;
  }
  private isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'op' && t.text === op;
  }
  private acceptWord(...words: string[]): boolean {
    const t = this.peek();
    if (t.type === 'word' && words.includes(t.upper)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expectWord(word: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word}`);
  }
  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail(`expected "${op}"`);
  }
  private fail(message: string): never {
    const t = this.peek();
    const found = t.type === 'eof' ? 'end of input' : `"${this.sql.slice(t.start, Math.min(t.end, t.start + 40))}"`;
    throw new SqlParseError(`${message} at offset ${t.start}, found ${found}`, t.start);
  }
  private atEnd(): boolean {
    return this.peek().type === 'eof' || this.isOp(';');
  }
  /** Skips a balanced parenthesised group starting at the current "(" (or any other opener given). */
  private skipBalanced(open = '(', close = ')'): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.type === 'eof') return;
      if (t.type === 'op' && t.text === open) depth++;
      else if (t.type === 'op' && t.text === close) depth--;
    } while (depth > 0);
  }
  private isQueryStart(offset = 0): boolean {
    const t = this.peek(offset);
    if (t.type === 'word') return t.upper === 'SELECT' || t.upper === 'WITH' || t.upper === 'VALUES' || (t.upper === 'TABLE' && this.peek(offset + 1).type !== 'op');
    if (t.type === 'op' && t.text === '(') return this.isQueryStart(offset + 1);
    return false;
  }

  // ---------- script ----------
  parseScript(): ParsedStatement[] {
    while (this.peek().type !== 'eof') {
      if (this.acceptOp(';')) continue;
      const startPos = this.pos;
      const start = this.peek().start;
      this.warnings = [];
      let statement: Statement | null = null;
      let error: string | null = null;
      try {
        statement = this.parseStatementOrControl();
        if (statement && !this.atEnd() && !this.isBlockWord()) {
          const t = this.peek();
          this.warnings.push(`ignored unparsed text from offset ${t.start}: "${this.sql.slice(t.start, Math.min(this.sql.length, t.start + 40)).replace(/\s+/g, ' ')}"`);
          this.skipToStatementEnd();
        }
      } catch (e) {
        error = e instanceof RangeError ? 'statement nests too deeply to parse (stack exhausted)' : e instanceof Error ? e.message : String(e);
        this.pos = startPos;
        this.skipToStatementEnd();
        statement = null;
      }
      if (this.pos === startPos) this.next(); // always make progress
      const end = this.tokens[Math.max(0, this.pos - 1)].end;
      if (statement || error) {
        this.out.push({ statement, source: this.sql, start, end, error, warnings: this.warnings });
      }
    }
    return this.out;
  }

  private isBlockWord(): boolean {
    const t = this.peek();
    return t.type === 'word' && ['END', 'ELSE', 'ELSEIF', 'ELSIF', 'WHEN', 'EXCEPTION', 'UNTIL'].includes(t.upper);
  }

  private skipToStatementEnd(): void {
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

  /** One statement, or a procedural control word (consumed; returns null). */
  private parseStatementOrControl(): Statement | null {
    const t = this.peek();
    // labels: `name: BEGIN`
    if ((t.type === 'word' || t.type === 'quoted') && this.isOp(':', 1) && this.peek(2).type === 'word' && ['BEGIN', 'LOOP', 'WHILE', 'REPEAT', 'FOR'].includes(this.peek(2).upper)) {
      this.pos += 2;
      return null;
    }
    if (t.type === 'op' && t.text === '(') return { kind: 'query', query: this.parseQuery() };
    if (t.type !== 'word') this.fail('expected a statement');
    switch (t.upper) {
      case 'BEGIN':
        this.next();
        this.acceptWord('TRANSACTION', 'WORK');
        return null;
      case 'END':
        this.next();
        if (this.peek().type === 'word' && ['IF', 'LOOP', 'WHILE', 'REPEAT', 'FOR', 'CASE'].includes(this.peek().upper)) this.next();
        return null;
      case 'ELSE':
      case 'LOOP':
      case 'REPEAT':
      case 'EXCEPTION':
      case 'THEN':
      case 'DO':
        this.next();
        return null;
      case 'IF':
      case 'ELSEIF':
      case 'ELSIF':
      case 'WHILE':
      case 'WHEN':
      case 'UNTIL': {
        this.next();
        if (t.upper === 'IF' && this.isWord('EXISTS') && this.peek(1).type !== 'op') {
          this.skipToStatementEnd(); // `IF EXISTS name` in a DROP-like context
          return null;
        }
        const expr = this.parseExpr();
        this.acceptWord('THEN', 'DO', 'LOOP');
        return { kind: 'condition', expr };
      }
      case 'ASSERT': {
        this.next();
        const expr = this.parseExpr();
        this.skipToStatementEnd(); // AS 'message'
        return { kind: 'condition', expr };
      }
      case 'FOR': {
        // FOR x IN (query) DO
        this.next();
        if (this.peek().type === 'word') this.next();
        this.expectWord('IN');
        const expr = this.parseExpr();
        this.acceptWord('DO', 'LOOP');
        return { kind: 'condition', expr };
      }
      case 'SET': {
        // SET search_path TO x  |  SET var = expr (BigQuery: subqueries read tables)
        this.next();
        if (this.isWord('SEARCH_PATH')) {
          this.next();
          if (!this.acceptWord('TO')) this.acceptOp('=');
          const schemaTok = this.peek();
          if (schemaTok.type === 'word' || schemaTok.type === 'quoted' || schemaTok.type === 'string') {
            this.next();
            this.skipToStatementEnd();
            return { kind: 'use', database: null, schema: { text: schemaTok.text, quoted: schemaTok.type !== 'word' } };
          }
        }
        this.skipToStatementEnd();
        return { kind: 'other', keyword: 'SET' };
      }
    }
    if (t.upper === 'EXECUTE' && this.isWord('IMMEDIATE', 1) && this.peek(2).type === 'string') {
      // a literal statement or block (Snowflake EXECUTE IMMEDIATE $$ ... $$, BigQuery EXECUTE IMMEDIATE '...')
      const body = this.peek(2).text;
      this.pos += 3;
      this.out.push(...new SqlParser(body, this.dialect, this.routineBody || body.trim().toUpperCase().startsWith('DECLARE') || body.trim().toUpperCase().startsWith('BEGIN')).parseScript());
      this.skipToStatementEnd();
      return null;
    }
    if (CONTROL_SKIP.has(t.upper)) {
      this.skipToStatementEnd();
      return { kind: 'other', keyword: t.upper };
    }
    if (t.upper === 'CREATE' && this.isRoutine()) return this.parseRoutine();
    if (STATEMENT_STARTS.has(t.upper)) return this.parseStatement();
    this.warnings.push(`unsupported statement ${t.upper}`);
    this.skipToStatementEnd();
    return { kind: 'other', keyword: t.upper };
  }

  private isRoutine(): boolean {
    for (let i = 1; i < 8; i++) {
      const t = this.peek(i);
      if (t.type !== 'word') return false;
      if (['PROCEDURE', 'PROC', 'FUNCTION'].includes(t.upper)) return true;
      if (['TABLE', 'VIEW', 'SCHEMA', 'DATABASE'].includes(t.upper)) return false;
    }
    return false;
  }

  /**
   * CREATE PROCEDURE: the body's statements are parsed in place (BEGIN ... END) or from the body string
   * (AS $$ ... $$). CREATE FUNCTION reads nothing when defined, so its body is skipped.
   */
  private parseRoutine(): Statement | null {
    let isFunction = false;
    let language: string | null = null;
    while (this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'word' && t.upper === 'FUNCTION') isFunction = true;
      if (t.type === 'word' && t.upper === 'LANGUAGE' && this.peek(1).type === 'word') language = this.peek(1).upper;
      if (t.type === 'word' && t.upper === 'BEGIN' && !isFunction) return null; // the body follows as statements
      if (t.type === 'op' && t.text === '(') {
        this.skipBalanced();
        continue;
      }
      if (t.type === 'op' && t.text === ';') break;
      if (t.type === 'string' && (this.peek(-1).upper === 'AS' || t.quote === '$')) {
        this.next();
        while (this.peek().type === 'word' && this.peek().upper === 'LANGUAGE') {
          this.next();
          language = this.next().upper;
        }
        if (!isFunction && (language === null || ['SQL', 'PLPGSQL'].includes(language))) {
          const inner = new SqlParser(t.text, this.dialect, true).parseScript();
          this.out.push(...inner);
        }
        this.skipToStatementEnd();
        return { kind: 'other', keyword: isFunction ? 'CREATE FUNCTION' : 'CREATE PROCEDURE' };
      }
      this.next();
    }
    return { kind: 'other', keyword: isFunction ? 'CREATE FUNCTION' : 'CREATE PROCEDURE' };
  }

  // ---------- statements ----------
  private parseStatement(): Statement {
    const t = this.peek();
    switch (t.upper) {
      case 'WITH': {
        const ctes = this.parseCtes();
        const k = this.peek().upper;
        if (k === 'INSERT' || k === 'REPLACE' || k === 'UPSERT') return this.parseInsert(ctes);
        if (k === 'UPDATE') return this.parseUpdate(ctes);
        if (k === 'DELETE') return this.parseDelete(ctes);
        if (k === 'MERGE') return this.parseMerge(ctes);
        const query = this.parseQueryBody();
        query.ctes = [...ctes, ...query.ctes];
        return this.queryStatement(query);
      }
      case 'SELECT':
      case 'VALUES':
        return this.queryStatement(this.parseQuery());
      case 'INSERT':
      case 'REPLACE':
      case 'UPSERT':
        return this.parseInsert([]);
      case 'UPDATE':
        return this.parseUpdate([]);
      case 'DELETE':
        return this.parseDelete([]);
      case 'MERGE':
        return this.parseMerge([]);
      case 'CREATE':
        return this.parseCreate();
      case 'COPY':
        return this.parseCopy();
      case 'UNLOAD':
        return this.parseUnload();
      case 'EXPORT':
        return this.parseExportData();
      case 'LOAD':
        return this.parseLoadData();
      case 'ALTER':
        return this.parseAlter();
      case 'DROP':
        return this.parseDrop();
      case 'TRUNCATE': {
        this.next();
        this.acceptWord('TABLE');
        if (this.acceptWord('IF')) this.acceptWord('EXISTS');
        const target = this.parseTableName();
        this.skipToStatementEnd();
        return { kind: 'truncate', target };
      }
      case 'USE':
        return this.parseUse();
    }
    this.fail('unsupported statement');
  }

  private queryStatement(query: Query): Statement {
    return { kind: 'query', query };
  }

  private parseCtes(): Cte[] {
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

  private parseInsert(ctes: Cte[]): Statement {
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
  private parseMultiInsert(ctes: Cte[]): Statement {
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

  private parseUpdate(ctes: Cte[]): Statement {
    this.expectWord('UPDATE');
    this.acceptWord('ONLY');
    const target = this.parseTableName();
    const alias = this.parseOptionalAlias(false);
    this.expectWord('SET');
    const sets = this.parseAssignments();
    let from: FromItem[] = [];
    if (this.acceptWord('FROM')) from = this.parseFromList();
    let where: Expr | null = null;
    if (this.acceptWord('WHERE')) where = this.parseExpr();
    if (this.isWord('RETURNING')) this.skipToStatementEnd();
    return { kind: 'update', ctes, target, alias, sets, from, where };
  }

  private parseAssignments(): Assignment[] {
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

  private parseDelete(ctes: Cte[]): Statement {
    this.expectWord('DELETE');
    this.acceptWord('FROM');
    this.acceptWord('ONLY');
    const target = this.parseTableName();
    const alias = this.parseOptionalAlias(false);
    let using: FromItem[] = [];
    if (this.acceptWord('USING') || this.acceptWord('FROM')) using = this.parseFromList();
    let where: Expr | null = null;
    if (this.acceptWord('WHERE')) where = this.parseExpr();
    if (this.isWord('RETURNING')) this.skipToStatementEnd();
    return { kind: 'delete', ctes, target, alias, using, where };
  }

  private parseMerge(ctes: Cte[]): Statement {
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

  private parseCreate(): Statement {
    this.expectWord('CREATE');
    if (this.acceptWord('OR')) this.acceptWord('REPLACE', 'ALTER');
    let object: 'table' | 'view' | null = null;
    for (let guard = 0; guard < 8 && object === null; guard++) {
      const t = this.next();
      if (t.type !== 'word') this.fail('expected TABLE or VIEW');
      if (t.upper === 'TABLE') object = 'table';
      else if (t.upper === 'VIEW') object = 'view';
      else if (!['TEMP', 'TEMPORARY', 'VOLATILE', 'TRANSIENT', 'UNLOGGED', 'SECURE', 'EXTERNAL', 'MATERIALIZED', 'RECURSIVE', 'GLOBAL', 'LOCAL', 'SNAPSHOT', 'DYNAMIC', 'ICEBERG', 'HYBRID', 'MULTISET', 'SET', 'FORCE', 'NOFORCE'].includes(t.upper)) {
        // CREATE SCHEMA / INDEX / STAGE / STREAM ...: no lineage
        this.skipToStatementEnd();
        return { kind: 'other', keyword: `CREATE ${t.upper}` };
      }
    }
    if (object === null) this.fail('expected TABLE or VIEW');
    if (this.acceptWord('IF')) {
      this.expectWord('NOT');
      this.expectWord('EXISTS');
    }
    const target = this.parseTableName();
    let columns: NamePart[] | null = null;
    let query: Query | null = null;
    let clone: NamePart[] | null = null;
    let location: string | null = null;
    if (this.isOp('(')) {
      if (this.isQueryStart(1)) query = this.parseQuery();
      else columns = this.parseColumnDefs();
    }
    // scan the options up to AS <query>, CLONE x, LIKE x or the end
    while (!query && !this.atEnd()) {
      const t = this.peek();
      if (t.type === 'op' && t.text === '(') {
        this.skipBalanced();
        continue;
      }
      if (t.type === 'word' && t.upper === 'AS' && this.isQueryStart(1)) {
        this.next();
        query = this.parseQuery();
        break;
      }
      if (t.type === 'word' && t.upper === 'LOCATION' && this.peek(1).type === 'string') {
        this.next();
        location = this.next().text;
        continue;
      }
      if (t.type === 'word' && (t.upper === 'CLONE' || t.upper === 'COPY' || (t.upper === 'LIKE' && object === 'table'))) {
        this.next();
        const source = this.parseTableName();
        if (t.upper !== 'LIKE') clone = source; // LIKE copies the structure, not the data
        continue;
      }
      this.next();
    }
    if (query) this.skipToStatementEnd(); // WITH NO SCHEMA BINDING, WITH DATA, ...
    return { kind: 'create', object, target, columns, query, clone, location };
  }

  /** Column definitions of CREATE TABLE (names only), or a view's column list. */
  private parseColumnDefs(): NamePart[] {
    this.expectOp('(');
    const names: NamePart[] = [];
    while (!this.isOp(')') && this.peek().type !== 'eof') {
      const t = this.peek();
      const constraint = t.type === 'word' && ['PRIMARY', 'CONSTRAINT', 'UNIQUE', 'FOREIGN', 'CHECK', 'LIKE', 'EXCLUDE', 'INDEX', 'KEY', 'PERIOD'].includes(t.upper);
      if (!constraint && (t.type === 'word' || t.type === 'quoted')) names.push(this.parseIdent());
      // skip the rest of the element
      while (!this.isOp(',') && !this.isOp(')') && this.peek().type !== 'eof') {
        if (this.isOp('(')) this.skipBalanced();
        else if (this.isOp('<')) this.skipAngle();
        else this.next();
      }
      this.acceptOp(',');
    }
    this.expectOp(')');
    return names;
  }

  private skipAngle(): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.type === 'eof') return;
      if (t.type === 'op' && t.text === '<') depth++;
      else if (t.type === 'op' && t.text === '>') depth--;
      else if (t.type === 'op' && t.text === '>>') depth -= 2;
    } while (depth > 0);
  }

  private parseCopy(): Statement {
    this.expectWord('COPY');
    this.acceptWord('INTO');
    let table: NamePart[] | null = null;
    let query: Query | null = null;
    let location: string | null = null;
    let columns: NamePart[] | null = null;
    // the first operand: table, (query), 's3://...' or @stage
    const first = this.peek();
    if (first.type === 'op' && first.text === '(') {
      this.next();
      query = this.parseQuery();
      this.expectOp(')');
    } else if (first.type === 'string' || first.type === 'param') {
      this.next();
      location = first.text;
    } else {
      table = this.parseTableName();
      if (this.isOp('(')) columns = this.parseIdentList();
    }
    const direction = this.acceptWord('FROM') ? 'from' : this.acceptWord('TO') ? 'to' : null;
    if (!direction) this.fail('expected FROM or TO');
    const second = this.peek();
    if (second.type === 'string' || second.type === 'param') {
      this.next();
      if (table || query) location = second.text;
    } else if (second.type === 'op' && second.text === '(') {
      this.next();
      query = this.parseQuery();
      this.expectOp(')');
    } else if (second.type === 'word' && ['STDIN', 'STDOUT', 'PROGRAM'].includes(second.upper)) {
      this.next();
    } else if (second.type === 'word' || second.type === 'quoted') {
      table = this.parseTableName();
    }
    this.skipToStatementEnd();
    // COPY t FROM 'x' loads t; COPY INTO 'x' FROM t / COPY t TO 'x' / COPY (q) TO 'x' unload.
    const unload = (direction === 'to') || (direction === 'from' && first.type !== 'word' && first.type !== 'quoted');
    return { kind: 'copy', table, columns, query, direction: unload ? 'unload' : 'load', location };
  }

  private parseUnload(): Statement {
    this.expectWord('UNLOAD');
    this.expectOp('(');
    const text = this.next();
    this.expectOp(')');
    let query: Query | null = null;
    if (text.type === 'string') {
      const inner = new SqlParser(text.text, this.dialect).parseScript();
      const first = inner[0]?.statement;
      if (first?.kind === 'query') query = first.query;
      else this.warnings.push('UNLOAD query could not be parsed');
    }
    let location: string | null = null;
    if (this.acceptWord('TO') && this.peek().type === 'string') location = this.next().text;
    this.skipToStatementEnd();
    return { kind: 'copy', table: null, query, direction: 'unload', location };
  }

  /** BigQuery EXPORT DATA OPTIONS(uri='...') AS query */
  private parseExportData(): Statement {
    this.expectWord('EXPORT');
    this.expectWord('DATA');
    let location: string | null = null;
    while (!this.atEnd() && !(this.isWord('AS') && this.isQueryStart(1))) {
      if (this.isWord('URI') && this.isOp('=', 1) && this.peek(2).type === 'string') {
        location = this.peek(2).text;
        this.pos += 3;
        continue;
      }
      this.next();
    }
    this.expectWord('AS');
    const query = this.parseQuery();
    return { kind: 'copy', table: null, query, direction: 'unload', location };
  }

  /** BigQuery LOAD DATA [INTO|OVERWRITE] [TEMP TABLE] t [(cols)] ... FROM FILES (uris = ['...']) */
  private parseLoadData(): Statement {
    this.expectWord('LOAD');
    this.expectWord('DATA');
    this.acceptWord('INTO', 'OVERWRITE');
    if (this.acceptWord('TEMP', 'TEMPORARY')) this.acceptWord('TABLE');
    const table = this.parseTableName();
    let location: string | null = null;
    while (!this.atEnd()) {
      if (this.isWord('URIS') && this.isOp('=', 1)) {
        this.pos += 2;
        this.acceptOp('[');
        if (this.peek().type === 'string') location = this.next().text;
        continue;
      }
      this.next();
    }
    return { kind: 'copy', table, query: null, direction: 'load', location };
  }

  private parseAlter(): Statement {
    this.expectWord('ALTER');
    const objectTok = this.next();
    if (objectTok.upper === 'MATERIALIZED') this.acceptWord('VIEW');
    if (!['TABLE', 'VIEW', 'MATERIALIZED'].includes(objectTok.upper)) {
      this.skipToStatementEnd();
      return { kind: 'other', keyword: `ALTER ${objectTok.upper}` };
    }
    if (this.acceptWord('IF')) this.expectWord('EXISTS');
    this.acceptWord('ONLY');
    const target = this.parseTableName();
    if (this.acceptWord('RENAME')) {
      if (this.acceptWord('TO') || this.acceptWord('AS')) {
        const to = this.parseTableName();
        return { kind: 'rename', from: target, to };
      }
      this.skipToStatementEnd(); // RENAME COLUMN
      return { kind: 'alter', target, appendFrom: null };
    }
    if (this.acceptWord('SWAP')) {
      this.expectWord('WITH');
      return { kind: 'swap', a: target, b: this.parseTableName() };
    }
    if (this.acceptWord('APPEND')) {
      this.expectWord('FROM');
      const from = this.parseTableName();
      this.skipToStatementEnd();
      return { kind: 'alter', target, appendFrom: from };
    }
    this.skipToStatementEnd();
    return { kind: 'alter', target, appendFrom: null };
  }

  private parseDrop(): Statement {
    this.expectWord('DROP');
    this.acceptWord('MATERIALIZED', 'EXTERNAL', 'TEMPORARY', 'TEMP');
    const objectTok = this.next();
    if (!['TABLE', 'VIEW'].includes(objectTok.upper)) {
      this.skipToStatementEnd();
      return { kind: 'other', keyword: `DROP ${objectTok.upper}` };
    }
    if (this.acceptWord('IF')) this.expectWord('EXISTS');
    const targets: NamePart[][] = [this.parseTableName()];
    while (this.acceptOp(',')) targets.push(this.parseTableName());
    this.skipToStatementEnd();
    return { kind: 'drop', targets };
  }

  private parseUse(): Statement {
    this.expectWord('USE');
    if (this.acceptWord('WAREHOUSE', 'ROLE', 'SECONDARY')) {
      this.skipToStatementEnd();
      return { kind: 'other', keyword: 'USE' };
    }
    if (this.acceptWord('DATABASE')) {
      const database = this.parseIdent();
      return { kind: 'use', database, schema: null };
    }
    if (this.acceptWord('SCHEMA')) {
      const parts = this.parseTableName();
      return parts.length > 1 ? { kind: 'use', database: parts[0], schema: parts[1] } : { kind: 'use', database: null, schema: parts[0] };
    }
    const parts = this.parseTableName();
    return parts.length > 1 ? { kind: 'use', database: parts[0], schema: parts[1] } : { kind: 'use', database: parts[0], schema: null };
  }

  // ---------- queries ----------
  parseQuery(): Query {
    let ctes: Cte[] = [];
    if (this.isWord('WITH')) ctes = this.parseCtes();
    const query = this.parseQueryBody();
    if (ctes.length) query.ctes = [...ctes, ...query.ctes];
    return query;
  }

  private parseQueryBody(): Query {
    let query = this.parseSetTerm();
    if (SET_OPS.has(this.peek().upper) && this.peek().type === 'word') query = this.parseSetTail(query);
    this.parseQueryTail(query);
    return query;
  }

  private parseSetTail(first: Query): Query {
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

  private parseSetTerm(): Query {
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

  private selectStarFrom(item: FromItem): SelectQuery {
    return {
      kind: 'select', ctes: [], orderBy: [], items: [{ kind: 'star', qualifier: null, except: [], replace: [] }], from: [item], where: null,
      groupBy: [], groupByAll: false, having: null, qualify: null, windows: new Map(), into: null, intoVariables: false, distinctOn: [],
    };
  }

  private parseValues(): Query {
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

  private parseQueryTail(query: Query): void {
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

  private parseOrderList(): Expr[] {
    const list: Expr[] = [];
    do {
      list.push(this.parseExpr());
      this.acceptWord('ASC', 'DESC');
      if (this.acceptWord('USING')) this.next();
      if (this.acceptWord('NULLS')) this.acceptWord('FIRST', 'LAST');
    } while (this.acceptOp(','));
    return list;
  }

  private parseSelect(): SelectQuery {
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

  private parseSelectItems(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (this.isWord('FROM') || this.atEnd()) break; // trailing comma (BigQuery)
      items.push(this.parseSelectItem());
    } while (this.acceptOp(','));
    if (items.length === 0) this.fail('expected a select list');
    return items;
  }

  private parseSelectItem(): SelectItem {
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
          if (this.isOp('(')) this.skipBalanced();
          else {
            this.parseIdent();
            this.expectWord('AS');
            this.parseIdent();
          }
        } else if (this.acceptWord('ILIKE')) {
          this.next();
        } else break;
      }
      return { kind: 'star', qualifier, except, replace };
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

  // ---------- FROM ----------
  private parseFromList(): FromItem[] {
    const items: FromItem[] = [this.parseJoinChain()];
    while (this.acceptOp(',')) items.push(this.parseJoinChain());
    return items;
  }

  private parseJoinChain(): FromItem {
    let left = this.parseFromPrimary();
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

  private parseFromPrimary(lateral = false): FromItem {
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
      if (this.isOp('(')) {
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

  /** Time travel, sampling and similar modifiers after a table: skipped. */
  private parseTableModifiers(): void {
    for (;;) {
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

  private parseOptionalAlias(forTable: boolean): NamePart | null {
    if (this.acceptWord('AS')) return this.parseIdent();
    const t = this.peek();
    if (t.type === 'quoted') return this.parseIdent();
    if (t.type === 'word' && !RESERVED.has(t.upper) && !(forTable && (NOT_TABLE_ALIAS.has(t.upper) || JOIN_WORDS.has(t.upper)))) {
      if (!forTable && t.upper === 'SET') return null;
      return this.parseIdent();
    }
    return null;
  }

  // ---------- names ----------
  private namePart(t: Token): NamePart {
    return { text: t.text, quoted: t.type === 'quoted' };
  }

  parseIdent(): NamePart {
    const t = this.next();
    if (t.type === 'word' || t.type === 'quoted') return this.namePart(t);
    if (t.type === 'string') return { text: t.text, quoted: true };
    this.pos--;
    this.fail('expected an identifier');
  }

  private parseIdentList(): NamePart[] {
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

  private parseParenList<T>(item: () => T): T[] {
    this.expectOp('(');
    const list: T[] = [];
    if (this.acceptOp(')')) return list;
    do list.push(item());
    while (this.acceptOp(','));
    this.expectOp(')');
    return list;
  }

  /** a.b.c as a column target (UPDATE SET) */
  private parseNamePath(): NamePart[] {
    const parts = [this.parseIdent()];
    while (this.isOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'quoted')) {
      this.next();
      parts.push(this.parseIdent());
    }
    return parts;
  }

  /** IDENTIFIER( 'db.t' ) or IDENTIFIER( db.t ): a literal name, not a variable or expression. */
  private isIdentifierLiteral(offset: number): boolean {
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
      const parts = t.type === 'string' ? new SqlParser(t.text, this.dialect).parseTableName() : this.parseTableName();
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

  // ---------- expressions ----------
  private parseExprList(close: string): Expr[] {
    const list: Expr[] = [];
    if (this.isOp(close)) return list;
    do {
      if (this.isOp(close)) break;
      list.push(this.parseExpr());
    } while (this.acceptOp(','));
    return list;
  }

  /** Expressions separated by commas or keywords (PIVOT bodies): anything that is not an expression is skipped. */
  private parseLooseList(close: string): Expr[] {
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

  private parseUnary(): Expr {
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
        e = { kind: 'cast', expr: e };
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

  private parseLooseIndex(): Expr[] {
    const list: Expr[] = [];
    while (!this.isOp(']') && this.peek().type !== 'eof') {
      if (this.acceptOp(':') || this.acceptOp(',')) continue;
      list.push(this.parseExpr());
    }
    return list;
  }

  private parseType(): void {
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

  private parsePrimary(): Expr {
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
          return { kind: 'cast', expr: e };
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

  private parsePrimaryOp(t: Token): Expr {
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
  private parseNameExpr(): Expr {
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

  private parseCall(name: string): { args: Expr[]; star: boolean } {
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

  private parseCallSuffix(func: Extract<Expr, { kind: 'func' }>): void {
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

  private parseWindowSpec(): WindowSpec {
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

  private parseCase(): Expr {
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
