/**
 * STORE_URL -> a migrated store:
 *   sqlite:<file>       SQLite file (its folder is created), e.g. sqlite:./data/shard.db
 *   sqlite::memory:     in-memory SQLite (tests)
 *   postgres://...      PostgreSQL (postgresql:// too)
 */
import { DomainError } from '@lineage-hub/model';
import type { LineageStore, StoreUrl } from './lineage-store.port';
import { PostgresLineageStore } from './postgres-lineage.store';
import { SqliteLineageStore } from './sqlite-lineage.store';

export type ParsedStoreUrl = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export const parseStoreUrl = (url: StoreUrl): ParsedStoreUrl => {
  const text = typeof url === 'string' ? url.trim() : '';
  if (text === 'sqlite::memory:') return { kind: 'sqlite', file: ':memory:' };
  if (text.startsWith('sqlite:')) {
    const file = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file.length > 0) return { kind: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\/.+/.test(text)) return { kind: 'postgres', url: text };
  throw new DomainError(
    'invalid-argument',
    `STORE_URL: "${text}" is not a store url (expected sqlite:<file>, sqlite::memory: or postgres://user@host:port/db)`,
    'STORE_URL',
  );
};

export const createStore = async (url: StoreUrl, opts: { clock?: () => number } = {}): Promise<LineageStore> => {
  const parsed = parseStoreUrl(url);
  if (parsed.kind === 'sqlite') return SqliteLineageStore.open(parsed.file, opts);
  try {
    return await PostgresLineageStore.open(parsed.url, opts);
  } catch (error) {
    throw new DomainError('unavailable', `STORE_URL: PostgreSQL did not answer: ${(error as Error).message}`, 'STORE_URL');
  }
};
