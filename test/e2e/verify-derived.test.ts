/**
 * `lineage verify --derived` against a real shard process on SQLite and on PostgreSQL (a database of its own,
 * dropped after): a store written through ingest passes (exit 0); an edge inserted by hand behind the shard's back
 * is reported as a row with no event behind it (exit 1), naming its table and ends.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { type AppProcess, ROOT, startNode } from '../testing/process-kit';

jest.setTimeout(180_000);

const PG_ADMIN = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const lineage = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'lineage.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

const event = (runId: string, type: string, minute: number, job: string, inputs: string[], outputs: string[]) => ({
  eventType: type,
  eventTime: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  producer: 'https://example.com/verify-derived-e2e',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId },
  job: { namespace: 'etl', name: job },
  inputs: inputs.map((name) => ({ namespace: 'wh', name })),
  outputs: outputs.map((name) => ({ namespace: 'wh', name, facets: { schema: { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: [{ name: 'id', type: 'int' }] } } })),
});

interface Backend {
  storeUrl: string;
  insertEdge(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

const sqlite = async (): Promise<Backend> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-verify-derived-'));
  const file = path.join(dir, 'lineage.db');
  return {
    storeUrl: `sqlite:${file}`,
    insertEdge: async (sql) => {
      const db = new Database(file);
      db.exec(sql);
      db.close();
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

const postgres = async (): Promise<Backend> => {
  const database = `lh_verify_derived_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 5000 });
  await admin.connect().catch((error) => {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN}: ${error.message}`);
  });
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${database}`);
  return {
    storeUrl: url,
    insertEdge: async (sql) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(sql);
      await client.end();
    },
    cleanup: async () => {
      const client = new Client({ connectionString: PG_ADMIN });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    },
  };
};

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('lineage verify --derived on %s', (_name, open) => {
  let backend: Backend;
  let shard: AppProcess;
  let url = '';

  beforeAll(async () => {
    backend = await open();
    shard = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'verify', STORE_URL: backend.storeUrl, REDIS_URL: '' });
    url = (await shard.waitFor((l) => l.msg === 'shard started', 120_000)).httpUrl;
    const batch = [
      event('aaaaaaaa-0000-4000-8000-000000000001', 'START', 1, 'load', ['raw'], ['clean']),
      event('aaaaaaaa-0000-4000-8000-000000000001', 'COMPLETE', 2, 'load', ['raw'], ['clean']),
      event('aaaaaaaa-0000-4000-8000-000000000002', 'START', 3, 'report', ['clean'], ['report']),
    ];
    const res = await fetch(`${url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    expect(res.status).toBe(200);
    const single = await fetch(`${url}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('aaaaaaaa-0000-4000-8000-000000000002', 'FAIL', 4, 'report', ['clean'], ['report'])) });
    expect(single.status).toBe(200);
  });

  afterAll(async () => {
    if (shard?.child.exitCode === null) {
      const exited = new Promise((r) => shard.child.once('exit', r));
      shard.child.kill('SIGTERM');
      await exited;
    }
    await backend?.cleanup();
  });

  it('passes a store written through ingest (exit 0, every table equal)', async () => {
    const run = await lineage(['verify', '--derived', '--gateway', url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^TABLE\s+LIVE\s+REBUILT\s+NO EVENT BEHIND\s+MISSING/);
    expect(run.stdout).toMatch(/\nedges\s+(\d+)\s+\1\s+0\s+0\s*\n/);
    expect(run.stdout).toMatch(/\nruns\s+2\s+2\s+0\s+0\s*\n/);
    expect(run.stdout).toMatch(/\nok: 4 events replayed\n/);
  });

  it('reports an edge inserted by hand as a row with no event behind it (exit 1)', async () => {
    await backend.insertEdge(
      "INSERT INTO edges (owner, kind, from_id, to_id, provenance, valid_from, valid_to) VALUES ('job:etl:ghost', 'writes', 'job:etl:ghost', 'dataset:wh:planted', 'declared', 1, NULL)",
    );
    const run = await lineage(['verify', '--derived', '--gateway', url, '--format', 'json']);
    expect(run.code).toBe(1);
    const body = JSON.parse(run.stdout);
    expect(body.ok).toBe(false);
    expect(body.tables.find((t: any) => t.table === 'edges')).toMatchObject({ unbacked: 1, missing: 0 });
    expect(body.differences).toEqual([{ table: 'edges', problem: 'no event behind it', row: expect.objectContaining({ owner: 'job:etl:ghost', to_id: 'dataset:wh:planted' }) }]);
    const table = await lineage(['verify', '--derived', '--gateway', url]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/DIFFERENT: 4 events replayed/);
    expect(table.stdout).toMatch(/edges\s+no event behind it\s+owner=job:etl:ghost kind=writes from_id=job:etl:ghost to_id=dataset:wh:planted/);
  });
});
