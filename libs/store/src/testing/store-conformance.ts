/**
 * The one conformance suite every LineageStore adapter passes (SQLite in libs/store/src/sqlite-lineage.store.spec.ts,
 * PostgreSQL in test/integration/store-postgres.test.ts). Each test gets a fresh, empty store.
 */
import { datasetFieldId, datasetId, jobId, type NodeId } from '@lineage-hub/model';
import type { GraphSnapshot, IngestInput, LineageStore, RunRecord } from '../lineage-store.port';
import { at, datasetEvent, input, jobEvent, runEvent } from './store-events.fixture';

export interface StoreHarness {
  store: LineageStore;
  dialect: 'sqlite' | 'postgres';
  /** Runs SQL on the same database behind the store's back (tampering, failure injection). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const ds = (name: string) => datasetId('warehouse', name);
const job = (name: string) => jobId('pipelines', name);

/** One run of job `name`: START at `start`, then a terminal event at `end`, both declaring the same datasets. */
const run = (
  name: string,
  runId: string,
  start: number,
  end: number,
  io: { inputs?: string[]; outputs?: string[] },
  terminal: 'COMPLETE' | 'FAIL' | 'ABORT' = 'COMPLETE',
) => [
  input(runEvent({ job: name, runId, type: 'START', time: start, ...io })),
  input(runEvent({ job: name, runId, type: terminal, time: end, ...io })),
];

export const edgesOf = (graph: GraphSnapshot, owner: NodeId) => graph.groups.find((g) => g.owner === owner) ?? { owner, edges: [], columnEdges: [] };

export const runStates = async (store: LineageStore, runIds: string[]) => {
  const out: Record<string, Pick<RunRecord, 'state' | 'startedAt' | 'endedAt' | 'inputs' | 'outputs'> | null> = {};
  for (const id of runIds) {
    const r = await store.getRun(id);
    out[id] = r && { state: r.state, startedAt: r.startedAt, endedAt: r.endedAt, inputs: r.inputs, outputs: r.outputs };
  }
  return out;
};

const failingEventTrigger = (dialect: 'sqlite' | 'postgres', marker: string) =>
  dialect === 'sqlite'
    ? `CREATE TRIGGER fail_events BEFORE INSERT ON events WHEN NEW.payload LIKE '%${marker}%' BEGIN SELECT RAISE(ABORT, 'injected event failure'); END;`
    : `CREATE FUNCTION fail_events_fn() RETURNS trigger AS $$ BEGIN IF NEW.payload LIKE '%${marker}%' THEN RAISE EXCEPTION 'injected event failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER fail_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_events_fn();`;

const failingEdgeTrigger = (dialect: 'sqlite' | 'postgres', target: string) =>
  dialect === 'sqlite'
    ? `CREATE TRIGGER fail_edges BEFORE INSERT ON edges WHEN NEW.to_id = '${target}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`
    : `CREATE FUNCTION fail_edges_fn() RETURNS trigger AS $$ BEGIN IF NEW.to_id = '${target}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER fail_edges BEFORE INSERT ON edges FOR EACH ROW EXECUTE FUNCTION fail_edges_fn();`;

/** Event by event forward, reversed and `shuffled`; and in batches: two of the shuffle, three in order, two reversed. */
const ordersAndSplits = (events: IngestInput[], shuffled: IngestInput[]): IngestInput[][][] => [
  events.map((e) => [e]),
  [...events].reverse().map((e) => [e]),
  shuffled.map((e) => [e]),
  [shuffled.slice(0, 3), shuffled.slice(3)],
  [events.slice(0, 2), events.slice(2, 5), events.slice(5)],
  [[...events].reverse().slice(0, 5), [...events].reverse().slice(5)],
];

export const describeStoreConformance = (name: string, makeHarness: () => Promise<StoreHarness>): void => {
  describe(`LineageStore conformance: ${name}`, () => {
    jest.setTimeout(30_000);
    let h: StoreHarness;
    let store: LineageStore;
    const extra: StoreHarness[] = [];
    const another = async () => {
      const next = await makeHarness();
      extra.push(next);
      return next.store;
    };
    /** Each way of feeding the events (`splits`: batches in order), each into a fresh store, gives the `expected` rows. */
    const expectRowsAcross = async <Rows>(splits: IngestInput[][][], rows: (s: LineageStore) => Promise<Rows>, expected: Rows) => {
      for (const batches of splits) {
        const other = await another();
        for (const batch of batches) await other.ingest(batch);
        expect(await rows(other)).toEqual(expected);
      }
    };

    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
      for (const x of extra.splice(0)) await x.close();
    });

    describe('raw events', () => {
      it('stores and reads back text with quotes, backslashes, braces, commas, NULL, empty strings and non-ASCII unchanged', async () => {
        const odd = ['say "hi"', 'C:\\path\\to', '{a,b}', 'NULL', '', 'ünïcödé ✓ 日本', "it's", 'tab\tand\nnewline'];
        const name = 'odd "table", {x}\\y';
        const event = runEvent({
          job: 'odd "job"',
          runId: 'odd-1',
          type: 'COMPLETE',
          time: at(1),
          outputs: [{ name, facets: { documentation: { _producer: 't', _schemaURL: 't', description: odd.join('|') } } }],
          jobFacets: { documentation: { _producer: 't', _schemaURL: 't', description: odd[0] } },
          runFacets: { custom: { _producer: 't', _schemaURL: 't', values: odd } },
        });
        await store.ingest([input(event)]);
        const [stored] = (await store.listEvents({ sortDirection: 'asc', limit: 1, offset: 0 })).items;
        expect(stored.event).toEqual(event);
        expect((await store.getDataset(ds(name)))?.description).toBe(odd.join('|'));
        expect((await store.getJob(job('odd "job"')))?.description).toBe(odd[0]);
        expect((await store.getRun('odd-1'))?.facets).toEqual({ custom: { _producer: 't', _schemaURL: 't', values: odd } });
        expect(await store.verifyChain()).toEqual({ ok: true, checked: 1 });
      });

      it('appends with gapless seqs and reports the same event twice as a duplicate that changes nothing', async () => {
        const a = input(runEvent({ job: 'load', runId: 'r-1', type: 'START', time: at(0), outputs: ['t1'] }));
        const b = input(runEvent({ job: 'load', runId: 'r-1', type: 'COMPLETE', time: at(1), outputs: ['t1'] }));
        const first = await store.ingest([a, b, a]);
        expect(first.outcomes).toEqual([
          { seq: 1, duplicate: false },
          { seq: 2, duplicate: false },
          { seq: 1, duplicate: true },
        ]);
        const before = { graph: await store.loadGraph(), stats: await store.stats() };
        // the same content with keys in another order is the same event
        const reverseKeys = (v: any): any =>
          Array.isArray(v) ? v.map(reverseKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) : v;
        const reordered = input(reverseKeys(b.raw));
        expect(JSON.stringify(reordered.raw)).not.toBe(JSON.stringify(b.raw));
        const again = await store.ingest([reordered, a]);
        expect(again.outcomes).toEqual([
          { seq: 2, duplicate: true },
          { seq: 1, duplicate: true },
        ]);
        expect(again.delta.groups).toEqual([]);
        expect(await store.stats()).toEqual(before.stats);
        expect(await store.loadGraph()).toEqual(before.graph);
        expect(before.stats.events).toBe(2);
      });

      it('keeps the chain gapless under concurrent ingests', async () => {
        const batches = Array.from({ length: 6 }, (_, i) => run('load', `c-${i}`, at(i), at(i + 1), { outputs: [`t${i % 2}`] }));
        const results = await Promise.all(batches.map((b) => store.ingest(b)));
        expect(results.flatMap((r) => r.outcomes.map((o) => o.seq)).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect(await store.verifyChain()).toEqual({ ok: true, checked: 12 });
        const sequential = await another();
        for (const b of batches) await sequential.ingest(b);
        const graph = await store.loadGraph();
        expect(graph).toEqual(await sequential.loadGraph());
        // c-5 (t1 only) completes after c-4 (t0) started: t0 closes at c-5's end; t1 stays open
        expect(edgesOf(graph, job('load')).edges.map((e) => [e.to, e.validFrom, e.validTo])).toEqual([
          [ds('t0'), at(0), at(6)],
          [ds('t1'), at(1), null],
        ]);
      });

      it('verifies the hash chain and detects a payload changed behind its back', async () => {
        await store.ingest(run('load', 'r-1', at(0), at(1), { outputs: ['t1'] }));
        await store.ingest([input(runEvent({ job: 'load', runId: 'r-2', type: 'START', time: at(5), outputs: ['t1'] }))]);
        expect(await store.verifyChain()).toEqual({ ok: true, checked: 3 });
        await h.exec(`UPDATE events SET payload = replace(payload, '"t1"', '"t9"') WHERE seq = 2`);
        const broken = await store.verifyChain();
        expect(broken.ok).toBe(false);
        expect(broken.brokenAt).toBe(2);
        expect(broken.reason).toMatch(/payload/);
        // a broken chain is not extended: read-only (reads still answer) until an operator acts
        expect(store.brokenChain()).toMatchObject({ ok: false, brokenAt: 2 });
        const before = await store.stats();
        await expect(store.ingest([input(runEvent({ job: 'load', runId: 'r-3', type: 'START', time: at(9), outputs: ['t1'] }))])).rejects.toMatchObject({
          code: 'unavailable',
          field: 'chain',
        });
        expect(await store.stats()).toEqual(before);
        expect((await store.getRun('r-2'))?.runId).toBe('r-2');
      });

      it('detects a removed event, in the middle or at the end', async () => {
        await store.ingest([...run('load', 'r-1', at(0), at(1), { outputs: ['t1'] }), ...run('load', 'r-2', at(2), at(3), { outputs: ['t1'] })]);
        expect((await store.verifyChain()).ok).toBe(true);
        await h.exec('DELETE FROM events WHERE seq = 4');
        expect(await store.verifyChain()).toMatchObject({ ok: false, brokenAt: 4 });
        await h.exec('DELETE FROM events WHERE seq = 2');
        expect(await store.verifyChain()).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringMatching(/missing/) });
      });

      it('lists events by event time with paging, both directions', async () => {
        await store.ingest([...run('load', 'r-1', at(0), at(10), { outputs: ['t1'] }), ...run('load', 'r-2', at(20), at(30), { outputs: ['t1'] })]);
        const all = await store.listEvents({ sortDirection: 'asc', limit: 10, offset: 0 });
        expect(all.total).toBe(4);
        expect(all.items.map((e) => e.eventTime)).toEqual([at(0), at(10), at(20), at(30)].map((t) => new Date(t).toISOString()));
        expect(all.items[0].event.run.runId).toBe('r-1');
        const window = await store.listEvents({ after: at(10), before: at(30), sortDirection: 'desc', limit: 1, offset: 0 });
        expect(window.total).toBe(2);
        expect(window.items.map((e) => e.event.eventTime)).toEqual([new Date(at(20)).toISOString()]);
      });
    });

    describe('run state', () => {
      it('follows event times and terminal events, whatever the arrival order', async () => {
        const events = [
          input(runEvent({ job: 'j', runId: 'r', type: 'START', time: at(0), inputs: ['a'] })),
          input(runEvent({ job: 'j', runId: 'r', type: 'RUNNING', time: at(5), outputs: ['b'] })),
          input(runEvent({ job: 'j', runId: 'r', type: 'COMPLETE', time: at(9), outputs: ['c'] })),
        ];
        const orders = [
          [0, 1, 2],
          [2, 1, 0],
          [1, 2, 0],
        ];
        for (const order of orders) {
          const s = order === orders[0] ? store : await another();
          for (const i of order) await s.ingest([events[i]]);
          expect(await s.getRun('r')).toMatchObject({
            state: 'COMPLETE',
            startedAt: at(0),
            endedAt: at(9),
            job: job('j'),
            inputs: [ds('a')],
            outputs: [ds('b'), ds('c')],
          });
        }
      });

      it('the earliest terminal event by event time ends the run; at the same time FAIL beats COMPLETE; START after the end changes nothing', async () => {
        await store.ingest([input(runEvent({ job: 'j', runId: 'r1', type: 'FAIL', time: at(9) }))]);
        await store.ingest([input(runEvent({ job: 'j', runId: 'r1', type: 'COMPLETE', time: at(5) }))]);
        await store.ingest([input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(1) }))]);
        expect(await store.getRun('r1')).toMatchObject({ state: 'COMPLETE', startedAt: at(1), endedAt: at(5) });

        // a FAIL between START and COMPLETE: the run failed, whatever order the three arrive in
        const three = ['START', 'FAIL', 'COMPLETE'] as const;
        for (const order of [[0, 1, 2], [2, 1, 0], [2, 0, 1]]) {
          const s = order[0] === 0 ? store : await another();
          for (const i of order) await s.ingest([input(runEvent({ job: 'j', runId: 'r-fail', type: three[i], time: at(10 + i * 5) }))]);
          expect(await s.getRun('r-fail')).toMatchObject({ state: 'FAIL', startedAt: at(10), endedAt: at(15) });
        }

        await store.ingest([input(runEvent({ job: 'j', runId: 'r2', type: 'COMPLETE', time: at(7) }))]);
        await store.ingest([input(runEvent({ job: 'j', runId: 'r2', type: 'FAIL', time: at(7) }))]);
        await store.ingest([input(runEvent({ job: 'j', runId: 'r2', type: 'RUNNING', time: at(8) }))]);
        expect(await store.getRun('r2')).toMatchObject({ state: 'FAIL', endedAt: at(7) });

        await store.ingest([input(runEvent({ job: 'j', runId: 'r3', type: 'START', time: at(1) }))]);
        await store.ingest([input(runEvent({ job: 'j', runId: 'r3', type: 'RUNNING', time: at(2) }))]);
        expect(await store.getRun('r3')).toMatchObject({ state: 'RUNNING', endedAt: null });
      });
    });

    describe('edge validity', () => {
      it('opens at the first declaring run, closes at the end of the first later completed run without it, reopens', async () => {
        await store.ingest(run('etl', 'r1', at(0), at(10), { inputs: ['src'], outputs: ['old'] }));
        await store.ingest(run('etl', 'r2', at(20), at(30), { inputs: ['src'], outputs: ['new'] }));
        // a failed run and a still-running run without 'new' close nothing
        await store.ingest(run('etl', 'r3', at(40), at(45), { inputs: ['src'] }, 'FAIL'));
        await store.ingest([input(runEvent({ job: 'etl', runId: 'r4', type: 'START', time: at(50), inputs: ['src'] }))]);
        let edges = edgesOf(await store.loadGraph(), job('etl')).edges;
        expect(edges).toEqual([
          { from: ds('src'), to: job('etl'), kind: 'reads', provenance: 'declared', validFrom: at(0), validTo: null },
          { from: job('etl'), to: ds('new'), kind: 'writes', provenance: 'declared', validFrom: at(20), validTo: null },
          { from: job('etl'), to: ds('old'), kind: 'writes', provenance: 'declared', validFrom: at(0), validTo: at(30) },
        ]);
        // r4 completes without 'new': closed at r4's end; then r5 writes 'old' again: a second interval
        await store.ingest([input(runEvent({ job: 'etl', runId: 'r4', type: 'COMPLETE', time: at(55), inputs: ['src'] }))]);
        const last = await store.ingest(run('etl', 'r5', at(60), at(70), { inputs: ['src'], outputs: ['old'] }));
        edges = edgesOf(await store.loadGraph(), job('etl')).edges;
        expect(edges.filter((e) => e.to !== job('etl')).map((e) => [e.to, e.validFrom, e.validTo])).toEqual([
          [ds('new'), at(20), at(55)],
          [ds('old'), at(0), at(30)],
          [ds('old'), at(60), null],
        ]);
        // the delta carries the job's complete edge set, the same as loadGraph
        expect(last.delta.groups).toEqual([edgesOf(await store.loadGraph(), job('etl'))]);
        expect((await store.getJob(job('etl')))?.outputs).toEqual([ds('old')]);
      });

      it('an overlapping later run that still declares the edge keeps it open', async () => {
        await store.ingest([
          ...run('etl', 'a', at(0), at(10), { outputs: ['t'] }),
          ...run('etl', 'b', at(5), at(12), {}),
          ...run('etl', 'c', at(8), at(20), { outputs: ['t'] }),
        ]);
        // b started after a (the latest declaring run when it started) but c declared it again before b ended
        expect(edgesOf(await store.loadGraph(), job('etl')).edges).toEqual([
          { from: job('etl'), to: ds('t'), kind: 'writes', provenance: 'declared', validFrom: at(0), validTo: null },
        ]);
      });

      it('a long history ingested event by event (resuming from checkpoints) equals the reverse order and one batch', async () => {
        const events: IngestInput[] = [];
        const tables = ['a', 'b', 'c', 'd'];
        for (let i = 0; i < 40; i += 1) {
          const outputs = tables.filter((_, k) => (i * 7 + k * 3) % 5 < 2);
          const inputs = tables.filter((_, k) => (i + k) % 3 === 0);
          const terminal = i % 5 === 3 ? 'FAIL' : 'COMPLETE';
          events.push(input(runEvent({ job: 'long', runId: `h-${i}`, type: 'START', time: at(i * 10), inputs })));
          if (i % 7 !== 6) events.push(input(runEvent({ job: 'long', runId: `h-${i}`, type: terminal, time: at(i * 10 + 4 + (i % 3) * 5), inputs, outputs })));
        }
        for (const e of events) await store.ingest([e]);
        const forward = await store.loadGraph();
        const reverse = await another();
        for (const e of [...events].reverse()) await reverse.ingest([e]);
        expect(await reverse.loadGraph()).toEqual(forward);
        const batched = await another();
        await batched.ingest(events);
        expect(await batched.loadGraph()).toEqual(forward);
        const edges = edgesOf(forward, job('long')).edges;
        expect(edges.some((e) => e.validTo !== null)).toBe(true);
        expect(edges.filter((e) => e.kind === 'writes').length).toBeGreaterThan(4);
      });

    });

    describe('datasets', () => {
      it('counts run events by type per time bucket, and jobs, datasets and sources created by each bucket end', async () => {
        for (const e of [
          input(runEvent({ job: 'load', runId: 'c1', type: 'START', time: at(0), outputs: [{ name: 'a' }] })),
          input(runEvent({ job: 'load', runId: 'c1', type: 'COMPLETE', time: at(5), outputs: [{ name: 'a' }] })),
          input(runEvent({ job: 'other', runId: 'c2', type: 'FAIL', time: at(12), inputs: [{ name: 'a' }], outputs: [{ name: 'b' }] })),
        ])
          await store.ingest([e]);
        const boundaries = [at(0), at(10), at(20)];
        expect(await store.eventTypeCounts(boundaries)).toEqual([
          { start: 1, complete: 1, fail: 0, abort: 0 },
          { start: 0, complete: 0, fail: 1, abort: 0 },
        ]);
        expect(await store.createdCounts('jobs', boundaries)).toEqual([1, 2]);
        expect(await store.createdCounts('datasets', boundaries)).toEqual([1, 2]);
        expect(await store.createdCounts('sources', boundaries)).toEqual([1, 1]);
      });

      it('counts datasets and sources only of the dataset namespaces a filter accepts (a source from its first accepted dataset); jobs ignore it', async () => {
        const src = (name: string) => ({ dataSource: { _producer: 'test', _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json', name, uri: name } });
        for (const e of [
          input(runEvent({ job: 'load', runId: 'd1', type: 'COMPLETE', time: at(0), outputs: [{ name: 'a' }, { name: 'd', facets: src('shared') }] })),
          input(runEvent({ job: 'read', runId: 'd2', type: 'COMPLETE', time: at(12), inputs: [{ name: 'a' }], outputs: [{ ns: 'lake', name: 'b' }, { ns: 'lake', name: 'c', facets: src('shared') }] })),
        ])
          await store.ingest([e]);
        const boundaries = [at(0), at(10), at(20)];
        expect(await store.createdCounts('datasets', boundaries)).toEqual([2, 4]);
        expect(await store.createdCounts('sources', boundaries)).toEqual([2, 3]);
        const notLake = { datasetNamespace: (ns: string) => ns !== 'lake' };
        expect(await store.createdCounts('datasets', boundaries, notLake)).toEqual([2, 2]);
        expect(await store.createdCounts('sources', boundaries, notLake)).toEqual([2, 2]);
        const onlyLake = { datasetNamespace: (ns: string) => ns === 'lake' };
        expect(await store.createdCounts('datasets', boundaries, onlyLake)).toEqual([0, 2]);
        expect(await store.createdCounts('sources', boundaries, onlyLake)).toEqual([0, 2]);
        expect(await store.createdCounts('jobs', boundaries, onlyLake)).toEqual([1, 2]);
      });

      it('keeps a schema version only when the schema changes, and shows one version per writing run, the same in any order', async () => {
        const t = (fields: Array<[string, string]>) => ({ name: 'orders', fields });
        const s1: Array<[string, string]> = [['id', 'INT'], ['amount', 'DECIMAL']];
        const s2: Array<[string, string]> = [...s1, ['currency', 'TEXT']];
        const events = [
          input(runEvent({ job: 'load', runId: 'r1', type: 'START', time: at(0) })),
          input(runEvent({ job: 'load', runId: 'r1', type: 'COMPLETE', time: at(1), outputs: [t(s1)] })),
          input(runEvent({ job: 'load', runId: 'r2', type: 'COMPLETE', time: at(10), outputs: [t(s1)] })),
          input(runEvent({ job: 'load', runId: 'r3', type: 'COMPLETE', time: at(20), outputs: [t(s2)] })),
          input(runEvent({ job: 'report', runId: 'r4', type: 'COMPLETE', time: at(30), inputs: [t(s2)] })),
        ];
        for (const e of events) await store.ingest([e]);
        const versions = await store.listDatasetVersions(ds('orders'), { limit: 10, offset: 0 });
        // one version per run that wrote it (r4 only read it), each with the schema it wrote: derived, not stored per run
        expect(versions.total).toBe(3);
        expect(versions.items.map((v) => [v.createdAt, v.runId, v.fields.map((f) => f.name)])).toEqual([
          [at(20), 'r3', ['id', 'amount', 'currency']],
          [at(10), 'r2', ['id', 'amount']],
          [at(1), 'r1', ['id', 'amount']],
        ]);
        expect(new Set(versions.items.map((v) => v.version)).size).toBe(3);
        expect((await store.listDatasetVersions(ds('orders'), { limit: 1, offset: 1 })).items.map((v) => v.runId)).toEqual(['r2']);
        expect((await store.currentVersions([ds('orders')])).get(ds('orders'))).toBe(versions.items[0].version);
        // r4 read the version r3 wrote; a run before any write read none
        expect(await store.datasetVersionsAt([{ dataset: ds('orders'), at: at(30), exceptRun: 'r4' }, { dataset: ds('orders'), at: at(15) }])).toEqual([
          versions.items[0].version,
          versions.items[1].version,
        ]);
        // the schema versions: two distinct schemas
        const schemaRows = new Set(versions.items.map((v) => v.fields.map((f) => f.name).join(',')));
        expect(schemaRows.size).toBe(2);
        const dataset = await store.getDataset(ds('orders'));
        expect(dataset).toMatchObject({ namespace: 'warehouse', name: 'orders', createdAt: at(1), updatedAt: at(20), deleted: false });
        // updatedAt: the last write (r3 at 20), not the later read by r4
        expect(dataset?.fields).toEqual([
          { name: 'id', type: 'INT', description: null, tags: [] },
          { name: 'amount', type: 'DECIMAL', description: null, tags: [] },
          { name: 'currency', type: 'TEXT', description: null, tags: [] },
        ]);

        const reverse = await another();
        for (const e of [...events].reverse()) await reverse.ingest([e]);
        expect(await reverse.listDatasetVersions(ds('orders'), { limit: 10, offset: 0 })).toEqual(versions);
        expect((await reverse.getDataset(ds('orders')))?.currentVersion).toBe(dataset?.currentVersion);
      });

      it("reads a dataset's fields from its newest schema version and each facet from its newest sighting, when those are different events", async () => {
        const doc = { documentation: { _producer: 't', _schemaURL: 't', description: 'later' } };
        // one batch: the schema at 1, a newer event at 10 without one; then an older event (5) brings a newer schema
        await store.ingest([input(datasetEvent(at(1), { name: 'mixed', fields: [['id', 'INT']] })), input(datasetEvent(at(10), { name: 'mixed', facets: doc }))]);
        await store.ingest([input(datasetEvent(at(5), { name: 'mixed', fields: [['id', 'INT'], ['amount', 'DECIMAL']] }))]);
        const dataset = await store.getDataset(ds('mixed'));
        expect(dataset?.fields).toEqual([
          { name: 'id', type: 'INT', description: null, tags: [] },
          { name: 'amount', type: 'DECIMAL', description: null, tags: [] },
        ]);
        // the schema facet seen at 5 is newer than the one seen at 1 (the event at 10 has none)
        expect((dataset?.facets.schema as { fields: unknown[] }).fields).toEqual([{ name: 'id', type: 'INT' }, { name: 'amount', type: 'DECIMAL' }]);
        expect(dataset?.facets.documentation).toEqual(doc.documentation);
        const versions = await store.listDatasetVersions(ds('mixed'), { limit: 10, offset: 0 });
        expect(versions.items.map((v) => [v.createdAt, v.fields.map((f) => f.name)])).toEqual([
          [at(5), ['id', 'amount']],
          [at(1), ['id']],
        ]);
        expect((await store.getDatasets([ds('mixed')]))[0].fields).toEqual(dataset?.fields);
      });

      it('merges dataset and job facets per facet across batches: newer values win, older events only add facets, in any order', async () => {
        const doc = (description: string) => ({ documentation: { _producer: 't', _schemaURL: 't', description } });
        const owner = { ownership: { _producer: 't', _schemaURL: 't', owners: [{ name: 'team-a' }] } };
        const events = [
          input(runEvent({ job: 'load', runId: 'r1', type: 'COMPLETE', time: at(1), outputs: [{ name: 'orders', fields: [['id', 'INT']], facets: doc('v1') }], jobFacets: doc('job v1') })),
          // the same table read elsewhere, with fewer facets: nothing to merge in
          input(runEvent({ job: 'report', runId: 'r2', type: 'COMPLETE', time: at(5), inputs: [{ name: 'orders', fields: [['id', 'INT']] }] })),
          input(runEvent({ job: 'load', runId: 'r3', type: 'COMPLETE', time: at(6), outputs: [{ name: 'orders', fields: [['id', 'INT']], facets: doc('v2') }], jobFacets: doc('job v2') })),
          // older: its description loses, its extra facet is added
          input(runEvent({ job: 'load', runId: 'r0', type: 'COMPLETE', time: at(0), outputs: [{ name: 'orders', fields: [['id', 'INT']], facets: { ...doc('v0'), ...owner } }], jobFacets: doc('job v0') })),
        ];
        const read = async (s: LineageStore) => {
          const dataset = await s.getDataset(ds('orders'));
          const j = await s.getJob(job('load'));
          return { description: dataset?.description, facets: dataset?.facets, jobDescription: j?.description, jobFacets: j?.facets };
        };
        for (const e of events) await store.ingest([e]);
        const result = await read(store);
        expect(result).toMatchObject({ description: 'v2', jobDescription: 'job v2', facets: { documentation: doc('v2').documentation, ownership: owner.ownership } });
        expect(Object.keys(result.facets ?? {}).sort()).toEqual(['documentation', 'ownership', 'schema']);
        for (const order of [[...events].reverse(), [events[3], events[1], events[0], events[2]], [events[1], events[2], events[3], events[0]]]) {
          const other = await another();
          for (const e of order) await other.ingest([e]);
          const got = await read(other);
          expect({ ...got, facets: Object.fromEntries(Object.entries(got.facets ?? {}).sort()) }).toEqual({
            ...result,
            facets: Object.fromEntries(Object.entries(result.facets ?? {}).sort()),
          });
        }
      });

      it("takes a schema version's fields, facets and run from one sighting by one rule, whatever the order and batches", async () => {
        // one schema version (names and types) sighted with other descriptions and facets: as an input (no run), as
        // outputs of runs at the same time, twice in one run at another time; and a later second version
        const schema = (description: string, extra: Array<{ name: string; type: string }> = []) => ({
          schema: { _producer: 't', _schemaURL: 't', fields: [{ name: 'id', type: 'INT', description }, ...extra] },
        });
        const doc = (description: string) => ({ documentation: { _producer: 't', _schemaURL: 't', description } });
        const orders = (description: string, facets: Record<string, unknown> = {}) => ({ name: 'orders', facets: { ...schema(description), ...facets } });
        const events = [
          input(runEvent({ job: 'load', runId: 'v5', type: 'COMPLETE', time: at(5), outputs: [orders('at five', doc('five'))] })),
          input(runEvent({ job: 'read', runId: 'v1', type: 'START', time: at(3), inputs: [orders('read at three', doc('read'))] })),
          input(runEvent({ job: 'load', runId: 'v3', type: 'COMPLETE', time: at(3), outputs: [orders('by v3', doc('v3'))] })),
          input(runEvent({ job: 'load', runId: 'v2', type: 'COMPLETE', time: at(3), outputs: [orders('by v2')] })),
          input(runEvent({ job: 'copy', runId: 'v9', type: 'START', time: at(9), outputs: [{ name: 'copy', facets: schema('start') }] })),
          input(runEvent({ job: 'copy', runId: 'v9', type: 'COMPLETE', time: at(9), outputs: [{ name: 'copy', facets: { ...schema('complete'), ...doc('c') } }] })),
          input(runEvent({ job: 'load', runId: 'v7', type: 'COMPLETE', time: at(7), outputs: [{ name: 'orders', facets: schema('seven', [{ name: 'n', type: 'INT' }]) }] })),
          input(runEvent({ job: 'read', runId: 'v8', type: 'COMPLETE', time: at(8), inputs: [orders('read at eight')] })),
        ];
        // the versions' rows, and each dataset's current version and fields (its facets merge per facet by time, so
        // events at one time with other values of one facet can still leave another facet value)
        const rows = async (s: LineageStore) => ({
          versions: (await s.derivedRows('dataset_versions')).map((r) => JSON.stringify(r)).sort(),
          datasets: (await s.derivedRows('datasets')).map((r) => JSON.stringify([r.id, r.current_version, r.fields])).sort(),
        });
        await store.ingest(events);
        const expected = await rows(store);
        const versions = (await store.derivedRows('dataset_versions')).filter((r) => r.dataset_id === ds('orders')).sort((a, b) => Number(a.created_at) - Number(b.created_at));
        // at 3 a run's sighting wins over the read, the smaller run id over the larger; in one run at one time the
        // smaller fields; the fields always with the facets of the same sighting
        expect(versions.map((v) => [Number(v.created_at), v.run_id, JSON.parse(v.fields ?? '[]')[0].description, Object.keys(JSON.parse(v.facets ?? '{}')).sort()])).toEqual([
          [at(3), 'v2', 'by v2', ['schema']],
          [at(7), 'v7', 'seven', ['schema']],
        ]);
        const copy = (await store.derivedRows('dataset_versions')).filter((r) => r.dataset_id === ds('copy'));
        expect(copy.map((v) => [v.run_id, JSON.parse(v.fields ?? '[]')[0].description])).toEqual([['v9', 'complete']]);
        const shuffled = [events[6], events[2], events[0], events[5], events[3], events[7], events[1], events[4]];
        const splits: IngestInput[][][] = [
          events.map((e) => [e]),
          [...events].reverse().map((e) => [e]),
          shuffled.map((e) => [e]),
          [shuffled.slice(0, 3), shuffled.slice(3)],
          [[...events].reverse().slice(0, 5), [...events].reverse().slice(5)],
        ];
        await expectRowsAcross(splits, rows, expected);
      });

      it("decides each of a dataset's facets by one rule, whatever the order and batches: the later sighting, then the larger value", async () => {
        const facet = (value: Record<string, unknown>) => ({ _producer: 't', _schemaURL: 't', ...value });
        const doc = (description: string) => ({ documentation: facet({ description }) });
        const quality = (v: unknown) => ({ quality: facet({ v }) });
        const source = (name: string) => ({ dataSource: facet({ name, uri: `jdbc://${name}` }) });
        const orders = (facets: Record<string, unknown>) => ({ name: 'orders', facets });
        const events = [
          input(runEvent({ job: 'load', runId: 'f1', type: 'COMPLETE', time: at(1), outputs: [orders({ ...doc('one'), ...quality(1) })] })),
          // the same values seen later (as an input): they are set at 3 now
          input(runEvent({ job: 'read', runId: 'f3', type: 'START', time: at(3), inputs: [orders({ ...doc('one'), ...quality(1) })] })),
          // other values at 2: older than the documentation seen at 3, but the only dataSource so far
          input(runEvent({ job: 'load', runId: 'f2', type: 'COMPLETE', time: at(2), outputs: [orders({ ...doc('two'), ...source('db2') })] })),
          input(runEvent({ job: 'read', runId: 'f21', type: 'START', time: at(2), inputs: [orders(source('db1'))] })),
          // one facet, two values at one time: the larger canonical value wins
          input(runEvent({ job: 'load', runId: 'f4', type: 'COMPLETE', time: at(4), outputs: [orders(quality('q'))] })),
          input(runEvent({ job: 'read', runId: 'f41', type: 'START', time: at(4), inputs: [orders(quality('p'))] })),
          input(runEvent({ job: 'load', runId: 'f5', type: 'COMPLETE', time: at(5), outputs: [{ name: 'other', facets: doc('five') }] })),
          input(runEvent({ job: 'read', runId: 'f51', type: 'START', time: at(5), inputs: [{ name: 'other', facets: doc('fivE') }] })),
        ];
        const rows = async (s: LineageStore) => (await s.derivedRows('datasets')).map((r) => JSON.stringify(r)).sort();
        await store.ingest(events);
        const expected = await rows(store);
        const [row] = (await store.derivedRows('datasets')).filter((r) => r.id === ds('orders'));
        const facets = JSON.parse(row.facets ?? '{}');
        expect([row.description, row.source_name, facets.documentation.description, facets.quality.v, facets.dataSource.name]).toEqual(['one', 'db2', 'one', 'q', 'db2']);
        expect(Object.keys(facets)).toEqual(['dataSource', 'documentation', 'quality']);
        const [other] = (await store.derivedRows('datasets')).filter((r) => r.id === ds('other'));
        expect(other.description).toBe('five');
        const shuffled = [events[5], events[2], events[7], events[0], events[4], events[1], events[6], events[3]];
        const splits = ordersAndSplits(events, shuffled);
        await expectRowsAcross(splits, rows, expected);
      });

      it("decides each of a job's facets by the dataset rule, whatever the order and batches; its type, description and location go with them", async () => {
        const facet = (value: Record<string, unknown>) => ({ _producer: 't', _schemaURL: 't', ...value });
        const doc = (description: string) => ({ documentation: facet({ description }) });
        const quality = (v: unknown) => ({ quality: facet({ v }) });
        const code = (url: string) => ({ sourceCodeLocation: facet({ type: 'git', url }) });
        const streaming = { jobType: facet({ processingType: 'STREAMING', integration: 'SPARK', jobType: 'JOB' }) };
        const etl = (runId: string, time: number, type: 'START' | 'COMPLETE', jobFacets: Record<string, unknown>) =>
          input(runEvent({ job: 'etl', runId, type, time: at(time), jobFacets }));
        const events = [
          etl('j1', 1, 'COMPLETE', { ...doc('one'), ...quality(1), ...code('git://one') }),
          // the same values seen later: they are set at 3 now
          etl('j3', 3, 'START', { ...doc('one'), ...quality(1) }),
          // other values at 2: older than the documentation seen at 3, but the newest location and the only jobType
          etl('j2', 2, 'COMPLETE', { ...doc('two'), ...streaming, ...code('git://two') }),
          // one facet, two values at one time: the larger canonical value wins
          etl('j4', 4, 'COMPLETE', quality('q')),
          etl('j41', 4, 'START', quality('p')),
          // a later event without facets leaves them (and the type they give) as they are
          etl('j5', 5, 'COMPLETE', {}),
          input(runEvent({ job: 'other', runId: 'o1', type: 'COMPLETE', time: at(5), jobFacets: doc('five') })),
          input(runEvent({ job: 'other', runId: 'o2', type: 'START', time: at(5), jobFacets: doc('fivE') })),
        ];
        const rows = async (s: LineageStore) => (await s.derivedRows('jobs')).map((r) => JSON.stringify(r)).sort();
        await store.ingest(events);
        const expected = await rows(store);
        const [row] = (await store.derivedRows('jobs')).filter((r) => r.id === job('etl'));
        const facets = JSON.parse(row.facets ?? '{}');
        expect([row.type, row.description, row.location, facets.quality.v]).toEqual(['STREAMING', 'one', 'git://two', 'q']);
        expect(Object.keys(facets)).toEqual(['documentation', 'jobType', 'quality', 'sourceCodeLocation']);
        const [other] = (await store.derivedRows('jobs')).filter((r) => r.id === job('other'));
        expect(other.description).toBe('five');
        const shuffled = [events[5], events[2], events[7], events[0], events[4], events[1], events[6], events[3]];
        const splits = ordersAndSplits(events, shuffled);
        await expectRowsAcross(splits, rows, expected);
      });

      it('turns symlinks into aliases of the canonical dataset, which reads accept', async () => {
        const symlinks = { _producer: 't', _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json', identifiers: [{ namespace: 'hive://metastore:9083', name: 'sales.orders', type: 'TABLE' }] };
        await store.ingest([input(runEvent({ job: 'load', runId: 's1', type: 'COMPLETE', time: at(1), outputs: [{ ns: 's3://lake', name: 'warehouse/sales/orders', fields: [['id', 'bigint']], facets: { symlinks } }] }))]);
        const canonical = datasetId('s3://lake', 'warehouse/sales/orders');
        const alias = datasetId('hive://metastore:9083', 'sales.orders');
        expect((await store.loadGraph()).aliases).toContainEqual({ alias, canonical });
        const viaAlias = await store.getDataset(alias);
        expect(viaAlias?.id).toBe(canonical);
        expect(viaAlias?.aliases).toEqual([alias]);
        expect(viaAlias?.fields.map((f) => [f.name, f.type])).toEqual([['id', 'bigint']]);
        // asked by alias and by canonical id at once: the canonical record once, in the order first asked
        const both = await store.getDatasets([datasetId('s3://lake', 'none'), alias, canonical]);
        expect(both.map((d) => [d.id, d.aliases])).toEqual([[canonical, [alias]]]);
      });

      it('RENAME makes the old name an alias of the new; DROP marks the dataset deleted and closes its edges then', async () => {
        const events = [
          ...run('etl', 'r1', at(0), at(10), { inputs: ['raw'], outputs: ['stage'] }),
          input(
            datasetEvent(at(15), {
              name: 'stage_v2',
              facets: { lifecycleStateChange: { _producer: 't', _schemaURL: 't', lifecycleStateChange: 'RENAME', previousIdentifier: { namespace: 'warehouse', name: 'stage' } } },
            }),
          ),
          input(datasetEvent(at(20), { name: 'raw', facets: { lifecycleStateChange: { _producer: 't', _schemaURL: 't', lifecycleStateChange: 'DROP' } } })),
          input(runEvent({ job: 'other', runId: 'r2', type: 'COMPLETE', time: at(25), inputs: ['raw'] })),
        ];
        for (const e of events) await store.ingest([e]);
        const graph = await store.loadGraph();
        expect(graph.aliases).toEqual([{ alias: ds('stage'), canonical: ds('stage_v2') }]);
        // the old name (whose row stays) reads as the renamed dataset
        expect((await store.getDatasets([ds('stage')])).map((d) => [d.id, d.aliases])).toEqual([[ds('stage_v2'), [ds('stage')]]]);
        expect(graph.lifecycle).toEqual([
          { dataset: ds('raw'), state: 'DROP', at: at(20) },
          { dataset: ds('stage'), state: 'RENAME', renamedTo: ds('stage_v2'), at: at(15) },
        ]);
        expect(edgesOf(graph, job('etl')).edges.map((e) => [e.from, e.to, e.validFrom, e.validTo])).toEqual([
          [ds('raw'), job('etl'), at(0), at(20)],
          [job('etl'), ds('stage'), at(0), null],
        ]);
        // a run after the drop reads the re-created table: open again
        expect(edgesOf(graph, job('other')).edges.map((e) => [e.from, e.validFrom, e.validTo])).toEqual([[ds('raw'), at(25), null]]);
        expect(await store.getDataset(ds('raw'))).toMatchObject({ deleted: true, lifecycleState: 'DROP' });
        expect((await store.getDataset(ds('stage')))?.id).toBe(ds('stage_v2'));

        const reverse = await another();
        for (const e of [...events].reverse()) await reverse.ingest([e]);
        expect(await reverse.loadGraph()).toEqual(graph);
      });
    });

    describe('column lineage', () => {
      it('keeps transformations (incl. masking), dataset-level dependencies and the deprecated transformationType', async () => {
        const columnLineage = {
          _producer: 't',
          _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
          fields: {
            email_hash: {
              inputFields: [
                { namespace: 'warehouse', name: 'users', field: 'email', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'sha256(email)', masking: true }] },
              ],
            },
            id: { inputFields: [{ namespace: 'warehouse', name: 'users', field: 'id', transformations: [] }], transformationType: 'IDENTITY', transformationDescription: 'identical' },
            ssn: { inputFields: [{ namespace: 'warehouse', name: 'users', field: 'ssn' }], transformationType: 'MASKED' },
          },
          dataset: [{ namespace: 'warehouse', name: 'users', field: 'country', transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
        };
        const result = await store.ingest([
          input(runEvent({ job: 'mask', runId: 'm1', type: 'COMPLETE', time: at(5), inputs: ['users'], outputs: [{ name: 'users_masked', facets: { columnLineage } }] })),
        ]);
        const columns = edgesOf(await store.loadGraph(), job('mask')).columnEdges;
        const f = (table: string, field: string) => datasetFieldId('warehouse', table, field);
        const edge = (from: NodeId, to: NodeId, transformations: object[]) => ({ from, to, job: job('mask'), transformations, provenance: 'declared', validFrom: at(5), validTo: null });
        const filter = [{ type: 'INDIRECT', subtype: 'FILTER' }];
        // the dataset-wide dependency (users.country filters every row) reaches every field of the target
        expect(columns).toEqual([
          edge(f('users', 'country'), f('users_masked', 'email_hash'), filter),
          edge(f('users', 'country'), f('users_masked', 'id'), filter),
          edge(f('users', 'country'), f('users_masked', 'ssn'), filter),
          edge(f('users', 'email'), f('users_masked', 'email_hash'), [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'sha256(email)', masking: true }]),
          edge(f('users', 'id'), f('users_masked', 'id'), [{ type: 'DIRECT', subtype: 'IDENTITY', description: 'identical', masking: false }]),
          edge(f('users', 'ssn'), f('users_masked', 'ssn'), [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }]),
        ]);
        expect(columns.every((c) => c.to.startsWith('datasetField:'))).toBe(true);
        expect(result.delta.groups[0].columnEdges).toEqual(columns);
        // a later completed run without the ssn column closes that column edge only
        const without = { ...columnLineage, fields: { email_hash: columnLineage.fields.email_hash, id: columnLineage.fields.id }, dataset: columnLineage.dataset };
        await store.ingest([input(runEvent({ job: 'mask', runId: 'm2', type: 'COMPLETE', time: at(9), inputs: ['users'], outputs: [{ name: 'users_masked', facets: { columnLineage: without } }] }))]);
        const after = edgesOf(await store.loadGraph(), job('mask')).columnEdges;
        expect(after.filter((c) => c.validTo !== null).map((c) => [c.from, c.to, c.validTo])).toEqual([
          [f('users', 'country'), f('users_masked', 'ssn'), at(9)],
          [f('users', 'ssn'), f('users_masked', 'ssn'), at(9)],
        ]);
      });

      it('reads the lineage facet (dataset inputs and fields, job entries) ', async () => {
        const lineage = {
          _producer: 't',
          _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/LineageFacet.json',
          inputs: [{ namespace: 'warehouse', name: 'events', type: 'DATASET' }],
          fields: { total: { inputs: [{ namespace: 'warehouse', name: 'events', type: 'DATASET', field: 'amount', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', masking: false }] }] } },
        };
        await store.ingest([input(datasetEvent(at(3), { name: 'daily', facets: { lineage } }))]);
        const jobLineage = {
          _producer: 't',
          _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/LineageFacet.json',
          entries: [{ namespace: 'warehouse', name: 'summary', type: 'DATASET', inputs: [{ namespace: 'warehouse', name: 'daily', type: 'DATASET' }] }],
        };
        await store.ingest([input({ ...jobEvent(at(4), 'summarise', [], []), job: { namespace: 'pipelines', name: 'summarise', facets: { lineage: jobLineage } } })]);
        const graph = await store.loadGraph();
        expect(edgesOf(graph, ds('daily')).columnEdges.map((c) => [c.from, c.to, c.job, c.transformations])).toEqual([
          [ds('events'), datasetFieldId('warehouse', 'daily', 'total'), null, []],
          [datasetFieldId('warehouse', 'events', 'amount'), datasetFieldId('warehouse', 'daily', 'total'), null, [{ type: 'DIRECT', subtype: 'AGGREGATION', masking: false }]],
        ]);
        expect(edgesOf(graph, job('summarise')).edges.map((e) => [e.kind, e.from, e.to])).toEqual([
          ['reads', ds('daily'), job('summarise')],
          ['writes', job('summarise'), ds('summary')],
        ]);
      });

      it('carries the provenance of the ingest input onto the edges', async () => {
        await store.ingest([input(runEvent({ job: 'seen', runId: 'o1', type: 'COMPLETE', time: at(1), inputs: ['a'], outputs: ['b'] }), 'observed')]);
        expect(edgesOf(await store.loadGraph(), job('seen')).edges.map((e) => e.provenance)).toEqual(['observed', 'observed']);
      });
    });

    describe('atomic batches', () => {
      it('a batch where one insert fails writes nothing', async () => {
        await store.ingest(run('etl', 'r1', at(0), at(1), { inputs: ['a'], outputs: ['b'] }));
        const before = { stats: await store.stats(), graph: await store.loadGraph(), namespaces: await store.listNamespaces() };
        await h.exec(failingEdgeTrigger(h.dialect, datasetId('boom', 'x')));
        const batch: IngestInput[] = [
          input(runEvent({ job: 'fresh', runId: 'f1', type: 'COMPLETE', time: at(2), inputs: ['a'], outputs: ['c'] })),
          input(runEvent({ job: 'bad', runId: 'b1', type: 'COMPLETE', time: at(3), outputs: [{ ns: 'boom', name: 'x' }] })),
        ];
        await expect(store.ingest(batch)).rejects.toThrow(/injected failure/);
        expect(await store.stats()).toEqual(before.stats);
        expect(await store.loadGraph()).toEqual(before.graph);
        expect(await store.listNamespaces()).toEqual(before.namespaces);
        expect(await store.getRun('f1')).toBeNull();
        expect(await store.verifyChain()).toEqual({ ok: true, checked: 2 });
        // the store stays usable and the next batch continues the chain
        const ok = await store.ingest([batch[0]]);
        expect(ok.outcomes).toEqual([{ seq: 3, duplicate: false }]);
        expect(await store.verifyChain()).toEqual({ ok: true, checked: 3 });
      });
    });

    describe('atomic batches (raw events)', () => {
      it('a batch whose raw event insert fails writes nothing and says why', async () => {
        await store.ingest(run('etl', 'r1', at(0), at(1), { inputs: ['a'], outputs: ['b'] }));
        const before = { stats: await store.stats(), graph: await store.loadGraph() };
        await h.exec(failingEventTrigger(h.dialect, 'boom-event'));
        const batch = [
          input(runEvent({ job: 'fresh', runId: 'f1', type: 'COMPLETE', time: at(2), inputs: ['a'], outputs: ['c'] })),
          input(runEvent({ job: 'boom-event', runId: 'b1', type: 'COMPLETE', time: at(3), outputs: ['d'] })),
        ];
        await expect(store.ingest(batch)).rejects.toThrow(/injected event failure/);
        expect(await store.stats()).toEqual(before.stats);
        expect(await store.loadGraph()).toEqual(before.graph);
        expect(await store.getJob(job('fresh'))).toBeNull();
        expect(await store.verifyChain()).toEqual({ ok: true, checked: 2 });
      });
    });

    describe('Marquez reads', () => {
      beforeEach(async () => {
        const batch: IngestInput[] = [];
        for (let i = 0; i < 5; i += 1) {
          batch.push(
            input(
              runEvent({
                job: `job_${i}`,
                runId: `run-${i}`,
                type: 'COMPLETE',
                time: at(i),
                inputs: [{ name: `src_${i}`, fields: [['id', 'INT']] }],
                outputs: [{ name: `dst_${i}`, fields: [['id', 'INT']], facets: { documentation: { _producer: 't', _schemaURL: 't', description: `table ${i}` } } }],
                jobFacets: { sourceCodeLocation: { _producer: 't', _schemaURL: 't', type: 'git', url: `https://git/${i}` } },
                runFacets: { nominalTime: { _producer: 't', _schemaURL: 't', nominalStartTime: '2024-06-01T00:00:00Z' } },
              }),
            ),
          );
        }
        batch.push(input(runEvent({ job: 'job_0', runId: 'run-0b', type: 'START', time: at(60), inputs: ['src_0'] })));
        await store.ingest(batch);
      });

      it('lists namespaces, datasets with paging and total, jobs, runs', async () => {
        expect((await store.listNamespaces()).map((n) => n.name)).toEqual(['pipelines', 'warehouse']);
        const page = await store.listDatasets('warehouse', { limit: 3, offset: 2 });
        expect(page.total).toBe(10);
        expect(page.items.map((d) => d.name)).toEqual(['dst_2', 'dst_3', 'dst_4']);
        expect(page.items[0]).toMatchObject({ id: ds('dst_2'), description: 'table 2', currentVersion: expect.any(String), aliases: [] });
        expect((await store.listDatasets('nowhere', { limit: 3, offset: 0 })).total).toBe(0);

        const jobs = await store.listJobs('pipelines', { limit: 2, offset: 0 });
        expect(jobs.total).toBe(5);
        expect(jobs.items[0]).toMatchObject({ id: job('job_0'), type: 'BATCH', inputs: [ds('src_0')], outputs: [ds('dst_0')], latestRunId: 'run-0b', location: 'https://git/0' });
        expect((await store.getJobs([job('job_3'), job('nope'), job('job_1')])).map((j) => j.name)).toEqual(['job_3', 'job_1']);

        const runs = await store.listRuns(job('job_0'), { limit: 10, offset: 0 });
        expect(runs.total).toBe(2);
        expect(runs.items.map((r) => [r.runId, r.state])).toEqual([
          ['run-0b', 'START'],
          ['run-0', 'COMPLETE'],
        ]);
        expect(await store.getRun('run-0')).toMatchObject({ job: job('job_0'), nominalStartTime: '2024-06-01T00:00:00Z', endedAt: at(0) });
        expect(await store.getRun('missing')).toBeNull();
        expect(await store.getDatasets([ds('dst_1'), ds('none')])).toHaveLength(1);
        // many runs in one read: those that exist, in the order asked, each once, as getRun gives them
        const many = await store.getRuns(['run-3', 'missing', 'run-0b', 'run-3', 'run-0']);
        expect(many.map((r) => r.runId)).toEqual(['run-3', 'run-0b', 'run-0']);
        expect(many[2]).toEqual(await store.getRun('run-0'));
        expect(await store.getRuns([])).toEqual([]);
        // each job's latest run, without the job rows: the run latestRunId names
        const latest = await store.latestRuns([job('job_0'), job('job_2'), job('nope'), job('job_0')]);
        expect([...latest.keys()].sort()).toEqual([job('job_0'), job('job_2')]);
        expect(latest.get(job('job_0'))).toEqual(await store.getRun('run-0b'));
        expect(latest.get(job('job_2'))?.runId).toBe((await store.getJob(job('job_2')))?.latestRunId);
      });

      it('searches datasets and jobs by name', async () => {
        const hits = await store.search('_3', { limit: 10 });
        expect(hits.map((h) => [h.type, h.nodeId]).sort()).toEqual([
          ['DATASET', ds('dst_3')],
          ['DATASET', ds('src_3')],
          ['JOB', job('job_3')],
        ]);
        expect((await store.search('JOB_', { type: 'JOB', limit: 2 })).length).toBe(2);
        expect(await store.search('dst', { type: 'DATASET', namespace: 'pipelines', limit: 10 })).toEqual([]);
        expect(await store.search('%', { limit: 10 })).toEqual([]);
      });

      it('counts rows', async () => {
        expect(await store.stats()).toEqual({ events: 6, datasets: 10, jobs: 5, runs: 6, edges: 10 });
      });
    });

    describe('observed writes', () => {
      it('deduplicates by connector, query and dataset', async () => {
        const w = { dataset: ds('orders'), sources: [ds('raw')], writtenAt: at(1), queryId: 'q1', connectorId: 'snowflake-prod', user: 'etl', rows: 10, queryText: 'insert ...' };
        expect(await store.recordObservedWrites([w, { ...w, dataset: ds('orders_2') }, w])).toEqual({ inserted: 2, duplicates: 1 });
        expect(await store.recordObservedWrites([w, { ...w, connectorId: 'snowflake-dev' }])).toEqual({ inserted: 1, duplicates: 1 });
        expect(await store.listObservedWrites({ dataset: ds('orders') }, { limit: 10, offset: 0 })).toEqual([
          { ...w, connectorId: 'snowflake-dev' },
          w,
        ].sort((a, b) => a.connectorId.localeCompare(b.connectorId)));
        expect(await store.listObservedWrites({ since: at(2) }, { limit: 10, offset: 0 })).toEqual([]);
        expect(await store.listObservedWrites({}, { limit: 10, offset: 0 })).toHaveLength(3);
      });
    });

    it('migrate() is idempotent', async () => {
      await store.ingest(run('etl', 'r1', at(0), at(1), { outputs: ['t'] }));
      await store.migrate();
      await store.migrate();
      expect((await store.stats()).events).toBe(2);
    });
  });
};
