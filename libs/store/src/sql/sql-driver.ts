/**
 * The little a store needs from a SQL database. SQL is written with `?` placeholders (the PostgreSQL driver
 * numbers them) and only in the dialect both SQLite and PostgreSQL accept.
 */
export type SqlDialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | null;

export interface SqlColumn {
  name: string;
  type: 'text' | 'bigint';
}

export interface SqlExecutor {
  query<T = Record<string, any>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  execute(sql: string, params?: SqlValue[]): Promise<number>;
  /** INSERT INTO table (columns) VALUES (...rows) [suffix], chunked as the driver prefers; returns rows written. */
  insertRows(table: string, columns: string[], rows: SqlValue[][], suffix?: string): Promise<number>;
  /**
   * UPDATE table SET columns... WHERE key = row[0], for many rows (rows = [key, ...column values]).
   * Types let PostgreSQL type the VALUES list it batches them into.
   */
  updateRows(table: string, key: SqlColumn, columns: SqlColumn[], rows: SqlValue[][]): Promise<void>;
  /** Runs a script of several statements without parameters (migrations). */
  script(sql: string): Promise<void>;
  /**
   * Inside a transaction whose driver lets it yield (sliced SQLite, PostgreSQL): gives the event loop back if the
   * transaction's current time slice has run out (time-slice.ts), so long JavaScript work between statements does
   * not hold other requests. Absent where a transaction must not yield (one SQLite connection shared with reads).
   */
  pause?(): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  /**
   * Runs fn in one transaction (SQLite: BEGIN IMMEDIATE behind an in-process queue, so writers are serialised;
   * PostgreSQL: the caller serialises ingests with `SELECT ... FROM chain_head ... FOR UPDATE`, see forUpdate).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** ' FOR UPDATE' where the dialect has row locks, '' for SQLite (whose write transactions are exclusive). */
  readonly forUpdate: string;
  close(): Promise<void>;
}

/**
 * What both drivers share: plain statements go straight to the driver's executor; a multi-row insert or update
 * outside a transaction gets one of its own (so it is all or nothing).
 */
export abstract class ExecutorBackedDriver implements SqlDriver {
  abstract readonly dialect: SqlDialect;
  abstract readonly forUpdate: string;
  protected abstract readonly executor: SqlExecutor;
  abstract transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  query<T>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.executor.query<T>(sql, params);
  }

  execute(sql: string, params?: SqlValue[]): Promise<number> {
    return this.executor.execute(sql, params);
  }

  insertRows(table: string, columns: string[], rows: SqlValue[][], suffix?: string): Promise<number> {
    return this.transaction((tx) => tx.insertRows(table, columns, rows, suffix));
  }

  updateRows(table: string, key: SqlColumn, columns: SqlColumn[], rows: SqlValue[][]): Promise<void> {
    return this.transaction((tx) => tx.updateRows(table, key, columns, rows));
  }

  script(sql: string): Promise<void> {
    return this.executor.script(sql);
  }
}

/** Splits a list into chunks for IN (...) lists and multi-row inserts. */
export const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export const placeholders = (count: number): string => new Array(count).fill('?').join(',');
