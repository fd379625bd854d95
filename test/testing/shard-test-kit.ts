/**
 * Shared by the shard integration, e2e and conformance tests: OpenLineage fixtures listed in a MANIFEST.md (the
 * project's own in test/fixtures/openlineage for `npm test`; ../shared's, read in place, for the conformance
 * project only), a throwaway PostgreSQL database, and small HTTP helpers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { sharedDir } from '@lineage-hub/common';

export const SHARED_DIR = sharedDir();
/** ../shared's OpenLineage conformance data: conformance tests only. */
export const OL_DIR = path.join(SHARED_DIR, 'conformance', 'openlineage');
/** The project's own OpenLineage fixtures (written from the spec), same MANIFEST layout. */
export const OWNED_OL_DIR = path.resolve(__dirname, '..', 'fixtures', 'openlineage');
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface FixtureFile {
  file: string; // relative to the fixture folder, e.g. events/airflow/01a_start.json
  kind: 'complete' | 'negative';
  events: Array<Record<string, any>>;
}

/** Complete and negative event files from MANIFEST.md, each scenario in replay order (file names, numeric-aware). */
export const loadManifestFixtures = (dir: string = OWNED_OL_DIR): FixtureFile[] => {
  const manifest = readFileSync(path.join(dir, 'MANIFEST.md'), 'utf8');
  const rows: Array<{ file: string; kind: 'complete' | 'negative' }> = [];
  for (const line of manifest.split('\n')) {
    const m = /^\| `(events\/[^`]+\.json)` \| [^|]+\| [^|]+\| (complete|negative) \|/.exec(line);
    if (m) rows.push({ file: m[1], kind: m[2] as 'complete' | 'negative' });
  }
  rows.sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }));
  return rows.map(({ file, kind }) => {
    const parsed = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    return { file, kind, events: Array.isArray(parsed) ? parsed : [parsed] };
  });
};

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

export const postRaw = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

export const postGzip = (url: string, body: unknown) =>
  postRaw(url, gzipSync(Buffer.from(JSON.stringify(body))), { 'content-encoding': 'gzip' });

export const getJson = async (url: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

/**
 * A fresh, uniquely named PostgreSQL database (on the server of `adminUrl`, TEST_PG_URL by default); drop() removes it.
 * Fails loudly when PostgreSQL is not there.
 */
export const createTempDatabase = async (prefix: string, adminUrl = PG_ADMIN_URL): Promise<{ url: string; drop(): Promise<void> }> => {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl}: ${(error as Error).message}`);
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
};

/** Wait until fn resolves truthy, or fail after timeoutMs. */
export { waitFor } from '../../apps/worker/src/testing/worker-test-kit';
