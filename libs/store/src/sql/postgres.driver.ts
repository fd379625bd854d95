/** node-postgres Pool behind the SqlDriver interface: `?` placeholders numbered, BIGINT/COUNT read as numbers. */
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { toStoreError } from './store-errors';
import { TimeSlice } from '../time-slice';
import { ExecutorBackedDriver, type SqlColumn, type SqlExecutor, type SqlValue } from './sql-driver';
import { copyFrom, copyMessages } from './postgres-copy.query';
import { statementChunks } from './postgres-statement-chunks';

const MAX_PARAMS = 60000;

const numbered = new Map<string, string>();
/** `?` -> `$n` (our SQL never holds a literal "?"). */
export const numberPlaceholders = (sql: string): string => {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < 5000) numbered.set(sql, out);
  }
  return out;
};

/** Per-pool type parsers: int8 (BIGINT, COUNT) as JS numbers; epoch ms fit well within 2^53. */
const typeParsers = {
  getTypeParser: (oid: number, format?: any) => (oid === 20 ? (value: string) => Number(value) : types.getTypeParser(oid, format)),
};

/**
 * Statements on one client run one after another in call order: a caller may send a statement and await it
 * later (the store sends the raw events, then derives the graph while the server inserts them).
 */
/** Column types (pg udt names such as text, int8) per table of the store's schema, once loaded (loadColumnTypes). */
type ColumnTypes = Map<string, Map<string, string>>;

/** Rows per INSERT ... SELECT FROM unnest(...) statement (one array parameter per column, whatever the row count). */
const UNNEST_CHUNK = 5000;

/** Only plain type names go into the statement text. */
const PLAIN_TYPE = /^[a-z_][a-z0-9_]*$/;

/**
 * Arrays pay off for many short values (ids, times): measured on this machine, 900 edge rows of 10 columns insert
 * ~40% faster than as a VALUES list. Long text is another matter: node-postgres escapes every array element in
 * JavaScript and the server parses the array literal, so 500 raw events of ~2.5 KB went 7x slower than as separate
 * parameters. Rows holding any text longer than this go as a VALUES list.
 */
const ARRAY_TEXT_MAX = 256;
const shortValues = (rows: SqlValue[][]): boolean => {
  for (const row of rows) for (const value of row) if (typeof value === 'string' && value.length > ARRAY_TEXT_MAX) return false;
  return true;
};

/** A transaction's executor: `end()` refuses every later statement and waits until the ones already queued have run. */
interface TxExecutor extends SqlExecutor {
  end(): Promise<void>;
}

const executorFor = (client: Pool | PoolClient, ordered: boolean, columnTypes: ColumnTypes, copyInserts = false): TxExecutor => {
  let tail: Promise<unknown> = Promise.resolve();
  let ended = false;
  /**
   * Runs statements in call order. With pipeline mode (PostgresDriver.open) each goes to the client at once: node-postgres
   * writes it without waiting for the answers to the ones before it, so the writes a caller does not wait for
   * (deferred-writes.ts) and the read behind them share one round trip. A 16-event ingest (a group commit's size)
   * went from 35.9 to 29.1 ms p50 at load 13 on this machine.
   */
  const pipelined = ordered && (client as PoolClient).pipeline === true;
  const slice = new TimeSlice();
  /**
   * Pipelined: a statement is written to the connection when called, unless the transaction's slice has run its
   * budget or an earlier statement still waits for its turn; then it is written after the event loop had a turn, in
   * call order (reads of the same process go between a large batch's statements, see STATEMENT_BYTES).
   */
  let turns: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  const inTurn = <R>(start: () => Promise<R>): Promise<R> => {
    if (waiting === 0 && !slice.due()) return start();
    waiting += 1;
    const turn = turns
      .then(() => slice.pause())
      .then(() => {
        waiting -= 1;
        // wrapped: the next statement waits for this one to be written, not answered; a throw fails this one only
        try {
          return { sent: start() };
        } catch (error) {
          return { sent: Promise.reject(error) as Promise<R> };
        }
      });
    turns = turn;
    return turn.then(({ sent }) => sent);
  };
  const inOrder = <R>(start: () => Promise<R>): Promise<R> => {
    if (!ordered) return start();
    // a statement queued after the transaction ended would run outside it (after ROLLBACK, on a pooled client)
    const refused = () => Promise.reject(new Error('the transaction has ended'));
    let result: Promise<R>;
    if (pipelined) {
      result = ended ? refused() : inTurn(start);
      tail = Promise.all([tail, result.catch(() => undefined)]);
    } else {
      // without pipeline mode node-postgres wants one statement at a time
      result = tail.then(() => (ended ? refused() : start()));
      tail = result.catch(() => undefined);
    }
    return result;
  };
  const send = <T>(text: string, params: SqlValue[] = []) =>
    inOrder(() => client.query(text, params) as unknown as Promise<{ rows: T[]; rowCount: number | null }>);
  /** COPY FROM STDIN on the transaction's client, a statement per STATEMENT_BYTES of rows, each encoded as it is sent. */
  const copy = async (table: string, columns: string[], rows: SqlValue[][]) => {
    const text = `COPY ${table} (${columns.join(',')}) FROM STDIN`;
    const sent = statementChunks(rows, rows.length).map((chunk) => inOrder(() => copyFrom(client as PoolClient, text, copyMessages(chunk))));
    return { rowCount: (await Promise.all(sent)).reduce((n, r) => n + r.rowCount, 0) };
  };
  return {
    end: async () => {
      ended = true;
      await tail;
    },
    pause: () => slice.pause(),
    query: async <T>(sql: string, params: SqlValue[] = []) => (await send<T>(numberPlaceholders(sql), params)).rows,
    execute: async (sql: string, params: SqlValue[] = []) => (await send(numberPlaceholders(sql), params)).rowCount ?? 0,
    script: async (sql: string) => {
      await send(sql);
    },
    updateRows: async (table: string, key: SqlColumn, columns: SqlColumn[], rows: SqlValue[][]) => {
      if (rows.length === 0) return;
      const all = [key, ...columns];
      const sent: Array<Promise<unknown>> = [];
      if (!shortValues(rows)) {
        const perChunk = Math.max(1, Math.floor(MAX_PARAMS / all.length));
        for (const chunk of statementChunks(rows, perChunk)) {
          const params: SqlValue[] = [];
          const values = chunk.map((row) => {
            const start = params.length;
            params.push(...row);
            return `(${all.map((c, i) => `$${start + i + 1}::${c.type}`).join(',')})`;
          });
          sent.push(
            send(
              `UPDATE ${table} AS t SET ${columns.map((c) => `${c.name} = v.${c.name}`).join(', ')} FROM (VALUES ${values.join(',')}) AS v(${all
                .map((c) => c.name)
                .join(',')}) WHERE t.${key.name} = v.${key.name}`,
              params,
            ),
          );
        }
        await Promise.all(sent);
        return;
      }
      // one array per column (see insertRows)
      const list = all.map((c, i) => `$${i + 1}::${c.type}[]`).join(',');
      const sql = `UPDATE ${table} AS t SET ${columns.map((c) => `${c.name} = v.${c.name}`).join(', ')} FROM unnest(${list}) AS v(${all
        .map((c) => c.name)
        .join(',')}) WHERE t.${key.name} = v.${key.name}`;
      for (const chunk of statementChunks(rows, UNNEST_CHUNK)) {
        sent.push(send(sql, all.map((_, i) => chunk.map((row) => row[i])) as unknown as SqlValue[]));
      }
      await Promise.all(sent);
    },
    insertRows: async (table: string, columns: string[], rows: SqlValue[][], suffix = '') => {
      if (rows.length === 0) return 0;
      // a plain insert in a transaction: COPY (postgres-copy.query.ts); an upsert needs INSERT ... ON CONFLICT
      if (copyInserts && ordered && suffix === '') return (await copy(table, columns, rows)).rowCount;
      const known = columnTypes.get(table);
      const types = known ? columns.map((c) => known.get(c)) : [];
      if (known && types.every((t) => t !== undefined && PLAIN_TYPE.test(t)) && shortValues(rows)) {
        // one array per column: a short statement to parse and plan however many rows, unlike a VALUES list
        // with a placeholder per value (see ARRAY_TEXT_MAX)
        const sent: Array<Promise<{ rowCount: number | null }>> = [];
        const list = types.map((t, i) => `$${i + 1}::${t}[]`).join(',');
        for (const chunk of statementChunks(rows, UNNEST_CHUNK)) {
          const arrays = columns.map((_, i) => chunk.map((row) => row[i]));
          sent.push(send(`INSERT INTO ${table} (${columns.join(',')}) SELECT * FROM unnest(${list}) ${suffix}`, arrays as unknown as SqlValue[]));
        }
        return (await Promise.all(sent)).reduce((n, r) => n + (r.rowCount ?? 0), 0);
      }
      const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      const sent: Array<Promise<{ rowCount: number | null }>> = [];
      for (const chunk of statementChunks(rows, perChunk)) {
        const params: SqlValue[] = [];
        const values = chunk.map((row) => {
          const start = params.length;
          params.push(...row);
          return `(${row.map((_, i) => `$${start + i + 1}`).join(',')})`;
        });
        sent.push(send(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${values.join(',')} ${suffix}`, params));
      }
      return (await Promise.all(sent)).reduce((n, r) => n + (r.rowCount ?? 0), 0);
    },
  };
};

const rethrow = (error: unknown): never => {
  throw toStoreError(error);
};

export class PostgresDriver extends ExecutorBackedDriver {
  readonly dialect = 'postgres' as const;
  readonly forUpdate = ' FOR UPDATE';
  protected readonly executor: SqlExecutor;
  private readonly columnTypes: ColumnTypes = new Map();

  /**
   * `copyInserts: false` sends plain inserts as INSERT statements too (unnest arrays or a VALUES list), the path before
   * COPY; kept so tests can compare the rows both paths store.
   */
  constructor(
    readonly pool: Pool,
    private readonly options: { copyInserts: boolean } = { copyInserts: true },
  ) {
    super();
    const plain = executorFor(pool, false, this.columnTypes); // outside transactions: any pooled client, concurrently
    this.executor = {
      query: <T>(sql: string, params?: SqlValue[]) => plain.query<T>(sql, params).catch(rethrow),
      execute: (sql, params) => plain.execute(sql, params).catch(rethrow),
      script: (sql) => plain.script(sql).catch(rethrow),
      insertRows: (table, columns, rows, suffix) => plain.insertRows(table, columns, rows, suffix).catch(rethrow),
      updateRows: (table, key, columns, rows) => plain.updateRows(table, key, columns, rows).catch(rethrow),
    };
  }

  /**
   * Reads the column types of the tables in the current schema (call after migrating): from then on insertRows
   * sends `INSERT ... SELECT * FROM unnest($1::type[], ...)` for tables it knows, a VALUES list otherwise.
   */
  async loadColumnTypes(): Promise<void> {
    const rows = await this.executor.query<{ table_name: string; column_name: string; udt_name: string }>(
      'SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()',
    );
    this.columnTypes.clear();
    for (const r of rows) {
      let table = this.columnTypes.get(r.table_name);
      if (!table) this.columnTypes.set(r.table_name, (table = new Map()));
      table.set(r.column_name, r.udt_name);
    }
  }

  /**
   * A pool of 8: a lineage read sends its 7 queries at once (relational-reads.ts) while an ingest transaction holds a
   * connection; with 4, they queued behind each other in the pool.
   */
  static open(connectionString: string, config: PoolConfig = {}, options?: { copyInserts: boolean }): PostgresDriver {
    const pool = new Pool({ connectionString, max: 8, pipeline: true, ...config, types: typeParsers } as PoolConfig);
    pool.on('error', () => undefined); // an idle client dropped by the server; the next query reconnects
    return new PostgresDriver(pool, options);
  }

  /**
   * BEGIN, fn, COMMIT on one pooled client. Whatever fn left queued (deferred writes) has run or been refused before
   * COMMIT or ROLLBACK is sent, so no statement of a failed transaction runs after its ROLLBACK. A client that
   * errors while checked out (the server went away) is destroyed, not returned to the pool; connection failures
   * become DomainError('unavailable') (store-errors.ts).
   */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw toStoreError(error);
    });
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error; // emitted by a checked-out client when its connection dies; without a listener the process exits
    };
    client.on('error', onError);
    const tx = executorFor(client, true, this.columnTypes, this.options.copyInserts);
    try {
      // pipeline mode: BEGIN goes out with the transaction's first statements (one round trip less); a BEGIN that
      // fails fails the transaction before COMMIT is sent
      const begun = client.query('BEGIN');
      if (!client.pipeline) await begun;
      else begun.catch(() => undefined);
      let result: T;
      try {
        result = await fn(tx);
      } finally {
        await tx.end();
      }
      await begun;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!broken) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw toStoreError(error);
    } finally {
      client.off('error', onError);
      client.release(broken ?? undefined);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
