/** Writes sent without waiting, so derivation overlaps the database's work (see deferWrites). */
import type { SqlExecutor } from '../sql/sql-driver';

/**
 * An executor whose writes are sent and not waited for: the caller goes on deriving while the database works
 * (PostgreSQL; SQLite runs each statement at once anyway). Statements still run in call order, so a later read
 * sees the earlier writes. settle() waits for every write and fails with the first failure.
 */
export const deferWrites = (tx: SqlExecutor) => {
  const pending: Array<Promise<unknown>> = [];
  const later = <T>(sent: Promise<unknown>, value: T): Promise<T> => {
    sent.catch(() => undefined); // observed by settle()/firstFailure()
    pending.push(sent);
    return Promise.resolve(value);
  };
  const deferred: SqlExecutor = {
    query: (sql, params) => tx.query(sql, params),
    script: (sql) => tx.script(sql),
    execute: (sql, params) => later(tx.execute(sql, params), 0),
    insertRows: (table, columns, rows, suffix) => later(tx.insertRows(table, columns, rows, suffix), rows.length),
    updateRows: (table, key, columns, rows) => later(tx.updateRows(table, key, columns, rows), undefined),
    ...(tx.pause ? { pause: () => tx.pause!() } : {}),
  };
  /** The first failure in call order, once every write before it has settled (not the first to be noticed). */
  const firstFailure = async (): Promise<unknown> => {
    for (const sent of pending) {
      const failure = await sent.then(
        () => undefined,
        (error: unknown) => error ?? new Error('write failed'),
      );
      if (failure !== undefined) return failure;
    }
    return undefined;
  };
  return {
    tx: deferred,
    /**
     * Waits for every write; fails with the first failure in call order. On PostgreSQL a failed statement aborts the
     * transaction and every later one fails with "current transaction is aborted"; those answers can be noticed
     * before the first one's (a COPY settles a few microtasks after the statements it was sent before), and
     * Promise.all would report whichever came first.
     */
    settle: async (): Promise<void> => {
      const failure = await firstFailure();
      if (failure !== undefined) throw failure;
    },
    firstFailure,
  };
};

