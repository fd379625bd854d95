/** Definition and movement statements: CREATE, COPY, UNLOAD, EXPORT DATA, LOAD DATA, ALTER, DROP, USE. */
import type { NamePart, Query, Statement } from '../sql-ast';
import { DmlStatementParser } from './dml-statement.parser';

export abstract class DdlStatementParser extends DmlStatementParser {
  protected parseCreate(): Statement {
    this.expectWord('CREATE');
    if (this.acceptWord('OR')) this.acceptWord('REPLACE', 'ALTER');
    let object: 'table' | 'view' | null = null;
    let temporary = false;
    for (let guard = 0; guard < 8 && object === null; guard++) {
      const t = this.next();
      if (t.type !== 'word') this.fail('expected TABLE or VIEW');
      if (t.upper === 'TABLE') object = 'table';
      else if (t.upper === 'VIEW') object = 'view';
      else if (t.upper === 'TEMP' || t.upper === 'TEMPORARY' || t.upper === 'VOLATILE') temporary = true;
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
    let like: NamePart[] | null = null;
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
      // the query without AS (MySQL `CREATE TABLE t SELECT ...`, Spark/Databricks and Hive alike): a SELECT, or a WITH
      // that opens a CTE (`WITH name AS (`), not an option clause such as WITH (fillfactor = 70) or WITH TAG (...)
      if (t.type === 'word' && (t.upper === 'SELECT' || (t.upper === 'WITH' && this.opensCte(1)))) {
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
        if (t.upper !== 'LIKE') clone = source;
        else like = source; // LIKE copies the structure, not the data
        continue;
      }
      this.next();
    }
    if (query) this.skipToStatementEnd(); // WITH NO SCHEMA BINDING, WITH DATA, ...
    return { kind: 'create', object, target, columns, query, clone, like, location, temporary };
  }

  /** Whether the tokens from `offset` start a CTE: `[RECURSIVE] name [(columns)] AS (`. */
  private opensCte(offset: number): boolean {
    let i = offset;
    if (this.isWord('RECURSIVE', i)) i++;
    const name = this.peek(i);
    if (name.type !== 'word' && name.type !== 'quoted') return false;
    i++;
    if (this.isOp('(', i)) return false; // WITH name (...) is an option list more often than CTE columns
    return this.isWord('AS', i) && this.isOp('(', i + 1);
  }

  /** Column definitions of CREATE TABLE (names only), or a view's column list. */
  protected parseColumnDefs(): NamePart[] {
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

  protected parseCopy(): Statement {
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

  protected parseUnload(): Statement {
    this.expectWord('UNLOAD');
    this.expectOp('(');
    const text = this.next();
    this.expectOp(')');
    let query: Query | null = null;
    if (text.type === 'string') {
      const inner = this.nested(text.text).parseScript();
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
  protected parseExportData(): Statement {
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
  protected parseLoadData(): Statement {
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

  protected parseAlter(): Statement {
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

  protected parseDrop(): Statement {
    this.expectWord('DROP');
    const materialized = this.acceptWord('MATERIALIZED');
    this.acceptWord('EXTERNAL', 'TEMPORARY', 'TEMP');
    const objectTok = this.next();
    if (!['TABLE', 'VIEW'].includes(objectTok.upper)) {
      this.skipToStatementEnd();
      return { kind: 'other', keyword: `DROP ${objectTok.upper}` };
    }
    if (this.acceptWord('IF')) this.expectWord('EXISTS');
    const targets: NamePart[][] = [this.parseTableName()];
    while (this.acceptOp(',')) targets.push(this.parseTableName());
    this.skipToStatementEnd();
    return { kind: 'drop', targets, view: objectTok.upper === 'VIEW' && !materialized };
  }

  protected parseUse(): Statement {
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
}
