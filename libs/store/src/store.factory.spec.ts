import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DomainError } from '@lineage-hub/model';
import { createStore, parseStoreUrl } from './store.factory';

describe('STORE_URL', () => {
  it('parses sqlite files, memory and postgres urls', () => {
    expect(parseStoreUrl('sqlite:./data/x.db')).toEqual({ kind: 'sqlite', file: './data/x.db' });
    expect(parseStoreUrl('sqlite:///var/lib/x.db')).toEqual({ kind: 'sqlite', file: '/var/lib/x.db' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseStoreUrl('postgres://u@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(parseStoreUrl('postgresql://u@h/db')).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db' });
  });

  it.each(['', 'mysql://h/db', 'sqlite:', 'file.db', 'postgres:/x'])('refuses %p naming STORE_URL', (url) => {
    let error: unknown;
    try {
      parseStoreUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid-argument', field: 'STORE_URL' });
  });

  it('creates the folder of a sqlite file and a migrated, empty store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lh-factory-'));
    try {
      const file = path.join(dir, 'a', 'b', 'shard.db');
      const store = await createStore(`sqlite:${file}`);
      expect(existsSync(file)).toBe(true);
      expect(await store.stats()).toEqual({ events: 0, datasets: 0, jobs: 0, runs: 0, edges: 0 });
      await store.close();
      const memory = await createStore('sqlite::memory:');
      expect(await memory.verifyChain()).toEqual({ ok: true, checked: 0 });
      await memory.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
