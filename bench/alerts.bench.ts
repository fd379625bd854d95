/**
 * `npm run bench:alerts`: alerting under a storm, against a baseline in the same run.
 * 1. Storm: one broken upstream and 9,999 stale consumers across 5 domains (10,000 findings) arrive in 10 waves
 *    (a minute of findings, one evaluation per wave, as the worker's interval would see them). Counted: the
 *    notifications the receivers got, and the grouping ratio findings / notifications.
 * 2. Latency: 40 independent findings, each visible at the gateway at t0; the worker evaluates on its interval
 *    (ALERTS_INTERVAL_MS below) and delivers a signed webhook. Measured: receiver arrival - t0, p50/p99, beside a
 *    direct signed HTTP POST of the same size to the same receiver.
 * Real Redis (REDIS_URL or 127.0.0.1:6379) and BullMQ, the alert store in a temp SQLite file, findings and impact
 * over HTTP from a gateway stand-in. Prints only what this run measured.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generateWebhookSecret, webhookHeaders } from '@lineage-hub/alerts';
import { FakeReceivers, sampleFinding } from '@lineage-hub/alerts/testing';
import { FakeGateway } from '../apps/worker/src/alerts/testing/fake-gateway.server';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../apps/worker/src/testing/worker-test-kit';
import { startWorker } from '../apps/worker/src/worker-app';

const DOMAINS = ['marketing', 'finance', 'ops', 'risk', 'product'];
const STORM = 10_000;
const WAVES = 10;
const LATENCY_SAMPLES = 40;
const INTERVAL_MS = 250;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const main = async () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-alerts-bench-'));
  const prefix = uniquePrefix('bench-alerts');
  const secret = generateWebhookSecret();
  const receivers = await new FakeReceivers({ hook: secret }).start();
  const gateway = await new FakeGateway().start();
  const root = 'dataset:postgres://sales-db:5432:sales.public.orders';
  gateway.dataset({ id: root, domain: 'sales' });
  const downstream: string[] = [];
  for (let i = 0; i < STORM - 1; i++) {
    const domain = DOMAINS[i % DOMAINS.length];
    const id = `dataset:bigquery:${domain}.mart.t${i}`;
    downstream.push(id);
    gateway.dataset({ id, domain, tags: i % 500 === 0 ? ['tier:1'] : [] });
    const job = `job:dbt:${domain}.build_${i % 100}`;
    if (i < 100) gateway.edge(root, job);
    gateway.edge(job, id);
  }
  writeFileSync(
    path.join(dir, 'alerts.yaml'),
    `receivers:\n  - { name: hook, kind: webhook, url: ${receivers.url}/webhook/hook, secret: ${secret} }\ndefaultReceiver: hook\nsettings: { groupWait: 0s, groupInterval: 5m }\n`,
  );
  const worker = await startWorker(
    workerTestConfig({
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'error',
      ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`,
      ALERTS_FILE: path.join(dir, 'alerts.yaml'),
      GATEWAY_URL: gateway.url,
      ALERTS_INTERVAL_MS: '0',
    }),
  );
  const loadStart = loadavg();
  try {
    // 1. Storm
    const all = [sampleFinding('storm-root', root, 'sales'), ...downstream.map((id, i) => sampleFinding(`storm-${i}`, id, DOMAINS[i % DOMAINS.length]))];
    const stormStart = Date.now();
    let evaluationMs = 0;
    for (let w = 1; w <= WAVES; w++) {
      gateway.findings = all.slice(0, Math.round((all.length * w) / WAVES));
      const t = Date.now();
      const res = await http('POST', `${worker.url}/api/v1/alerts/evaluate`);
      if (res.status !== 200) throw new Error(`evaluate: ${res.status} ${JSON.stringify(res.body)}`);
      evaluationMs += Date.now() - t;
      log(`wave ${w}: ${gateway.findings.length} findings, ${res.body.notifications.length} notification(s), ${Date.now() - t} ms`);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const stormNotifications = receivers.accepted('/webhook/').length;
    const alerts = (await http('GET', `${worker.url}/api/v1/alerts?status=firing`)).body.alerts as Array<{ pages: boolean }>;
    const storm = {
      findings: all.length,
      waves: WAVES,
      notifications: stormNotifications,
      groupingRatio: Math.round(all.length / Math.max(1, stormNotifications)),
      alertsTracked: alerts.length,
      alertsPaging: alerts.filter((a) => a.pages).length,
      evaluationMsPerWave: Math.round(evaluationMs / WAVES),
      wallMs: Date.now() - stormStart,
    };

    // 2. Latency: finding visible -> webhook delivered, with the worker evaluating on its own interval.
    await worker.close();
    const latencyWorker = await startWorker(
      workerTestConfig({
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        LOG_LEVEL: 'error',
        ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`,
        ALERTS_FILE: path.join(dir, 'alerts.yaml'),
        GATEWAY_URL: gateway.url,
        ALERTS_INTERVAL_MS: String(INTERVAL_MS),
      }),
    );
    gateway.findings = [];
    await new Promise((r) => setTimeout(r, 1000));
    const viaHub: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const id = `dataset:postgres://lat:5432:lat.public.t${i}`;
      gateway.dataset({ id, domain: 'ops' });
      const before = receivers.accepted('/webhook/').length;
      const t0 = Date.now();
      gateway.findings = [...gateway.findings, sampleFinding(`lat-${i}`, id, 'ops')];
      const got = await waitFor(async () => receivers.accepted('/webhook/').slice(before).find((r) => r.body?.data?.asset === id), 30_000, `delivery ${i}`);
      viaHub.push(got.at - t0);
    }
    await latencyWorker.close();
    const body = JSON.stringify({ type: 'alert.trigger', timestamp: new Date().toISOString(), data: receivers.accepted('/webhook/').at(-1)!.body.data });
    const direct: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const t0 = Date.now();
      const res = await fetch(`${receivers.url}/webhook/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...webhookHeaders(secret, `direct_${i}`, Math.floor(t0 / 1000), body) }, body });
      await res.text();
      direct.push(Date.now() - t0);
    }
    const latency = {
      samples: LATENCY_SAMPLES,
      evaluationIntervalMs: INTERVAL_MS,
      findingToDeliveredMs: { p50: quantile(viaHub, 0.5), p99: quantile(viaHub, 0.99) },
      directPostMs: { p50: quantile(direct, 0.5), p99: quantile(direct, 0.99) },
    };
    process.stdout.write(`${JSON.stringify({ machine: { cores: cpus().length, node: process.version, loadAverage: { start: loadStart, end: loadavg() } }, storm, latency }, null, 2)}\n`);
  } finally {
    await worker.close().catch(() => undefined);
    await receivers.stop();
    await gateway.stop();
    await dropPrefix(prefix, redisUrl);
    rmSync(dir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
