/**
 * The shard as operators run it: `node dist/apps/shard/src/main.js` (built by `npm test`) with env config.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getJson, loadManifestFixtures, postJson, waitFor } from '../testing/shard-test-kit';

const ROOT = path.resolve(__dirname, '..', '..');
/** LINEAGE_DIST_DIR: run a build kept elsewhere (default: the repo's dist/, which `npm test` builds). */
const MAIN = path.join(process.env.LINEAGE_DIST_DIR ?? path.join(ROOT, 'dist'), 'apps', 'shard', 'src', 'main.js');

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const spawnShard = (env: Record<string, string>): Spawned => {
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
};

describe('shard process', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'shard-e2e-'));
  const running: Spawned[] = [];

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  });

  afterAll(async () => {
    for (const s of running) {
      if (s.child.exitCode === null) {
        s.child.kill('SIGKILL');
        await s.exited;
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('starts from env config, reports healthy, ingests an event, serves its lineage, logs JSON, and stops on SIGTERM', async () => {
    const shard = spawnShard({
      PORT: '0',
      RPC_PORT: '0',
      SHARD_DOMAIN: 'e2e',
      STORE_URL: `sqlite:${path.join(tmp, 'e2e', 'lineage.db')}`,
    });
    running.push(shard);
    const httpUrl = await waitFor(
      async () => {
        if (shard.child.exitCode !== null) throw new Error(`shard exited: ${shard.stderr()}`);
        const started = shard
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
          .find((line) => line.msg === 'shard started');
        return started?.httpUrl as string | undefined;
      },
      30_000,
      'the shard to log "shard started"',
    );
    const health = await waitFor(async () => {
      const res = await getJson(`${httpUrl}/health`);
      return res.status === 200 ? res.body : undefined;
    }, 10_000, '/health');
    expect(health).toMatchObject({ status: 'ok', domain: 'e2e', store: { reachable: true } });

    const event = loadManifestFixtures().find((f) => f.file.endsWith('events/airflow/05b_complete.json'))!.events[0];
    const res = await postJson(`${httpUrl}/api/v1/lineage`, event);
    expect(res.status).toBe(200);
    const lineage = await getJson(`${httpUrl}/api/v1/lineage?nodeId=${encodeURIComponent('job:airflow-prod:shop_etl.build_daily_revenue')}&depth=1`);
    expect(lineage.status).toBe(200);
    const ids = lineage.body.graph.map((n: any) => n.id);
    expect(ids).toContain('job:airflow-prod:shop_etl.build_daily_revenue');
    expect(ids.filter((id: string) => id.startsWith('dataset:')).length).toBe(3);

    for (const line of shard.stdout().split('\n').filter(Boolean)) {
      expect(() => JSON.parse(line)).not.toThrow();
    }
    shard.child.kill('SIGTERM');
    expect(await shard.exited).toBe(0);

    // Restarted on the same store, the shard reloads its graph from it.
    const again = spawnShard({ PORT: '0', RPC_PORT: '0', SHARD_DOMAIN: 'e2e', STORE_URL: `sqlite:${path.join(tmp, 'e2e', 'lineage.db')}` });
    running.push(again);
    const url2 = await waitFor(
      async () =>
        again
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
          .find((line) => line.msg === 'shard started')?.httpUrl as string | undefined,
      30_000,
      'the restarted shard',
    );
    const reloaded = await getJson(`${url2}/api/v1/lineage?nodeId=${encodeURIComponent('job:airflow-prod:shop_etl.build_daily_revenue')}&depth=1`);
    expect(reloaded.body).toEqual(lineage.body);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('refuses invalid configuration with a message naming the variable', async () => {
    const bad = spawnShard({ PORT: 'eighty', STORE_URL: 'mysql://nope' });
    running.push(bad);
    const code = await bad.exited;
    expect(code).not.toBe(0);
    expect(bad.stderr()).toMatch(/PORT/);
    expect(bad.stderr()).toMatch(/STORE_URL/);
  });
});
