/**
 * A tolerant recursive-descent parser for the lineage-relevant part of BigQuery, Snowflake, Redshift,
 * PostgreSQL and ANSI SQL. Expressions are parsed flat (operands and the clause they sit in, no precedence):
 * lineage needs to know which columns feed which output, not how they combine. A statement that cannot be
 * parsed is reported with the reason and skipped up to the next `;`; parsing never throws to the caller.
 *
 * This file is the script layer (statement splitting, control flow, procedures, statement dispatch); the
 * layers below it are in parser/ (see parser/parser-base.ts).
 */
import type { SqlDialect } from './sql-dialect';
import type { ParsedStatement, Statement } from './sql-ast';
import { DdlStatementParser } from './parser/ddl-statement.parser';
import type { NestedParser } from './parser/parser-base';
import { CONTROL_SKIP, STATEMENT_STARTS } from './parser/sql-keywords';

export { SqlParseError } from './parser/parser-base';

export const parseSql = (sql: string, dialect: SqlDialect): ParsedStatement[] => new SqlParser(sql, dialect).parseScript();

/** Words that start a statement and cannot continue a complete one. */
const NEXT_STATEMENT = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'SELECT']);

class SqlParser extends DdlStatementParser {
  protected override nested(sql: string, routineBody = false): NestedParser {
    return new SqlParser(sql, this.dialect, routineBody);
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
        if (statement && !this.atEnd() && !this.isBlockWord() && !this.startsUnterminatedStatement()) {
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

  /**
   * Generic SQL (T-SQL among it) does not need `;` between statements: a complete statement followed by a word that
   * can only start another one (`insert into a select * from b insert into c ...`) ends there.
   */
  protected startsUnterminatedStatement(): boolean {
    return this.dialect === 'ansi' && NEXT_STATEMENT.has(this.peek().upper);
  }

  protected isBlockWord(): boolean {
    const t = this.peek();
    return t.type === 'word' && ['END', 'ELSE', 'ELSEIF', 'ELSIF', 'WHEN', 'EXCEPTION', 'UNTIL'].includes(t.upper);
  }

  /** One statement, or a procedural control word (consumed; returns null). */
  protected parseStatementOrControl(): Statement | null {
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
      this.out.push(...this.nested(body, this.routineBody || body.trim().toUpperCase().startsWith('DECLARE') || body.trim().toUpperCase().startsWith('BEGIN')).parseScript());
      this.skipToStatementEnd();
      return null;
    }
    if (CONTROL_SKIP.has(t.upper)) {
      this.skipToStatementEnd();
      return { kind: 'other', keyword: t.upper };
    }
    if (t.upper === 'CREATE' && this.isRoutine()) return this.parseRoutine();
    if (STATEMENT_STARTS.has(t.upper)) return this.parseStatement();
    // an unknown statement is reported as unreadable with its position, never as "no lineage"
    this.fail(`unsupported statement ${t.upper}`);
  }

  protected isRoutine(): boolean {
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
  protected parseRoutine(): Statement | null {
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
          const inner = this.nested(t.text, true).parseScript();
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
  protected parseStatement(): Statement {
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
}
