/** better-sqlite3 behind the SqlDriver interface: WAL, prepared statements cached by text, one writer at a time. */
import Database from 'better-sqlite3';
import { toStoreError } from './store-errors';
import { ExecutorBackedDriver, type SqlExecutor, type SqlValue } from './sql-driver';

export class SqliteDriver extends ExecutorBackedDriver {
  readonly dialect = 'sqlite' as const;
  readonly forUpdate = '';
  private readonly statements = new Map<string, Database.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  protected readonly executor: SqlExecutor;

  constructor(readonly db: Database.Database) {
    super();
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL'); // an event is durable before ingest() resolves (the producer's 2xx)
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536'); // 64 MiB: a batch touches many pages of datasets/runs/edges
    db.pragma('temp_store = MEMORY');
    this.executor = {
      query: async (sql, params) => this.querySync(sql, params),
      execute: async (sql, params) => this.executeSync(sql, params),
      insertRows: async (table, columns, rows, suffix) => this.insertRowsSync(table, columns, rows, suffix),
      updateRows: async (table, key, columns, rows) => {
        if (rows.length === 0) return;
        const statement = this.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c.name} = ?`).join(', ')} WHERE ${key.name} = ?`);
        for (const [id, ...values] of rows) statement.run(...values, id);
      },
      script: async (sql) => {
        this.db.exec(sql);
      },
    };
  }

  static open(file: string): SqliteDriver {
    return new SqliteDriver(new Database(file));
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
    const statement = this.prepare(`INSERT INTO ${table} (${columns.join(',')}) VALUES (${columns.map(() => '?').join(',')}) ${suffix}`);
    let changes = 0;
    for (const row of rows) changes += statement.run(...row).changes;
    return changes;
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const run = async () => {
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        throw toStoreError(error);
      }
      try {
        const result = await fn(this.executor);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw toStoreError(error);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
