/**
 * The worker's alert store on both drivers (SQLite file, real PostgreSQL in a temp database): alert state,
 * the delivery outbox in order per alert and receiver with its attempt log, dead letters, silences and
 * routes; an evaluation's state and deliveries are written all or nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleAlert } from '@lineage-hub/alerts/testing';
import { AlertStore } from '../../apps/worker/src/alerts/alert-store';
import { createTempDatabase } from '../testing/shard-test-kit';

jest.setTimeout(60_000);

const backends: Array<[string, () => Promise<{ url: string; drop(): Promise<void> }>]> = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'lh-alert-store-'));
      return { url: `sqlite:${path.join(dir, 'alerts.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ['PostgreSQL', () => createTempDatabase('lh_alerts')],
];

describe.each(backends)('alert store on %s', (_name, makeDb) => {
  let db: { url: string; drop(): Promise<void> };
  let store: AlertStore;
  const alert = sampleAlert();

  beforeAll(async () => {
    db = await makeDb();
    store = await AlertStore.open(db.url);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('keeps alerts with their findings, filters by status, severity and domain', async () => {
    await store.commit([{ alert, findings: [{ id: 'f-1' }] }, { alert: sampleAlert({ id: 'al_other', domain: 'finance', severity: 'info', status: 'resolved' }) }], [], 1000);
    expect((await store.alert(alert.id))!.findings).toEqual([{ id: 'f-1' }]);
    expect((await store.alerts({ domain: 'finance' })).map((a) => a.id)).toEqual(['al_other']);
    expect((await store.alerts({ status: 'firing', severity: 'critical' })).map((a) => a.id)).toEqual([alert.id]);
    expect((await store.activeAlerts()).map((a) => a.id)).toEqual([alert.id]);
    // Saving again without findings keeps the ones stored.
    await store.commit([{ alert: { ...alert, summary: 'changed' } }], [], 2000);
    expect(await store.alert(alert.id)).toMatchObject({ alert: { summary: 'changed' }, findings: [{ id: 'f-1' }] });
  });

  it('numbers deliveries per alert and receiver and hands them out oldest first', async () => {
    const [t1, t2] = await store.commit([], [
      { alert, receiver: 'pd', action: 'trigger', reason: 'new' },
      { alert, receiver: 'hook', action: 'trigger', reason: 'new' },
    ], 3000);
    const [r1] = await store.commit([], [{ alert, receiver: 'pd', action: 'resolve', reason: 'resolved' }], 4000);
    expect([t1.seq, t2.seq, r1.seq]).toEqual([1, 1, 2]);
    expect(t1.id).not.toBe(r1.id);
    expect((await store.pendingStreams()).sort((a, b) => a.receiver.localeCompare(b.receiver))).toEqual([
      { alertId: alert.id, receiver: 'hook' },
      { alertId: alert.id, receiver: 'pd' },
    ]);
    expect((await store.pendingHead(alert.id, 'pd'))!.action).toBe('trigger');
    await store.recordAttempt(t1, 'retry', 503, 'down', 5000, 'pending');
    expect(await store.pendingHead(alert.id, 'pd')).toMatchObject({ id: t1.id, attempts: 1, lastCode: 503 });
    await store.recordAttempt({ ...t1, attempts: 1 }, 'delivered', 202, 'ok', 6000, 'delivered');
    expect((await store.pendingHead(alert.id, 'pd'))!.id).toBe(r1.id);
    await store.recordAttempt(r1, 'rejected', 400, 'invalid event', 7000, 'dead');
    expect(await store.pendingHead(alert.id, 'pd')).toBeNull();
    expect((await store.deadLetters()).map((d) => d.id)).toEqual([r1.id]);
    expect(await store.receiversOf(alert.id)).toEqual(['hook', 'pd']);
    expect(await store.lastDeliveryAt(alert.id, 'pd')).toBe(4000);
    const log = (await store.deliveriesOf(alert.id)).find((d) => d.id === t1.id)!;
    expect(log.attemptLog.map((a) => [a.attempt, a.outcome, a.code])).toEqual([
      [1, 'retry', 503],
      [2, 'delivered', 202],
    ]);
  });

  it('writes an evaluation all or nothing', async () => {
    const fresh = sampleAlert({ id: 'al_atomic' });
    // The delivery fails after the alert row was written in the same transaction (its snapshot cannot be serialised).
    const unserialisable = { ...fresh, flaps: BigInt(1) as unknown as number };
    await expect(store.commit([{ alert: fresh }], [{ alert: unserialisable, receiver: 'pd', action: 'trigger', reason: 'new' }], 8000)).rejects.toThrow();
    expect(await store.alert('al_atomic')).toBeNull();
  });

  it('keeps silences and the routes document', async () => {
    const silence = { id: 's1', matchers: [{ name: 'domain' as const, value: 'sales', isRegex: false, isEqual: true }], startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2099-01-01T00:00:00.000Z', createdBy: 'ana', comment: 'x', createdAt: '2026-01-01T00:00:00.000Z' };
    await store.putSilence(silence);
    await store.putSilence({ ...silence, endsAt: '2026-02-01T00:00:00.000Z' });
    expect(await store.silences()).toEqual([{ ...silence, endsAt: '2026-02-01T00:00:00.000Z' }]);
    expect(await store.routes()).toBeNull();
    await store.putRoutes({ defaultReceiver: 'x' }, 9000);
    expect(await store.routes()).toEqual({ doc: { defaultReceiver: 'x' }, updatedAt: 9000 });
  });

  it('reopens with everything in place; its tables come from its migrations, applied once', async () => {
    await store.close();
    store = await AlertStore.open(db.url);
    expect((await store.alerts()).length).toBe(2);
    expect((await store.deadLetters()).length).toBe(1);
    const applied = await store.driver.query<{ version: number; name: string }>('SELECT version, name FROM alert_schema_migrations ORDER BY version');
    expect(applied.map((r) => [Number(r.version), r.name])).toEqual([[1, 'alerts-initial']]);
  });
});

describe.each(backends)('alert store migrations on %s', (_name, makeDb) => {
  it('adopts a store made before the migrations (same tables, no record) with its rows kept', async () => {
    const db = await makeDb();
    try {
      // The tables as the worker made them at open before they became migration 1.
      const first = await AlertStore.open(db.url);
      await first.commit([{ alert: sampleAlert({ id: 'al_kept' }) }], [], 1000);
      await first.driver.script('DROP TABLE alert_schema_migrations');
      await first.close();
      const store = await AlertStore.open(db.url);
      try {
        expect((await store.alerts()).map((a) => a.id)).toEqual(['al_kept']);
        expect((await store.driver.query('SELECT version FROM alert_schema_migrations')).length).toBe(1);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });
});
