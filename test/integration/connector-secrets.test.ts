/**
 * Connector secrets are write-only: a literal secret setting is stored sealed (AES-256-GCM, LINEAGE_SECRETS_KEY)
 * in Redis, every answer shows it masked, a PUT that sends the mask back keeps it, a run still gets the real value,
 * and neither the run's error (a vendor that echoes the credential) nor any log line carries it. Without the key a
 * literal secret is refused naming the field. Real Redis; the vendor is a local HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import IORedis from 'ioredis';
import { JsonLogger } from '@lineage-hub/common';
import { CONNECTOR_FACTORIES } from '../../apps/worker/src/connector-registry';
import { fakeVendorConnectorFactory, FAKE_VENDOR_KIND } from '../../apps/worker/src/testing/fake-vendor.connector';
import { dropPrefix, http, TEST_REDIS_URL, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';

jest.setTimeout(60_000);

const SECRET = `hunter2-${Math.random().toString(36).slice(2, 10)}`;

describe('connector secrets: write-only, encrypted at rest, never in an answer or a log line', () => {
  const prefix = uniquePrefix('secrets');
  const logged: string[] = [];
  const received: string[] = [];
  let worker: RunningWorker;
  let vendor: Server;
  let vendorUrl: string;

  beforeAll(async () => {
    // a vendor that refuses the credential and echoes it back in its error body
    vendor = createServer((req, res) => {
      received.push(String(req.headers.authorization));
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`bad credential: ${req.headers.authorization}`);
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
    const sink = new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) });
    worker = await startWorker(
      workerTestConfig({ REDIS_PREFIX: prefix, SHARDS: 'sales=127.0.0.1:9', LINEAGE_SECRETS_KEY: 'k'.repeat(40), LOG_LEVEL: 'log', RUN_ATTEMPTS: '1' }),
      { factories: [...CONNECTOR_FACTORIES, fakeVendorConnectorFactory], logger: new JsonLogger('worker', sink, 'log') },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await new Promise((r) => vendor?.close(r));
    await dropPrefix(prefix);
  });

  const connector = (token: unknown) => ({
    id: 'vendor-a',
    kind: FAKE_VENDOR_KIND,
    domain: 'sales',
    schedule: { every: '1h' },
    rateLimit: { requestsPerSecond: 50 },
    settings: { baseUrl: vendorUrl, account: 'acme', token },
  });

  it('stores the secret sealed, answers it masked, keeps it on a masked PUT, and scrubs it from errors and logs', async () => {
    const answers: unknown[] = [];
    const created = await http('POST', `${worker.url}/api/v1/connectors`, connector(SECRET));
    expect(created.status).toBe(201);
    expect(created.body.settings.token).toBe('********');
    answers.push(created.body);

    const redis = new IORedis(TEST_REDIS_URL);
    const stored = await redis.hget(`${prefix}:connectors`, 'vendor-a');
    redis.disconnect();
    expect(stored).not.toContain(SECRET);
    expect(JSON.parse(stored!).settings.token.sealed).toMatch(/^v1:/);

    const replaced = await http('PUT', `${worker.url}/api/v1/connectors/vendor-a`, { ...connector('********'), description: 'masked secret sent back' });
    expect(replaced.status).toBe(200);
    answers.push(replaced.body);

    const run = await http('POST', `${worker.url}/api/v1/connectors/vendor-a/runs`);
    expect(run.status).toBeLessThan(300);
    const failed = await waitFor(async () => {
      const { body } = await http('GET', `${worker.url}/api/v1/connectors/vendor-a/runs`);
      return body.runs.find((r: any) => r.state === 'failed');
    }, 30_000, 'the run to fail on the vendor refusal');
    // the run got the real secret (decrypted), and its recorded error does not carry it
    expect(received).toContain(`Bearer ${SECRET}`);
    expect(failed.error.message).toContain('********');
    for (const path of ['/api/v1/connectors', '/api/v1/connectors/vendor-a', '/api/v1/connectors/vendor-a/runs', '/api/v1/connectors/vendor-a/cursor']) answers.push((await http('GET', `${worker.url}${path}`)).body);
    const bad = await http('PUT', `${worker.url}/api/v1/connectors/vendor-a`, { ...connector(SECRET), schedule: { every: 'soon' } });
    expect(bad.status).toBe(400);
    answers.push(bad.body);

    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(SECRET);
    await new Promise((r) => setTimeout(r, 200));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.includes(SECRET))).toEqual([]);
  });

  it('refuses a literal secret when the worker has no LINEAGE_SECRETS_KEY, naming the field', async () => {
    const keyless = await startWorker(workerTestConfig({ REDIS_PREFIX: `${prefix}-nokey`, SHARDS: 'sales=127.0.0.1:9' }), { factories: [...CONNECTOR_FACTORIES, fakeVendorConnectorFactory] });
    try {
      const refused = await http('POST', `${keyless.url}/api/v1/connectors`, { ...connector(SECRET), id: 'vendor-b' });
      expect(refused.status).toBe(400);
      expect(refused.body.field).toBe('settings.token');
      expect(JSON.stringify(refused.body)).not.toContain(SECRET);
      expect((await http('GET', `${keyless.url}/api/v1/connectors`)).body.connectors).toEqual([]);
    } finally {
      await keyless.close();
      await dropPrefix(`${prefix}-nokey`);
    }
  });
});
