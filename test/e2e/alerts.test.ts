/**
 * Alerts end to end with real processes: three shards (sales, marketing, finance; SQLite), the gateway, the
 * worker (Redis for BullMQ), the real Prometheus Alertmanager and a PagerDuty Events v2 fake that checks every
 * event against the vendor's format. Nothing is stubbed between them: the shards find staleness with their
 * freshness policies on their own schedule, the gateway federates findings and the upstream/downstream
 * traversal across the domains, and the worker groups, sizes, routes and delivers.
 *
 * A planted upstream table in sales goes stale; its consumers in marketing (tier:2) and finance (tier:1) go
 * stale because of it. Exactly one alert pages, at PagerDuty and at Alertmanager, naming the root cause and the
 * affected datasets in both domains, critical because a tier:1 consumer is hurt. Fresh data arrives: the alert
 * resolves at both (PagerDuty `resolve` with the same dedup_key; Alertmanager gets endsAt and drops it).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeReceivers, startAlertmanager, type RunningAlertmanager } from '@lineage-hub/alerts/testing';
import { dropPrefix, http, TEST_REDIS_URL, uniquePrefix, waitFor } from '../../apps/worker/src/testing/worker-test-kit';
import { freePort } from '../testing/hub-kit';
import { type AppProcess, startNode } from '../testing/process-kit';

jest.setTimeout(240_000);

const PD_KEY = 'R0E2E456789ABCDEF0123456789ABCDE';
const H = 3_600_000;
const PRODUCER = 'https://github.com/apache/airflow/tree/providers-openlineage/1.14.0';

const PG = 'postgres://orders-db.sales.internal:5432';
const BQ = 'bigquery';
const RS = 'redshift://finance.us-east-1:5439';
const A = { namespace: PG, name: 'sales.public.orders' };
const B = { namespace: BQ, name: 'acme-marketing.attribution.channel_orders' };
const C = { namespace: RS, name: 'finance.public.revenue' };
const id = (d: { namespace: string; name: string }) => `dataset:${d.namespace}:${d.name}`;

const NAMESPACE_DOMAINS = `airflow-sales=sales,${PG}=sales,spark-marketing=marketing,${BQ}=marketing,airflow-finance=finance,redshift://*=finance`;
const DOMAINS = ['sales', 'marketing', 'finance'];

const facet = (name: string, body: Record<string, unknown>) => ({
  _producer: PRODUCER,
  _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json#/$defs/${name}`,
  ...body,
});
const tier = (n: number) => ({ tags: facet('TagsDatasetFacet', { tags: [{ key: 'tier', value: String(n), source: 'CONFIG' }] }) });

interface JobSpec {
  namespace: string;
  name: string;
  inputs: Array<{ namespace: string; name: string }>;
  output: { namespace: string; name: string; facets?: Record<string, unknown> };
}
const JOBS: JobSpec[] = [
  { namespace: 'airflow-sales', name: 'orders.load', inputs: [], output: A },
  { namespace: 'spark-marketing', name: 'attribution.channel_orders', inputs: [A], output: { ...B, facets: tier(2) } },
  {
    namespace: 'airflow-finance',
    name: 'revenue.daily',
    inputs: [B],
    output: { ...C, facets: { ...tier(1), ownership: facet('OwnershipDatasetFacet', { owners: [{ name: 'team:finance', type: 'TEAM' }] }) } },
  },
];

/** One run of each job, upstream first, the first at `at` and each consumer 5 minutes later: START + COMPLETE. */
const runsAt = (at: number) =>
  JOBS.flatMap((job, i) => {
    const runId = randomUUID();
    const event = (eventType: string, time: number) => ({
      eventType,
      eventTime: new Date(time).toISOString(),
      producer: PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId, facets: {} },
      job: { namespace: job.namespace, name: job.name, facets: {} },
      inputs: job.inputs.map((d) => ({ namespace: d.namespace, name: d.name, facets: {} })),
      outputs: [{ namespace: job.output.namespace, name: job.output.name, facets: job.output.facets ?? {} }],
    });
    const start = at + i * 5 * 60_000;
    return [event('START', start), event('COMPLETE', start + 60_000)];
  });

describe('alerts end to end: shards, gateway, worker, Alertmanager, PagerDuty', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lh-alerts-e2e-'));
  const prefix = uniquePrefix('alerts-e2e');
  const procs: ChildProcess[] = [];
  let pagerduty: FakeReceivers;
  let am: RunningAlertmanager;
  let gatewayUrl: string;
  let workerUrl: string;

  const launch = (entry: string, env: Record<string, string>) => {
    const proc: AppProcess = startNode(entry, env);
    procs.push(proc.child);
    return proc;
  };
  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  const pd = () => pagerduty.accepted('/v2/enqueue').map((r) => r.body);
  const amAlerts = async () => (await (await fetch(`${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`)).json()) as any[];
  const alerts = async (query = '') => {
    const res = await http('GET', `${gatewayUrl}/api/v1/alerts${query}`);
    expect(res.status).toBe(200);
    return res.body.alerts as any[];
  };

  beforeAll(async () => {
    pagerduty = await new FakeReceivers().start();
    am = await startAlertmanager();
    const policies = path.join(dir, 'freshness.yaml');
    writeFileSync(policies, `policies:\n${DOMAINS.map((d) => `  - { domain: ${d}, warnAfter: 1h }`).join('\n')}\n`);
    const rpc: Record<string, number> = {};
    await Promise.all(
      DOMAINS.map(async (domain) => {
        const shard = launch('apps/shard/src/main.js', {
          PORT: '0',
          RPC_PORT: '0',
          RPC_HOST: '127.0.0.1',
          SHARD_DOMAIN: domain,
          STORE_URL: `sqlite:${path.join(dir, domain, 'lineage.db')}`,
          FRESHNESS_FILE: policies,
          FINDINGS_INTERVAL_MS: '500',
          REDIS_URL: '',
        });
        rpc[domain] = (await shard.waitFor((l) => l.msg === 'shard started')).rpcPort;
      }),
    );
    const workerPort = await freePort();
    const gateway = launch('apps/gateway/src/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${rpc[d]}`).join(','),
      NAMESPACE_DOMAINS,
      FILTER_REFRESH_MS: '200',
      WORKER_URL: `http://127.0.0.1:${workerPort}`,
      REDIS_URL: '',
    });
    gatewayUrl = (await gateway.waitFor((l) => l.msg === 'gateway listening')).url;

    const routes = path.join(dir, 'alerts.yaml');
    writeFileSync(
      routes,
      [
        'receivers:',
        `  - { name: pd, kind: pagerduty, url: ${pagerduty.url}/v2/enqueue, routingKey: ${PD_KEY} }`,
        `  - { name: am, kind: alertmanager, url: ${am.url} }`,
        'routes:',
        '  - match: { severity: [critical, error] }',
        '    receivers: [pd, am]',
        'defaultReceiver: am',
        // The shards evaluate on their own clocks: a new alert waits 10 s for its root cause before paging.
        'settings: { groupWait: 10s, flapWindow: 0s, repeatInterval: 4h, alertmanagerResend: 1h }',
        '',
      ].join('\n'),
    );
    const worker = launch('apps/worker/src/main.js', {
      PORT: String(workerPort),
      HOST: '127.0.0.1',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      CONNECTORS_FILE: path.join(dir, 'no-connectors.yaml'),
      DATA_DIR: dir,
      ALERTS_STORE_URL: `sqlite:${path.join(dir, 'worker', 'alerts.db')}`,
      ALERTS_FILE: routes,
      GATEWAY_URL: gatewayUrl,
      ALERTS_INTERVAL_MS: '500',
      ALERTS_BACKOFF_MS: '200',
      ALERTS_BACKOFF_MAX_MS: '1000',
    });
    workerUrl = (await worker.waitFor((l) => l.msg === 'worker listening')).url;
  });

  afterAll(async () => {
    for (const child of procs) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(procs.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await am?.stop();
    await pagerduty?.stop();
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('one stale upstream, stale consumers in two other domains: one page naming root and affected, severity from tiers; fresh data resolves it everywhere', async () => {
    // Three hours ago the pipeline ran once, upstream first; the policies expect an update every hour.
    const planted = await post(`${gatewayUrl}/api/v1/lineage/batch`, runsAt(Date.now() - 3 * H));
    expect(planted.status).toBe(200);

    // Each shard finds its own table stale.
    await waitFor(
      async () => {
        const res = await http('GET', `${gatewayUrl}/api/v1/findings?status=open&kind=stale`);
        const found = new Set<string>((res.body?.findings ?? []).map((f: any) => `${f.domain}|${f.dataset}`));
        return found.has(`sales|${id(A)}`) && found.has(`marketing|${id(B)}`) && found.has(`finance|${id(C)}`);
      },
      60_000,
      'stale findings in all three domains, federated by the gateway',
    );

    // The page: after the group wait, once, at PagerDuty and at Alertmanager.
    await waitFor(async () => pd().length >= 1 && (await amAlerts()).length >= 1, 90_000, 'the page at PagerDuty and Alertmanager');
    const firing = await waitFor(
      async () => {
        const list = await alerts('?status=firing');
        return list.length === 3 ? list : null;
      },
      30_000,
      'three firing alerts (root and two linked)',
    );
    const root = firing.find((a) => a.asset === id(A));
    expect(root).toMatchObject({ kind: 'stale', domain: 'sales', severity: 'critical', pages: true, rootAlertId: null });
    for (const linked of firing.filter((a) => a !== root)) expect(linked).toMatchObject({ pages: false, rootAlertId: root.id });
    expect(firing.filter((a) => a.pages)).toEqual([root]);

    const [page] = pd();
    expect(page).toMatchObject({
      routing_key: PD_KEY,
      event_action: 'trigger',
      dedup_key: root.id,
      payload: { severity: 'critical', source: id(A), group: 'sales', class: 'stale' },
    });
    expect(page.payload.summary).toContain(id(A));
    expect(page.payload.custom_details.affected).toEqual({ marketing: [id(B)], finance: [id(C)] });
    expect(page.payload.custom_details.blast_radius).toMatchObject({ datasets: 2, domains: { marketing: 1, finance: 1 } });
    expect(page.payload.custom_details.blast_radius.critical).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: id(C), reason: 'tier:1' }), expect.objectContaining({ id: id(B), reason: 'tier:2' })]),
    );
    expect(page.links).toEqual(expect.arrayContaining([expect.objectContaining({ href: expect.stringContaining(`/api/v1/alerts/${root.id}`) })]));

    const [amAlert] = await amAlerts();
    expect(amAlert.labels).toMatchObject({ alertname: 'stale', severity: 'critical', domain: 'sales', asset: id(A), alert_id: root.id });
    expect(amAlert.annotations.affected).toContain(`marketing: ${id(B)}`);
    expect(amAlert.annotations.affected).toContain(`finance: ${id(C)}`);
    expect(Date.parse(amAlert.endsAt)).toBeGreaterThan(Date.now());

    // Still exactly one page after several more evaluations (poll the worker's evaluation count, no fixed sleep).
    const evaluations = async () => {
      const text = (await http('GET', `${workerUrl}/metrics`)).body as string;
      return [...text.matchAll(/^lh_alert_evaluations_total\{result="complete"\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const seen = await evaluations();
    await waitFor(async () => (await evaluations()) >= seen + 4, 60_000, 'four more alert evaluations');
    expect(pd()).toHaveLength(1);
    expect(await amAlerts()).toHaveLength(1);

    // The root's detail through the gateway: root cause, affected in both domains, deliveries.
    const detail = await http('GET', `${gatewayUrl}/api/v1/alerts/${root.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.rootCause).toMatchObject({ asset: id(A), domain: 'sales' });
    expect(detail.body.affected.map((a: any) => [a.domain, a.asset]).sort()).toEqual([
      ['finance', id(C)],
      ['marketing', id(B)],
    ]);
    expect(detail.body.deliveries.map((d: any) => [d.receiver, d.action, d.status]).sort()).toEqual([
      ['am', 'trigger', 'delivered'],
      ['pd', 'trigger', 'delivered'],
    ]);

    // Fresh data arrives (the pipeline runs again, upstream first): the alert resolves at every receiver.
    const fresh = await post(`${gatewayUrl}/api/v1/lineage/batch`, runsAt(Date.now() - 11 * 60_000));
    expect(fresh.status).toBe(200);
    await waitFor(async () => pd().some((e) => e.event_action === 'resolve') && (await amAlerts()).length === 0, 90_000, 'the resolve at PagerDuty and Alertmanager');
    expect(pd()).toEqual([page, { routing_key: PD_KEY, event_action: 'resolve', dedup_key: page.dedup_key }]);
    await waitFor(async () => (await alerts('?status=firing')).length === 0, 30_000, 'no firing alerts left');
    const resolved = await http('GET', `${gatewayUrl}/api/v1/alerts/${root.id}`);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect(resolved.body.deliveries.filter((d: any) => d.action === 'resolve').map((d: any) => [d.receiver, d.status]).sort()).toEqual([
      ['am', 'delivered'],
      ['pd', 'delivered'],
    ]);
  });
});
