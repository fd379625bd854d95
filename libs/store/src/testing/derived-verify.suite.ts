/**
 * verifyDerived (lineage verify --derived) against both adapters (SQLite in libs/store/src/derived.verifier.spec.ts,
 * PostgreSQL in test/integration/store-postgres.test.ts): a store written only through ingest passes; a row
 * inserted or deleted behind the store's back is reported, naming the table and the row.
 */
import { createEventValidator, prepareEvent } from '@lineage-hub/model';
import { verifyDerived } from '../derived.verifier';
import type { StoreHarness } from './store-conformance';
import { at, datasetEvent, input, jobEvent, runEvent } from './store-events.fixture';

const validator = createEventValidator();
const prepare = (raw: Record<string, any>) => prepareEvent(raw, validator).input;

/** A history with runs in several states, schema versions, column lineage, job and dataset events, and manual provenance. */
const history = () => [
  input(runEvent({ job: 'load', runId: '11111111-1111-4111-8111-111111111111', type: 'START', time: at(1), inputs: ['raw'], outputs: [{ name: 'clean', fields: [['id', 'int']] }] })),
  input(runEvent({ job: 'load', runId: '11111111-1111-4111-8111-111111111111', type: 'COMPLETE', time: at(2), inputs: ['raw'], outputs: [{ name: 'clean', fields: [['id', 'int'], ['name', 'text']] }] })),
  input(runEvent({ job: 'report', runId: '22222222-2222-4222-8222-222222222222', type: 'START', time: at(3), inputs: ['clean'], outputs: ['report'] })),
  input(runEvent({ job: 'report', runId: '22222222-2222-4222-8222-222222222222', type: 'FAIL', time: at(4), inputs: ['clean'], outputs: ['report'] })),
  input(jobEvent(at(5), 'manual.feed', ['sftp_drop'], ['raw']), 'manual'),
  input(datasetEvent(at(6), { name: 'clean', fields: [['id', 'int'], ['name', 'text']] })),
];

export const describeDerivedVerify = (name: string, makeHarness: () => Promise<StoreHarness>): void => {
  describe(`verifyDerived (lineage verify --derived): ${name}`, () => {
    jest.setTimeout(60_000);
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
      await h.store.ingest(history().slice(0, 3));
      await h.store.ingest(history().slice(3));
    });
    afterEach(() => h.close());

    it.each([
      ['one event per batch', [1, 1, 1, 1, 1, 1]],
      ['all in one batch', [6]],
      ['uneven batches', [2, 4]],
    ])('passes a store written only through ingest (%s)', async (_label, sizes) => {
      await h.close();
      h = await makeHarness();
      const events = history();
      for (const size of sizes) await h.store.ingest(events.splice(0, size));
      const result = await verifyDerived(h.store, { prepare });
      expect(result.differences).toEqual([]);
      expect(result).toMatchObject({ ok: true, events: 6, unreplayable: [] });
    });

    it('passes a store written only through ingest, comparing every derived table', async () => {
      const result = await verifyDerived(h.store, { prepare });
      expect(result.differences).toEqual([]);
      expect(result).toMatchObject({ ok: true, events: 6, unreplayable: [] });
      const byTable = Object.fromEntries(result.tables.map((t) => [t.table, t]));
      expect(byTable.edges.live).toBeGreaterThan(0);
      expect(byTable.edges).toEqual({ table: 'edges', live: byTable.edges.rebuilt, rebuilt: byTable.edges.rebuilt, unbacked: 0, missing: 0 });
      expect(byTable.runs.live).toBe(3);
      expect(byTable.dataset_versions.live).toBeGreaterThan(1);
    });

    it('reports a hand-inserted edge as a row with no event behind it', async () => {
      await h.exec(
        "INSERT INTO edges (owner, kind, from_id, to_id, provenance, valid_from, valid_to) VALUES ('job:pipelines:ghost', 'writes', 'job:pipelines:ghost', 'dataset:warehouse:secret', 'declared', 1, NULL)",
      );
      const result = await verifyDerived(h.store, { prepare });
      expect(result.ok).toBe(false);
      expect(result.tables.find((t) => t.table === 'edges')).toMatchObject({ unbacked: 1, missing: 0 });
      expect(result.differences).toEqual([
        { table: 'edges', problem: 'no event behind it', row: expect.objectContaining({ owner: 'job:pipelines:ghost', to_id: 'dataset:warehouse:secret' }) },
      ]);
    });

    it('reports a deleted run as missing and an edited run as both', async () => {
      await h.exec("DELETE FROM runs WHERE run_id = '11111111-1111-4111-8111-111111111111'");
      await h.exec("UPDATE runs SET state = 'COMPLETE' WHERE run_id = '22222222-2222-4222-8222-222222222222'");
      const result = await verifyDerived(h.store, { prepare });
      expect(result.ok).toBe(false);
      expect(result.tables.find((t) => t.table === 'runs')).toMatchObject({ live: 2, rebuilt: 3, unbacked: 1, missing: 2 });
      expect(result.differences.filter((d) => d.table === 'runs').map((d) => [d.problem, d.row.run_id, d.row.state]).sort()).toEqual([
        ['missing', '11111111-1111-4111-8111-111111111111', 'COMPLETE'],
        ['missing', '22222222-2222-4222-8222-222222222222', 'FAIL'],
        ['no event behind it', '22222222-2222-4222-8222-222222222222', 'COMPLETE'],
      ]);
    });
  });
};
