/**
 * Keeps what it is told: `npm start` (the hub launcher, with its private redis-server keeping an append-only file
 * under the data folder) is given a connector through the gateway's API, its cursor is set and a run is queued;
 * every process is stopped (shards, gateway, worker and Redis), the hub is started again on the same data folder,
 * and the connector is there with its cursor and its run history. Real processes, a real redis-server.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, type HubProcess, startHub as launch } from '../testing/hub-kit';

jest.setTimeout(300_000);

type Hub = HubProcess;

/** The hub on this config, without REDIS_URL so it starts its private Redis (AOF under the data folder). */
const startHub = (config: string): Promise<Hub> => {
  const env = { ...process.env };
  delete env.REDIS_URL;
  return launch(['--config', config, '--empty'], env);
};

const stopHub = async (hub: Hub) => {
  hub.child.kill('SIGTERM');
  expect(await hub.exited).toBe(0);
};

const portClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('npm start keeps connectors, cursors and run history across a restart of every process', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lineage-hub-restart-'));
  let hub: Hub | undefined;

  afterAll(async () => {
    if (hub && hub.child.exitCode === null) await stopHub(hub).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a connector through the API, restarts everything, and finds it with its cursor and history', async () => {
    const [gatewayPort, shardPort, rpcPort, workerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const config = path.join(dir, 'hub.yaml');
    writeFileSync(
      config,
      ['dataDir: data', `gateway: { port: ${gatewayPort} }`, 'shards:', `  - { domain: sales, port: ${shardPort}, rpcPort: ${rpcPort}, namespaces: [airflow-sales] }`, `worker: { port: ${workerPort} }`].join('\n'),
    );
    hub = await startHub(config);
    expect(hub.out()).toMatch(/redis\s+started a private redis-server/);
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const token = readFileSync(path.join(dir, 'data', 'auth', 'admin-token'), 'utf8').trim();
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${gateway}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };

    const created = await api('POST', '/api/v1/connectors', {
      id: 'kept',
      kind: 'redshift',
      domain: 'sales',
      schedule: { every: '1h' },
      rateLimit: { requestsPerSecond: 1 },
      enabled: false,
      settings: { host: '127.0.0.1', port: await freePort(), database: 'dev', user: 'u', clusterIdentifier: 'a', region: 'us-east-1' },
    });
    expect(created.status).toBe(201);
    const watermark = new Date(Date.now() - 3_600_000).toISOString();
    const cursor = await api('PUT', '/api/v1/connectors/kept/cursor', { watermark });
    expect(cursor.status).toBe(200);
    const queued = await api('POST', '/api/v1/connectors/kept/runs');
    expect(queued.status).toBe(202);
    // the run reaches the vendor (nothing listens there) and is recorded, whatever its state
    const deadline = Date.now() + 60_000;
    let before: any;
    while (Date.now() < deadline) {
      before = (await api('GET', '/api/v1/connectors/kept/runs')).body;
      if (before.runs.some((r: any) => r.runId === queued.body.runId && r.state !== 'queued')) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const run = before.runs.find((r: any) => r.runId === queued.body.runId);
    expect(run).toBeDefined();
    const cursorBefore = (await api('GET', '/api/v1/connectors/kept/cursor')).body;
    expect(cursorBefore.watermark).toBe(watermark);

    await stopHub(hub);
    for (const port of [gatewayPort, shardPort, workerPort]) expect(await portClosed(port)).toBe(true);
    // the private Redis wrote its append-only file under the data folder
    const redisDir = path.join(dir, 'data', 'redis');
    expect(readdirSync(redisDir, { recursive: true }).some((f) => String(f).includes('appendonly'))).toBe(true);

    hub = await startHub(config);
    const after = await api('GET', '/api/v1/connectors/kept');
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id: 'kept', kind: 'redshift', domain: 'sales', enabled: false, schedule: { every: '1h' } });
    const cursorAfter = (await api('GET', '/api/v1/connectors/kept/cursor')).body;
    expect(cursorAfter).toMatchObject({ connectorId: 'kept', watermark, cursor: cursorBefore.cursor, savedAt: cursorBefore.savedAt });
    const history = (await api('GET', '/api/v1/connectors/kept/runs')).body;
    expect(history.runs.map((r: any) => r.runId)).toContain(run.runId);
    expect(history.runs.find((r: any) => r.runId === run.runId)).toMatchObject({ runId: run.runId, startedAt: run.startedAt });
    await stopHub(hub);
  });
});
