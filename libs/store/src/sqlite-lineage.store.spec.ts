import path from 'node:path';
import Database from 'better-sqlite3';
import { datasetId, jobId } from '@lineage-hub/model';
import { SqliteLineageStore } from './sqlite-lineage.store';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { sqliteFileHarness, tempDirs } from './testing/store-harnesses';
import { describeStoreConformance } from './testing/store-conformance';
import { at, input, runEvent } from './testing/store-events.fixture';
import { describeStoreRefusals } from './testing/store-refusals.suite';
import { describeOrderIndependence } from './testing/order-independence.suite';

// SQLite errors must be this file's Errors even when another test file in the same Jest process loaded SQLite first
useThisRealmForSqliteErrors();

const tempDir = tempDirs('lh-store-');

describeStoreConformance('SQLite (file in a temp dir)', () => sqliteFileHarness(path.join(tempDir(), 'nested', 'shard.db')));

describeOrderIndependence('SQLite', () => sqliteFileHarness(path.join(tempDir(), 'order.db')), Array.from({ length: 24 }, (_, i) => i + 1));

describeStoreRefusals('SQLite (file in a temp dir)', async () => {
  const store = await SqliteLineageStore.open(path.join(tempDir(), 'shard.db'));
  return { store, dialect: 'sqlite', exec: async () => undefined, close: () => store.close() };
});

describe('SQLite: a dataset row stored before its facet times (migration 6: facets_at NULL)', () => {
  it('counts its facets as set at updated_at, and the next batch that sees it stores their times', async () => {
    const file = path.join(tempDir(), 'legacy.db');
    const orders = datasetId('warehouse', 'orders');
    const doc = (description: string) => ({ documentation: { _producer: 't', _schemaURL: 't', description } });
    const sighting = (runId: string, time: number, description: string) => input(runEvent({ job: 'load', runId, type: 'COMPLETE', time, outputs: [{ name: 'orders', facets: doc(description) }] }));
    let store = await SqliteLineageStore.open(file);
    await store.ingest([sighting('l5', at(5), 'five')]);
    await store.close();
    const db = new Database(file);
    db.prepare('UPDATE dataset_times SET facets_at = NULL').run();
    db.close();
    store = await SqliteLineageStore.open(file);
    try {
      await store.ingest([sighting('l3', at(3), 'three')]);
      expect((await store.getDataset(orders))?.description).toBe('five');
      // the same value read later (updated_at stays 5) moves its time, so an older other value arriving after it does
      // not replace it
      await store.ingest([input(runEvent({ job: 'read', runId: 'l8', type: 'START', time: at(8), inputs: [{ name: 'orders', facets: doc('five') }] }))]);
      await store.ingest([sighting('l7', at(7), 'seven')]);
      expect((await store.getDataset(orders))?.description).toBe('five');
      expect((await store.derivedRows('datasets')).map((r) => r.description)).toEqual(['five']);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite: a job row stored before its facet times (migration 9: facets_at NULL)', () => {
  it('counts its facets as set at updated_at, and the next batch that sees it stores their times', async () => {
    const file = path.join(tempDir(), 'legacy-job.db');
    const load = jobId('pipelines', 'load');
    const doc = (description: string) => ({ documentation: { _producer: 't', _schemaURL: 't', description } });
    const sighting = (runId: string, time: number, description: string) => input(runEvent({ job: 'load', runId, type: 'COMPLETE', time, jobFacets: doc(description) }));
    const description = async (s: SqliteLineageStore) => (await s.derivedRows('jobs')).filter((r) => r.id === load).map((r) => r.description);
    let store = await SqliteLineageStore.open(file);
    await store.ingest([sighting('l5', at(5), 'five')]);
    await store.close();
    const db = new Database(file);
    db.prepare('UPDATE jobs SET facets_at = NULL').run();
    db.close();
    store = await SqliteLineageStore.open(file);
    try {
      await store.ingest([sighting('l3', at(3), 'three')]);
      expect(await description(store)).toEqual(['five']);
      // the same value seen later (updated_at stays 5) moves its time, so an older other value arriving after it does
      // not replace it
      await store.ingest([sighting('l8', at(8), 'five')]);
      await store.ingest([sighting('l7', at(7), 'seven')]);
      expect(await description(store)).toEqual(['five']);
    } finally {
      await store.close();
    }
  });
});
