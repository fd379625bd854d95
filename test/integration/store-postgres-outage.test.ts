/**
 * The PostgreSQL store across a database outage: PostgreSQL is reached through a TCP relay on 127.0.0.1 that the
 * test cuts (every open connection reset, new ones refused) and restores. A cut under ingest must not kill the
 * process (node-postgres emits 'error' on checked-out clients), must surface as DomainError('unavailable') (503 at
 * the app edge) with nothing half-written, and the store must work again once the database is back.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { PostgresLineageStore, type LineageStore } from '@lineage-hub/store';
import { at, input, runEvent } from '../../libs/store/src/testing/store-events.fixture';

const admin = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const target = new URL(admin);
const database = `lh_outage_${randomBytes(5).toString('hex')}`;

/** A relay to PostgreSQL that can be cut and restored on the same port. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    this.server = createServer((inbound) => {
      const outbound = connect(Number(target.port || 5432), target.hostname);
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}

const events = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => input(runEvent({ job: `job_${i % 50}`, runId: `${prefix}-${i}`, type: 'COMPLETE', time: at(i), inputs: [`in_${i}`], outputs: [`out_${i % 50}`] })));

describe('PostgreSQL store across an outage', () => {
  jest.setTimeout(60_000);
  const relay = new Relay();
  let store: LineageStore;

  beforeAll(async () => {
    const client = new Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
    await client.connect().catch((error: Error) => {
      throw new Error(`PostgreSQL is not reachable at ${admin}: ${error.message}`);
    });
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    await relay.up();
    store = await PostgresLineageStore.open(`postgres://${target.username}@127.0.0.1:${relay.port}/${database}`, { pool: { connectionTimeoutMillis: 2000 } });
  });

  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await relay.cut();
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });

  it('answers unavailable while the database is away, loses nothing acknowledged, and recovers by itself', async () => {
    await store.ingest(events('seed', 20));
    const acknowledged = (await store.stats()).events;

    const big = events('cut', 3000);
    const pending = store.ingest(big);
    await new Promise((r) => setTimeout(r, 40));
    await relay.cut();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.stats()).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.ingest(events('down', 1))).rejects.toMatchObject({ code: 'unavailable' });

    await relay.up();
    const stats = await store.stats();
    expect(stats.events).toBe(acknowledged); // the cut batch left nothing behind
    await store.ingest(big);
    expect((await store.stats()).events).toBe(acknowledged + big.length);
    expect(await store.verifyChain()).toMatchObject({ ok: true });
  });
});
