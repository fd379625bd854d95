/**
 * The conformance suite every connector passes (call it from the connector's test file, under jest):
 * naming through libs/model, cursor resume without loss or duplicates, determinism, error mapping to the
 * neutral codes, and "every vendor request goes through ctx.schedule" (the rate-limit hook).
 *
 *   runConnectorConformance({ name: 'redshift', factory, setup: async () => ({ ... }) });
 */
import { isDataWrite, parseNodeId, WRITE_OPERATIONS, type NodeId } from '@lineage-hub/model';
import type { ConnectorErrorCode, ConnectorFactory, Cursor, PullBatch } from '../connector.contract';
import { toConnectorError } from '../connector-errors';
import { collectPull, testContext } from './test-context';

export interface ConformanceFixture<C> {
  /** Config pointing at the running fake. */
  config: C;
  /** The dataset namespace every emitted dataset must carry. */
  namespace: string;
  /** The libs/model canonicaliser for the platform: must leave every emitted name unchanged. */
  canonicalName(name: string): string;
  /** The clock the pulls run at (epoch ms), so the fixture's rows fall in the windows read. */
  now: number;
  /** The fixture holds enough rows for a full pull to yield at least 2 batches and this many observed writes. */
  minWrites: number;
  /** The neutral codes this vendor can signal, each with a way to make the fake signal it on the next request(s). */
  failures: Partial<Record<ConnectorErrorCode, () => void | Promise<void>>>;
  /** Undo any injected failure still pending. */
  clearFailures(): void | Promise<void>;
  /**
   * Query ids of statements in the fixture that removed data (DELETE, TRUNCATE): each must be reported with its
   * operation, never as a write of data (no sources, no lineage output). Required for warehouse connectors.
   */
  removals?: string[];
  /** Vendor requests the fake has served so far, when the fake can count them. */
  requestCount?(): number | Promise<number>;
  teardown(): Promise<void>;
}

export interface ConformanceSpec<C> {
  name: string;
  factory: ConnectorFactory<C>;
  setup(): Promise<ConformanceFixture<C>>;
  /**
   * The fixture holds objects that are not datasets (temporary tables, table ids the catalog does not list, system
   * work) and the fake answers every window: a full pull must then record no coverage gap at all.
   */
  notDatasets?: boolean;
}

const writeKey = (w: PullBatch['observedWrites'][number]) => `${w.dataset}|${w.queryId}`;

const datasetIdsOf = (batches: PullBatch[]): NodeId[] => [
  ...batches.flatMap((b) => b.observedWrites.flatMap((w) => [w.dataset, ...w.sources])),
  ...batches.flatMap((b) =>
    b.events.flatMap((e) => [...(e.inputs ?? []), ...(e.outputs ?? [])].map((d: any) => `dataset:${d.namespace}:${d.name}` as NodeId)),
  ),
];

export const runConnectorConformance = <C>(spec: ConformanceSpec<C>): void => {
  describe(`${spec.name} connector conformance`, () => {
    let fixture: ConformanceFixture<C>;
    const connectorId = `conformance-${spec.name}`;

    beforeAll(async () => {
      fixture = await spec.setup();
    });
    afterAll(async () => {
      await fixture?.teardown();
    });
    afterEach(async () => {
      await fixture?.clearFailures();
    });

    const pull = async (cursor: Cursor | null, maxBatches?: number) => {
      const connector = spec.factory.create(spec.factory.configSchema.parse(fixture.config));
      try {
        return await collectPull(connector, cursor, testContext({ connectorId, now: fixture.now }), maxBatches);
      } finally {
        await connector.close?.();
      }
    };

    it('validates its config with its schema and names an account key', () => {
      const config = spec.factory.configSchema.parse(fixture.config);
      expect(spec.factory.accountKey(config)).toEqual(expect.any(String));
      expect(spec.factory.accountKey(config).length).toBeGreaterThan(0);
      expect(spec.factory.configSchema.safeParse({}).success).toBe(false);
    });

    it('names every dataset canonically through libs/model, in its namespace', async () => {
      const full = await pull(null);
      expect(full.writes.length).toBeGreaterThanOrEqual(fixture.minWrites);
      const ids = datasetIdsOf(full.batches);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const parsed = parseNodeId(id);
        expect(parsed.kind).toBe('dataset');
        if (parsed.kind !== 'dataset') continue;
        expect(parsed.namespace).toBe(fixture.namespace);
        expect(fixture.canonicalName(parsed.name)).toBe(parsed.name);
      }
      for (const write of full.writes) expect(write.connectorId).toBe(connectorId);
    });

    it('resumes from any batch cursor without losing or repeating a write', async () => {
      const full = await pull(null);
      expect(full.batches.length).toBeGreaterThanOrEqual(2);
      const all = full.writes.map(writeKey).sort();
      expect(new Set(all).size).toBe(all.length);
      const first = await pull(null, 1);
      const rest = await pull(first.cursor);
      const resumed = [...first.writes, ...rest.writes].map(writeKey).sort();
      expect(resumed).toEqual(all);
      // Resuming from the final cursor yields nothing new.
      const after = await pull(full.cursor);
      expect(after.writes).toEqual([]);
    });

    it('is deterministic: the same cursor gives the same events and writes', async () => {
      const a = await pull(null);
      const b = await pull(null);
      expect(b.events).toEqual(a.events);
      expect(b.writes).toEqual(a.writes);
      expect(b.cursor).toEqual(a.cursor);
    });

    it('says what every observed write did: an operation on each, and DELETE/TRUNCATE never as writes of data', async () => {
      const full = await pull(null);
      for (const write of full.writes) expect(WRITE_OPERATIONS).toContain(write.operation);
      const removed = full.writes.filter((w) => !isDataWrite(w.operation));
      for (const queryId of fixture.removals ?? []) {
        const reported = full.writes.filter((w) => w.queryId === queryId);
        expect(reported.length).toBeGreaterThan(0);
        for (const w of reported) {
          expect(['DELETE', 'TRUNCATE']).toContain(w.operation);
          expect(w.sources).toEqual([]);
        }
      }
      for (const w of removed) {
        expect(w.sources).toEqual([]);
        const lineage = full.events.filter((e) => e.run?.facets?.externalQuery?.externalQueryId === w.queryId);
        for (const e of lineage) expect((e.outputs ?? []).map((o: any) => `dataset:${o.namespace}:${o.name}`)).not.toContain(w.dataset);
      }
    });

    if (spec.notDatasets)
      it('never records as a coverage gap an object that is not a dataset (temporary, unlisted, system)', async () => {
      const full = await pull(null);
      expect(full.batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
    });

    it('reports coverage for every batch: a window and the rows read', async () => {
      const full = await pull(null);
      for (const batch of full.batches) {
        expect(batch.coverage.windowEnd).toBeGreaterThanOrEqual(batch.coverage.windowStart);
        expect(batch.coverage.rowsRead).toBeGreaterThanOrEqual(0);
        expect(Array.isArray(batch.coverage.gaps)).toBe(true);
      }
      expect(full.batches.reduce((n, b) => n + b.coverage.rowsRead, 0)).toBeGreaterThan(0);
    });

    it('sends no vendor request outside ctx.schedule (the shared limiter)', async () => {
      const connector = spec.factory.create(spec.factory.configSchema.parse(fixture.config));
      const ctx = testContext({ connectorId, now: fixture.now, gated: true });
      const before = await fixture.requestCount?.();
      let yielded = 0;
      const running = (async () => {
        for await (const _batch of connector.pull(null, ctx)) yielded += 1;
      })();
      await new Promise((r) => setTimeout(r, 300));
      expect(yielded).toBe(0);
      if (before !== undefined) expect(await fixture.requestCount!()).toBe(before);
      ctx.open();
      await running;
      await connector.close?.();
      expect(ctx.scheduled).toBeGreaterThan(0);
      expect(yielded).toBeGreaterThan(0);
    });

    describe('maps vendor errors to the neutral codes', () => {
      const codes: ConnectorErrorCode[] = ['transient', 'rate-limited', 'auth-failed', 'not-found', 'cursor-invalid'];
      for (const code of codes) {
        it(`${code}`, async () => {
          const inject = fixture.failures[code];
          if (!inject) {
            // Not a signal this vendor has: nothing to inject, but the mapping must still never invent it from a plain error.
            expect(spec.factory.mapError(new Error('something unexpected')).code).toBe('transient');
            return;
          }
          await inject();
          let caught: unknown;
          try {
            await pull(null);
          } catch (err) {
            caught = err;
          }
          expect(caught).toBeDefined();
          expect(toConnectorError(caught, spec.factory.mapError).code).toBe(code);
        });
      }
    });
  });
};
