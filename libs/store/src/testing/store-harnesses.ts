/**
 * The store harnesses the suites share: a store plus a side connection to the same database, so a test can tamper
 * with rows or inject failures behind the store's back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { PostgresLineageStore } from '../postgres-lineage.store';
import { SqliteLineageStore } from '../sqlite-lineage.store';
import type { StoreHarness } from './store-conformance';

/** Temp folders for SQLite files, removed after the test file (call at the top level of a spec). */
export const tempDirs = (prefix: string): (() => string) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
};

/** A SQLite store in `file`, with a second connection to the same file. */
export const sqliteFileHarness = async (file: string): Promise<StoreHarness> => {
  const store = await SqliteLineageStore.open(file);
  const side = new Database(file);
  return {
    store,
    dialect: 'sqlite',
    exec: async (sql) => {
      side.exec(sql);
    },
    close: async () => {
      side.close();
      await store.close();
    },
  };
};

/** A PostgreSQL store in a new schema of the database at `url`, with a side client on the same schema. */
export const postgresSchemaHarness = async (url: string, schema: string): Promise<StoreHarness> => {
  const side = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await side.connect();
  await side.query(`CREATE SCHEMA ${schema}`);
  const store = await PostgresLineageStore.open(url, { pool: { options: `-c search_path=${schema}` } });
  return {
    store,
    dialect: 'postgres',
    exec: async (sql) => {
      await side.query(sql);
    },
    close: async () => {
      await store.close();
      await side.end();
    },
  };
};
