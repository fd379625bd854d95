/**
 * No configured secret reaches a log. `npm start` (the hub: gateway, a shard, the worker and its private
 * redis-server, authentication on) at LOG_LEVEL=debug, with every kind of secret in use: the local admin token, a
 * minted writer token, a mistyped token presented by a client, the service credential, the redaction key, the
 * connector secrets key, a connector password given literally (stored sealed) and one given as an allow-listed
 * environment reference (in the connectors file and over the API), both connectors run against a vendor that refuses
 * them. Then every process's log (stdout and stderr, <dataDir>/logs/*.log) and the hub's own output are searched
 * for every secret; the one sanctioned appearance is the admin token in the hub's first-start banner.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, type HubProcess, startHub } from '../testing/hub-kit';

jest.setTimeout(300_000);

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

describe('npm start: no configured secret in any log', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lineage-secrets-logs-'));
  const envPassword = secret('env-password');
  const literalPassword = secret('literal-password');
  const fileEnvPassword = secret('file-env-password');
  let hub: HubProcess | undefined;

  afterAll(async () => {
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the hub with every kind of secret in use and finds none of them in any log', async () => {
    const [gatewayPort, shardPort, rpcPort, workerPort, vendorPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const config = path.join(dir, 'hub.yaml');
    writeFileSync(
      config,
      ['dataDir: data', `gateway: { port: ${gatewayPort} }`, 'shards:', `  - { domain: sales, port: ${shardPort}, rpcPort: ${rpcPort}, namespaces: [airflow-sales, "redshift://*"] }`, `worker: { port: ${workerPort} }`].join('\n'),
    );
    const connectorsFile = path.join(dir, 'connectors.yaml');
    const vendor = { host: '127.0.0.1', port: vendorPort, database: 'dev', user: 'lineage_reader', clusterIdentifier: 'analytics', region: 'us-east-1' };
    writeFileSync(
      connectorsFile,
      JSON.stringify({ connectors: [{ id: 'from-file', kind: 'redshift', domain: 'sales', schedule: { every: '1h' }, rateLimit: { requestsPerSecond: 5 }, enabled: true, settings: { ...vendor, password: { env: 'LINEAGE_SECRET_E2E_FILE_PW' } } }] }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'debug', CONNECTORS_FILE: connectorsFile, LINEAGE_SECRET_E2E_PW: envPassword, LINEAGE_SECRET_E2E_FILE_PW: fileEnvPassword, RUN_ATTEMPTS: '1' };
    delete env.REDIS_URL;
    hub = await startHub(['--config', config, '--empty'], env);

    const auth = path.join(dir, 'data', 'auth');
    const read = (name: string) => readFileSync(path.join(auth, name), 'utf8').trim();
    const adminToken = read('admin-token');
    const secrets: Record<string, string> = {
      'admin token': adminToken,
      'service credential': read('service-token'),
      'redaction key': read('redaction.key'),
      'connector secrets key': read('secrets.key'),
      'connector password (env reference, API)': envPassword,
      'connector password (env reference, file)': fileEnvPassword,
      'connector password (literal, sealed)': literalPassword,
    };
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const call = async (method: string, p: string, body?: unknown, token = adminToken, type = 'application/json') => {
      const res = await fetch(`${gateway}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text };
    };

    // tokens: a writer minted through the API, used to ingest; a mistyped one presented by a client
    const minted = await call('POST', '/api/v1/tokens', { name: 'airflow', owner: 'data-eng', roles: ['writer'], domains: ['sales'] });
    expect(minted.status).toBe(201);
    secrets['minted writer token'] = JSON.parse(minted.text).token;
    secrets['mistyped token'] = `${secrets['minted writer token'].slice(0, -4)}XXXX`;
    const event = {
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      producer: 'https://example.com/secrets-e2e',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '5ec7e700-0000-4000-8000-000000000001' },
      job: { namespace: 'airflow-sales', name: 'orders' },
      inputs: [{ namespace: 'redshift://analytics', name: 'dev.public.orders' }],
      outputs: [],
    };
    expect((await call('POST', '/api/v1/lineage', event, secrets['minted writer token'])).status).toBeLessThan(300);
    expect((await call('POST', '/api/v1/lineage', event, secrets['mistyped token'])).status).toBe(401);
    expect((await call('GET', '/api/v1/impact?nodeId=dataset:x:y', undefined, secrets['mistyped token'])).status).toBe(401);

    // connectors: a literal password (sealed at rest) and an allow-listed environment reference, both run
    const connector = (id: string, password: unknown) => ({ id, kind: 'redshift', domain: 'sales', schedule: { every: '1h' }, rateLimit: { requestsPerSecond: 5 }, enabled: true, settings: { ...vendor, password } });
    expect((await call('POST', '/api/v1/connectors', connector('literal', literalPassword))).status).toBe(201);
    expect((await call('POST', '/api/v1/connectors', connector('env-ref', { env: 'LINEAGE_SECRET_E2E_PW' }))).status).toBe(201);
    const refused = await call('POST', '/api/v1/connectors', connector('not-allowed', { env: 'PATH' }));
    expect(refused.status).toBe(400);
    for (const id of ['literal', 'env-ref', 'from-file']) expect((await call('POST', `/api/v1/connectors/${id}/runs`)).status).toBe(202);
    // every run reaches the vendor (nothing listens there) and is recorded as failed
    const deadline = Date.now() + 120_000;
    for (const id of ['literal', 'env-ref', 'from-file']) {
      for (;;) {
        const runs = JSON.parse((await call('GET', `/api/v1/connectors/${id}/runs`)).text).runs as Array<{ state: string }>;
        if (runs.some((r) => r.state === 'failed')) break;
        if (Date.now() > deadline) throw new Error(`connector ${id}: no failed run in 120 s: ${JSON.stringify(runs)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (const [name, value] of Object.entries(secrets)) {
      for (const text of [(await call('GET', '/api/v1/connectors')).text, (await call('GET', '/api/v1/connectors/literal/runs')).text]) {
        expect({ name, found: text.includes(value) }).toEqual({ name, found: false });
      }
    }

    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);

    const logDir = path.join(dir, 'data', 'logs');
    const logs = readdirSync(logDir).map((file) => ({ file, text: readFileSync(path.join(logDir, file), 'utf8') }));
    expect(logs.map((l) => l.file).sort()).toEqual(expect.arrayContaining(['gateway.log', 'shard-sales.log', 'worker.log']));
    for (const file of ['gateway.log', 'shard-sales.log', 'worker.log']) expect(logs.find((l) => l.file === file)!.text.length).toBeGreaterThan(1000);
    expect(logs.find((l) => l.file === 'worker.log')!.text).toMatch(/from-file|literal|env-ref/); // the runs were logged
    // the hub's own output: the admin token is printed once on purpose, in the first-start banner (3 lines)
    const banner = (line: string) => line.trim() === adminToken || line.includes("-H 'Authorization: Bearer") || line.includes('AUTH__API_KEY=');
    const hubOut = hub.out();
    expect(hubOut.split('\n').filter((line) => line.includes(adminToken)).every(banner)).toBe(true);
    const places = [...logs, { file: 'hub output', text: hubOut.split('\n').filter((line) => !banner(line)).join('\n') }];
    const found = Object.entries(secrets).flatMap(([name, value]) => places.filter((p) => p.text.includes(value)).map((p) => `${name} in ${p.file}`));
    expect(found).toEqual([]);
  });
});
