/**
 * A SqlDriver around a real one that makes the Nth statement of a transaction fail with a real database error
 * (a statement naming a column that does not exist, sent on the transaction's own connection), so a test can fail
 * the write path at every step, including PostgreSQL errors that arrive after the first statement and abort the
 * transaction on the server.
 */
import type { SqlColumn, SqlDriver, SqlExecutor, SqlValue } from '../sql/sql-driver';

export class FaultInjectingDriver implements SqlDriver {
  /** 1-based statement number (counted across transactions since the last arm()) that fails; null = none. */
  private failAt: number | null = null;
  /** Statements sent inside transactions since the last arm(). */
  statements = 0;

  constructor(readonly inner: SqlDriver) {}

  get dialect() {
    return this.inner.dialect;
  }

  get forUpdate() {
    return this.inner.forUpdate;
  }

  arm(failAt: number | null): void {
    this.failAt = failAt;
    this.statements = 0;
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) => fn(this.faulty(tx)));
  }

  private faulty(tx: SqlExecutor): SqlExecutor {
    const step = <T>(call: () => Promise<T>): Promise<T> => {
      this.statements += 1;
      if (this.statements === this.failAt) return tx.query('SELECT injected_fault_column FROM chain_head') as unknown as Promise<T>;
      return call();
    };
    return {
      query: <T>(sql: string, params?: SqlValue[]) => step(() => tx.query<T>(sql, params)),
      execute: (sql, params) => step(() => tx.execute(sql, params)),
      script: (sql) => step(() => tx.script(sql)),
      insertRows: (table, columns, rows, suffix) => step(() => tx.insertRows(table, columns, rows, suffix)),
      updateRows: (table: string, key: SqlColumn, columns: SqlColumn[], rows: SqlValue[][]) => step(() => tx.updateRows(table, key, columns, rows)),
    };
  }

  query<T>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }

  execute(sql: string, params?: SqlValue[]): Promise<number> {
    return this.inner.execute(sql, params);
  }

  insertRows(table: string, columns: string[], rows: SqlValue[][], suffix?: string): Promise<number> {
    return this.transaction((tx) => tx.insertRows(table, columns, rows, suffix));
  }

  updateRows(table: string, key: SqlColumn, columns: SqlColumn[], rows: SqlValue[][]): Promise<void> {
    return this.transaction((tx) => tx.updateRows(table, key, columns, rows));
  }

  script(sql: string): Promise<void> {
    return this.inner.script(sql);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
