/**
 * A worker process killed (SIGKILL) while a receiver is answering slowly, and another started: every
 * notification is delivered, none lost; a notification in flight at the kill may reach the receiver twice,
 * always with the same webhook-id (what a Standard Webhooks receiver dedupes on), never as a new one.
 * Real worker processes, real Redis, the alert store in a SQLite file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateWebhookSecret } from '@lineage-hub/alerts';
import { FakeReceivers, sampleFinding } from '@lineage-hub/alerts/testing';
import { FakeGateway } from '../../apps/worker/src/alerts/testing/fake-gateway.server';
import { spawnWorker, type WorkerProcess } from '../../apps/worker/src/testing/worker-process';
import { dropPrefix, http, TEST_REDIS_URL, uniquePrefix, waitFor } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(120_000);

const ALERTS = 6;

describe('a worker killed mid-delivery', () => {
  const prefix = uniquePrefix('alerts-kill');
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-alerts-kill-'));
  const secret = generateWebhookSecret();
  let receivers: FakeReceivers;
  let gateway: FakeGateway;
  const workers: WorkerProcess[] = [];

  const spawn = async () => {
    const worker = await spawnWorker({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONNECTORS_FILE: '/nonexistent/connectors.yaml',
      ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`,
      ALERTS_FILE: path.join(dir, 'alerts.yaml'),
      GATEWAY_URL: gateway.url,
      ALERTS_BACKOFF_MS: '200',
      RUN_LOCK_MS: '2000',
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    receivers = await new FakeReceivers({ hook: secret }).start();
    gateway = await new FakeGateway().start();
    writeFileSync(path.join(dir, 'alerts.yaml'), `receivers:\n  - { name: hook, kind: webhook, url: ${receivers.url}/webhook/hook, secret: ${secret} }\ndefaultReceiver: hook\nsettings: { groupWait: 0s }\n`);
    gateway.findings = Array.from({ length: ALERTS }, (_, i) => sampleFinding(`k-${i}`, `dataset:postgres://ops:5432:ops.public.t${i}`, 'ops'));
  });

  afterAll(async () => {
    for (const w of workers) await w.kill();
    await receivers?.stop();
    await gateway?.stop();
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every notification after the kill, repeats only under the same webhook-id', async () => {
    receivers.delayMs = 1500;
    const first = await spawn();
    expect((await http('POST', `${first.url}/api/v1/alerts/evaluate`)).body.deliveries).toBe(ALERTS);
    await waitFor(async () => receivers.arrived >= 1, 20_000, 'a delivery in flight');
    await first.kill('SIGKILL');
    receivers.delayMs = 0;
    const second = await spawn();
    // The delivery log says delivered for every alert (the one in flight is picked up again once its lock expires).
    const statuses = async () => {
      const alerts = (await http('GET', `${second.url}/api/v1/alerts`)).body.alerts as Array<{ id: string }>;
      const details = await Promise.all(alerts.map(async (a) => (await http('GET', `${second.url}/api/v1/alerts/${a.id}`)).body));
      return details.flatMap((d) => d.deliveries.map((x: { status: string }) => x.status));
    };
    await waitFor(async () => {
      const all = await statuses();
      return all.length === ALERTS && all.every((s) => s === 'delivered');
    }, 40_000, 'every delivery logged as delivered');
    const accepted = receivers.accepted('/webhook/');
    const ids = accepted.map((r) => r.headers['webhook-id'] as string);
    expect(new Set(ids).size).toBe(ALERTS);
    // Only what was in flight at the kill (at most the worker's concurrency) can come twice, under its own id.
    expect(accepted.length - ALERTS).toBeLessThanOrEqual(4);
  });
});
