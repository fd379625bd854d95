/**
 * better-sqlite3 behind the SqlDriver interface: WAL, prepared statements cached by text, one writer at a time.
 *
 * Time-sliced writes (`open(file, { sliced: true })`, the lineage store's file databases): better-sqlite3 is
 * synchronous, so a large write transaction would hold the event loop for its whole length and every read of the
 * process would wait behind it. In sliced mode a transaction's statements run one after another in call order and
 * the transaction gives the event loop back between them (and between chunks of a long multi-row insert) once it
 * has run a slice (time-slice.ts). Meanwhile plain reads (`query` outside a transaction) go to a second,
 * query-only connection, which sees only committed data (WAL readers do not block the writer nor see its open
 * transaction), and plain writes (`execute`, `script`) wait for the open transaction like another transaction.
 * Sliced mode also checkpoints the WAL from a worker thread (sqlite-checkpointer.ts), not in the writer's COMMIT.
 */
import Database from 'better-sqlite3';
import { TimeSlice } from '../time-slice';
import { raiseWriterThreshold, SqliteCheckpointer } from './sqlite-checkpointer';
import { toStoreError } from './store-errors';
import { ExecutorBackedDriver, type SqlColumn, type SqlExecutor, type SqlValue } from './sql-driver';

/**
 * The page size of a database file this driver creates (a file that exists keeps its own: a WAL database cannot
 * change it). A commit writes every page the transaction dirtied to the WAL as a frame (two pwrite calls and a
 * checksum each), and an OpenLineage event's stored payload (a few KB) took an overflow page of its own at SQLite's
 * default 4 KiB: at 16 KiB a 500-event ingest batch writes ~350 frames instead of ~1,250 (bytes +14%), measured
 * ~10% less CPU per event (bench/ingest.bench.ts workload).
 */
export const SQLITE_PAGE_SIZE = 16384;

/** Rows of a multi-row insert between two looks at the clock (sliced mode). */
const ROWS_PER_LOOK = 64;

export interface SqliteDriverOptions {
  /** Time-sliced transactions and a read connection of their own (file databases only; ignored for :memory:). */
  sliced?: boolean;
}

export class SqliteDriver extends ExecutorBackedDriver {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  private readonly statements = new Map<string, Database.Statement>();
  private readonly readStatements = new Map<string, Database.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  protected readonly executor: SqlExecutor;
  /** Sliced mode: WAL checkpoints on a worker thread (the writer checkpoints itself only past a high threshold). */
  private checkpointer: SqliteCheckpointer | null = null;

  constructor(
    readonly db: Database.Database,
    /** The query-only connection of sliced mode (null: one connection, transactions never yield). */
    private readonly reader: Database.Database | null = null,
  ) {
    super();
    db.pragma('journal_mode = WAL');
    // Durable on commit: in WAL mode, synchronous=FULL syncs the WAL at every COMMIT, so an event is on disk before
    // ingest() resolves (the producer's 2xx). NORMAL would sync only at checkpoints: a power loss could drop the
    // last commits, which is why it is not used.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536'); // 64 MiB: a batch touches many pages of datasets/runs/edges
    db.pragma('temp_store = MEMORY');
    if (reader) {
      reader.pragma('busy_timeout = 5000');
      reader.pragma('cache_size = -32768');
      reader.pragma('query_only = ON');
    }
    this.executor = {
      query: async (sql, params) => this.querySync(sql, params),
      execute: async (sql, params) => this.executeSync(sql, params),
      insertRows: async (table, columns, rows, suffix) => this.insertRowsSync(table, columns, rows, suffix),
      updateRows: async (table, key, columns, rows) => this.updateRowsSync(table, key, columns, rows),
      script: async (sql) => {
        this.db.exec(sql);
      },
    };
  }

  static open(file: string, options: SqliteDriverOptions = {}): SqliteDriver {
    const db = new Database(file);
    db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`); // before the first write (journal_mode = WAL) creates the file
    if (!options.sliced || file === ':memory:' || db.memory) return new SqliteDriver(db);
    db.pragma('journal_mode = WAL'); // before the reader opens, so it opens a WAL database
    const driver = new SqliteDriver(db, new Database(file));
    raiseWriterThreshold(db);
    driver.checkpointer = new SqliteCheckpointer(file);
    return driver;
  }

  /** Whether transactions yield between statements (and plain reads use their own connection). */
  get sliced(): boolean {
    return this.reader !== null;
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  querySync<T>(sql: string, params: SqlValue[] = []): T[] {
    return this.prepare(sql).all(...params) as T[];
  }

  executeSync(sql: string, params: SqlValue[] = []): number {
    return this.prepare(sql).run(...params).changes;
  }

  insertRowsSync(table: string, columns: string[], rows: SqlValue[][], suffix = ''): number {
    if (rows.length === 0) return 0;
    const statement = this.insertStatement(table, columns, suffix);
    let changes = 0;
    for (const row of rows) changes += statement.run(...row).changes;
    return changes;
  }

  private updateRowsSync(table: string, key: SqlColumn, columns: SqlColumn[], rows: SqlValue[][]): void {
    if (rows.length === 0) return;
    const statement = this.updateStatement(table, key, columns);
    for (const [id, ...values] of rows) statement.run(...values, id);
  }

  private insertStatement(table: string, columns: string[], suffix: string) {
    return this.prepare(`INSERT INTO ${table} (${columns.join(',')}) VALUES (${columns.map(() => '?').join(',')}) ${suffix}`);
  }

  private updateStatement(table: string, key: SqlColumn, columns: SqlColumn[]) {
    return this.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c.name} = ?`).join(', ')} WHERE ${key.name} = ?`);
  }

  /** Plain reads: the query-only connection in sliced mode (committed data only), else the one connection. */
  override query<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    if (!this.reader) return super.query<T>(sql, params);
    try {
      let statement = this.readStatements.get(sql);
      if (!statement) {
        statement = this.reader.prepare(sql);
        this.readStatements.set(sql, statement);
      }
      return Promise.resolve(statement.all(...params) as T[]);
    } catch (error) {
      return Promise.reject(toStoreError(error));
    }
  }

  /** Plain writes wait for the open transaction in sliced mode (they would otherwise join it). */
  override execute(sql: string, params: SqlValue[] = []): Promise<number> {
    if (!this.reader) return super.execute(sql, params);
    return this.enqueue(async () => this.executeSync(sql, params));
  }

  override script(sql: string): Promise<void> {
    if (!this.reader) return super.script(sql);
    return this.enqueue(async () => {
      this.db.exec(sql);
    });
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw toStoreError(error);
      }
      const tx = this.reader ? this.slicedExecutor() : null;
      try {
        const result = await fn(tx ?? this.executor);
        if (tx) await tx.end(false);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (tx) await tx.end(true);
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw toStoreError(error);
      }
    });
  }

  /**
   * A transaction's executor in sliced mode: statements run in call order (a statement sent and not awaited still
   * runs before the next one), and the event loop is given back between them once a slice has run. `end(refuse)`
   * waits for the statements already sent (refusing those not yet run when the transaction failed) and refuses
   * every later one.
   */
  private slicedExecutor(): SqlExecutor & { end(refuse: boolean): Promise<void> } {
    const slice = new TimeSlice();
    let tail: Promise<unknown> = Promise.resolve();
    let ended = false;
    const step = <T>(work: () => T | Promise<T>): Promise<T> => {
      const run = tail.then(async () => {
        if (ended) throw new Error('the transaction has ended');
        const result = await work();
        await slice.pause();
        return result;
      });
      tail = run.catch(() => undefined);
      return run;
    };
    /** Runs a statement per row, giving the event loop back between chunks of rows. */
    const perRow = async (rows: SqlValue[][], runRow: (row: SqlValue[]) => number): Promise<number> => {
      let changes = 0;
      for (let i = 0; i < rows.length; i += 1) {
        changes += runRow(rows[i]);
        if (i % ROWS_PER_LOOK === ROWS_PER_LOOK - 1) await slice.pause();
      }
      return changes;
    };
    return {
      query: (sql, params) => step(() => this.querySync(sql, params)),
      execute: (sql, params) => step(() => this.executeSync(sql, params)),
      script: (sql) => step(() => void this.db.exec(sql)),
      insertRows: (table, columns, rows, suffix = '') =>
        step(() => {
          if (rows.length === 0) return 0;
          const statement = this.insertStatement(table, columns, suffix);
          return perRow(rows, (row) => statement.run(...row).changes);
        }),
      updateRows: (table, key, columns, rows) =>
        step(async () => {
          if (rows.length === 0) return;
          const statement = this.updateStatement(table, key, columns);
          await perRow(rows, ([id, ...values]) => statement.run(...values, id).changes);
        }),
      // a turn for other requests once the slice has run (behind the statements already sent); nothing before that
      pause: () => (slice.due() ? step(() => undefined) : Promise.resolve()),
      end: async (refuse) => {
        if (refuse) ended = true;
        for (let last = null as Promise<unknown> | null; last !== tail; ) await (last = tail);
        ended = true;
      },
    };
  }

  async close(): Promise<void> {
    await this.queue;
    await this.checkpointer?.close();
    this.statements.clear();
    this.readStatements.clear();
    if (this.reader?.open) this.reader.close();
    if (this.db.open) this.db.close();
  }
}
