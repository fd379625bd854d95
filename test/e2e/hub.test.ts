/**
 * `npm start` as a newcomer runs it: the launcher starts a shard process per domain and the gateway, prints
 * the URLs, loads the demo mesh into the empty stores of a first start, and a query at the printed gateway URL
 * shows cross-domain impact. Ctrl-C (SIGTERM here) stops every process it started.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, writeDemoHubConfig } from '../testing/hub-kit';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');


const dir = mkdtempSync(path.join(os.tmpdir(), 'lineage-hub-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('`npm start` on a fresh data folder: starts the hub, loads the demo, answers cross-domain impact at the printed URL, and stops everything', async () => {
  const entry = path.join(ROOT, 'dist', 'apps', 'hub', 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  const { config, ports } = await writeDemoHubConfig(dir);
  const hub = spawn(process.execPath, [entry, '--config', config], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  hub.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => hub.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hub not ready in 180 s:\n${out}\n${err}`)), 180_000);
      hub.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Ctrl-C stops everything.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`hub exited (${code}):\n${out}\n${err}`)));
    });

    expect(out).toContain('lineage-hub is up');
    const gatewayUrl = /gateway\s+(http:\/\/\S+)/.exec(out)?.[1];
    expect(gatewayUrl).toBe(`http://127.0.0.1:${ports[0]}`);
    for (const domain of ['sales', 'marketing', 'finance']) expect(out).toMatch(new RegExp(`shard:${domain}\\s+http://127\\.0\\.0\\.1:\\d+`));
    expect(out).toMatch(/redis\s+(using REDIS_URL|started a private redis-server|Redis not found)/);
    expect(out).toContain('the stores are empty (first start), so the demo mesh is loaded');
    expect(out).toMatch(/sales\s+\d+ datasets/);

    // secure by default: the first start printed a local admin token once, with the lines to use it
    const token = /^\s+(lh_[A-Za-z0-9_-]+)$/m.exec(out)?.[1];
    expect(token).toBeDefined();
    expect(out).toContain(`OPENLINEAGE__TRANSPORT__AUTH__API_KEY=${token}`);
    expect(out).toContain(`curl -H 'Authorization: Bearer ${token}'`);
    const tokenFile = path.join(dir, 'data', 'auth', 'admin-token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect(statSync(tokenFile).mode & 0o077).toBe(0);
    expect(readFileSync(path.join(dir, 'data', 'auth', 'tokens.json'), 'utf8')).not.toContain(token!);

    const nodeId = 'dataset:postgres://orders-db.sales.internal:5432:shop.public.orders';
    const url = `${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(nodeId)}&depth=10`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer lh_not-a-token' } })).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.complete).toBe(true);
    expect(Object.keys(body.summary.byDomain).sort()).toEqual(['finance', 'marketing', 'sales']);
    expect(body.nodes.map((n: any) => n.id)).toContain('dataset:s3://acme-finance-exports:reports/board/monthly.parquet');
    expect(existsSync(path.join(dir, 'data', 'sales', 'lineage.db'))).toBe(true);
    expect(existsSync(path.join(dir, 'data', 'logs', 'gateway.log'))).toBe(true);

    // Alerts: the worker routes the demo's findings to the hub's local inbox (signed webhooks, verified there);
    // the banner counts the open alerts and names each paging root cause with where to look.
    expect(out).toMatch(/alerts\s+local inbox http:\/\/127\.0\.0\.1:\d+\/webhook/);
    const banner = /Alerts \((\d+) open: (\d+) root causes? paging, (\d+) linked to a root cause\):/.exec(out);
    expect(banner).not.toBeNull();
    const alerts = (await (await fetch(`${gatewayUrl}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } })).json()) as { alerts: any[] };
    const open = alerts.alerts.filter((a) => a.status !== 'resolved');
    const paging = open.filter((a) => a.pages);
    expect(Number(banner![1])).toBe(open.length);
    expect(Number(banner![2])).toBe(paging.length);
    expect(paging.length).toBeGreaterThan(0);
    expect(out).toMatch(/root cause first: curl .*\/api\/v1\/alerts\/al_/);
    for (const a of paging) expect(out).toMatch(new RegExp(`${a.severity}\\s+${a.kind}\\s+${a.asset.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${a.domain}`));
    // each paging alert reaches the inbox, signed and verified (poll: deliveries may still be on their way under load)
    const inboxFile = path.join(dir, 'data', 'alerts', 'inbox.jsonl');
    const delivered = () => (existsSync(inboxFile) ? readFileSync(inboxFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
    for (let i = 0; i < 600 && !paging.every((a) => delivered().some((n) => n.type === 'alert.trigger' && n.data?.id === a.id)); i++) await new Promise((r) => setTimeout(r, 100));
    for (const a of paging) expect(delivered()).toContainEqual(expect.objectContaining({ type: 'alert.trigger', data: expect.objectContaining({ id: a.id }) }));
  } finally {
    hub.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  // every child is gone: nothing answers on the gateway or a shard any more
  for (const port of [ports[0], ports[1], ports[3], ports[5]]) {
    await expect(fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  }
});

it('refuses a bad hub config with a clear message and exit code 2', async () => {
  const config = path.join(dir, 'bad.yaml');
  writeFileSync(config, 'shards:\n  - { domain: "bad domain!", port: 1, rpcPort: 1 }\n');
  const hub = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', 'hub', 'src', 'main.js'), '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  hub.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise((resolve) => hub.once('exit', resolve));
  expect({ code, err }).toEqual({ code: 2, err: expect.stringMatching(/invalid hub config .*shards\.0\.domain/) });
});

it('refuses `auth: off` while a listener is not on loopback (exit 2, naming it)', async () => {
  const config = path.join(dir, 'open.yaml');
  writeFileSync(config, ['auth: off', 'gateway: { port: 1, host: 0.0.0.0 }', 'shards:', '  - { domain: sales, port: 2, rpcPort: 3 }'].join('\n'));
  const hub = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', 'hub', 'src', 'main.js'), '--config', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  hub.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise((resolve) => hub.once('exit', resolve));
  expect({ code, err }).toEqual({ code: 2, err: expect.stringMatching(/auth: off is allowed only while every listener is on loopback.*the gateway listens on 0\.0\.0\.0/) });
});

it('names the hub config setting to change when a port it gives is in use (not only the environment variable)', async () => {
  const [shardPort, rpcPort, workerPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const busy = net.createServer();
  const gatewayPort = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as net.AddressInfo).port)));
  try {
    const config = path.join(dir, 'busy.yaml');
    writeFileSync(
      config,
      ['dataDir: busy-data', `gateway: { port: ${gatewayPort} }`, 'shards:', `  - { domain: sales, port: ${shardPort}, rpcPort: ${rpcPort}, namespaces: [airflow-sales] }`, `worker: { port: ${workerPort} }`].join('\n'),
    );
    const hub = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', 'hub', 'src', 'main.js'), '--config', config, '--empty'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    hub.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    hub.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise((resolve) => hub.once('exit', resolve));
    expect({ code, output }).toEqual({ code: 2, output: `hub: port ${gatewayPort} is already in use; stop what uses it or change \`gateway.port\` in ${config}\n` });
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});
