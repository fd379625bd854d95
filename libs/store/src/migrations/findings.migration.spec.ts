import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { datasetId } from '@lineage-hub/model';
import { LINEAGE_MIGRATIONS, migrateSchema } from '../relational/schema.migrator';
import { SqliteDriver } from '../sql/sqlite.driver';
import { SqliteLineageStore } from '../sqlite-lineage.store';
import { useThisRealmForSqliteErrors } from '../testing/sqlite-error-realm';

useThisRealmForSqliteErrors();

const ds = (name: string) => datasetId('warehouse', name);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('migration 5 (observed-write-seq) on a store that was evaluated under the time mark', () => {
  it('hands the writes not yet read (recorded at or after the old mark) to the next incremental evaluation once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lh-write-seq-'));
    dirs.push(dir);
    const file = path.join(dir, 'shard.db');
    const old = SqliteDriver.open(file);
    await migrateSchema(old, () => 0, { ...LINEAGE_MIGRATIONS, migrations: LINEAGE_MIGRATIONS.migrations.filter((m) => m.version <= 4) });
    const row = (name: string, recordedAt: number) => ['sf', `q-${name}`, ds(name), 10, '[]', recordedAt];
    await old.insertRows('observed_writes', ['connector_id', 'query_id', 'dataset_id', 'written_at', 'sources', 'recorded_at'], [row('read', 500), row('at-mark', 1000), row('after', 1500)]);
    await old.insertRows('findings_state', ['id', 'evaluated_at', 'event_seq', 'writes_at'], [[1, 900, 7, 1000]]);
    await old.close();

    const store = await SqliteLineageStore.open(file);
    try {
      const f = store.findings;
      const mark = await f.getMark();
      expect(mark).toEqual({ evaluatedAt: 900, eventSeq: 7, writeSeq: 0 });
      const next = await f.changesSince(mark!);
      expect(next.datasets.sort()).toEqual([ds('after'), ds('at-mark')]);
      expect((await f.changesSince(next)).datasets).toEqual([]);
      await store.recordObservedWrites([{ connectorId: 'sf', queryId: 'q-new', dataset: ds('new'), writtenAt: 20, sources: [] }]);
      const after = await f.changesSince(next);
      expect(after.datasets).toEqual([ds('new')]);
      expect((await f.changesSince(after)).datasets).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
