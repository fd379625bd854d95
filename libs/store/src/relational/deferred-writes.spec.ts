import type { SqlExecutor } from '../sql/sql-driver';
import { deferWrites } from './deferred-writes';

/** An executor whose statements settle when the test says, in any order it chooses. */
const controlled = () => {
  const sent: Array<{ resolve: (n: number) => void; reject: (e: Error) => void }> = [];
  const statement = () => new Promise<number>((resolve, reject) => sent.push({ resolve, reject }));
  const tx: SqlExecutor = {
    query: async () => [],
    script: async () => undefined,
    execute: statement,
    insertRows: statement,
    updateRows: async () => {
      await statement();
    },
  };
  return { tx, sent };
};

const aborted = () => new Error('current transaction is aborted, commands ignored until end of transaction block');

describe('deferWrites', () => {
  it('returns at once and settles when every write has', async () => {
    const { tx, sent } = controlled();
    const writes = deferWrites(tx);
    expect(await writes.tx.insertRows('t', ['a'], [[1], [2]])).toBe(2);
    expect(await writes.tx.execute('UPDATE t SET a = 1')).toBe(0);
    let settled = false;
    const settle = writes.settle().then(() => (settled = true));
    sent[1].resolve(1);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    sent[0].resolve(2);
    await settle;
    expect(settled).toBe(true);
  });

  it('reports the first failure in call order, though a later write failed first (PostgreSQL aborts the rest)', async () => {
    const { tx, sent } = controlled();
    const writes = deferWrites(tx);
    await writes.tx.insertRows('events', ['payload'], [['x']]);
    await writes.tx.execute('UPDATE chain_head SET seq = 2');
    await writes.tx.updateRows('datasets', { name: 'id', type: 'text' }, [], [['d']]);
    const settle = writes.settle();
    sent[1].reject(aborted());
    sent[2].reject(aborted());
    await new Promise((r) => setImmediate(r));
    sent[0].reject(new Error('injected event failure'));
    await expect(settle).rejects.toThrow('injected event failure');
    expect(await writes.firstFailure()).toEqual(new Error('injected event failure'));
  });

  it('has no failure when every write succeeded', async () => {
    const { tx, sent } = controlled();
    const writes = deferWrites(tx);
    await writes.tx.execute('UPDATE t SET a = 1');
    sent[0].resolve(1);
    await writes.settle();
    expect(await writes.firstFailure()).toBeUndefined();
  });
});
