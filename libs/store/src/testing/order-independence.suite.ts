/**
 * The store's promise that what it derives depends on the events alone, not on their order or batches, checked on
 * seeded random histories (random-history.fixture.ts): every derived table, the graph, the datasets as read (last
 * write, current schema and fields) and the runs, fed one by one in order, reversed and shuffled, and in two shuffled
 * batches, equal one batch in order.
 */
import type { DerivedTable, IngestInput, LineageStore } from '../lineage-store.port';
import { randomHistory, seededRandom, shuffled } from './random-history.fixture';
import type { StoreHarness } from './store-conformance';

const TABLES: DerivedTable[] = ['namespaces', 'datasets', 'dataset_times', 'dataset_versions', 'jobs', 'runs', 'edges', 'edge_owners', 'aliases', 'lifecycle'];

/** What a user or a reader of the store sees, in a form that compares whole. */
const observed = async (store: LineageStore) => {
  const rows: Record<string, string[]> = {};
  for (const table of TABLES) rows[table] = (await store.derivedRows(table)).map((row) => JSON.stringify(row)).sort();
  const { version: _version, ...graph } = await store.loadGraph();
  const datasets = (await store.listDatasets('warehouse', { limit: 1000, offset: 0 })).items.map((d) => ({
    id: d.id, createdAt: d.createdAt, updatedAt: d.updatedAt, currentVersion: d.currentVersion, fields: d.fields, facets: d.facets,
  }));
  const runs = (await store.listJobs('pipelines', { limit: 100, offset: 0 })).items.map((j) => j.id);
  const runRecords = [];
  for (const job of runs) runRecords.push(...(await store.listRuns(job, { limit: 100, offset: 0 })).items);
  return { rows, graph, datasets, runs: runRecords.sort((a, b) => (a.runId < b.runId ? -1 : 1)) };
};

export const describeOrderIndependence = (name: string, makeHarness: () => Promise<StoreHarness>, seeds: number[]): void => {
  describe(`LineageStore order independence on random histories: ${name}`, () => {
    jest.setTimeout(120_000);

    it('derives the same rows, graph, datasets and runs whatever the order and batches of the events', async () => {
      const feed = async (batches: IngestInput[][]) => {
        const h = await makeHarness();
        try {
          for (const batch of batches) await h.store.ingest(batch);
          return await observed(h.store);
        } finally {
          await h.close();
        }
      };
      for (const seed of seeds) {
        const events = randomHistory(seed);
        const random = seededRandom(seed * 31);
        const expected = await feed([events]);
        const mixed = shuffled(events, random);
        const cut = 1 + Math.floor(random() * (mixed.length - 1));
        for (const [how, batches] of [
          ['one by one', events.map((e) => [e])],
          ['reversed', [...events].reverse().map((e) => [e])],
          ['shuffled', shuffled(events, random).map((e) => [e])],
          ['two shuffled batches', [mixed.slice(0, cut), mixed.slice(cut)]],
        ] as Array<[string, IngestInput[][]]>) {
          expect({ seed, how, ...(await feed(batches)) }).toEqual({ seed, how, ...expected });
        }
      }
    });
  });
};
