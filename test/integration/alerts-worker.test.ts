/**
 * Alerting in the worker, with real Redis (BullMQ), a real SQLite alert store, the real Prometheus
 * Alertmanager, and vendor-format fakes for PagerDuty and a Standard Webhooks receiver; findings and impact
 * come over HTTP from a gateway stand-in. One upstream goes stale and its consumers in two other domains
 * follow: one alert pages, naming the root and the affected datasets, with severity from their tiers; the
 * condition clears and the alert resolves at every receiver. A receiver down, then back: every notification
 * delivered once, in order; a worker restart with Redis state lost: nothing lost.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateWebhookSecret } from '@lineage-hub/alerts';
import { FakeReceivers, sampleFinding, startAlertmanager, type RunningAlertmanager } from '@lineage-hub/alerts/testing';
import { FakeGateway } from '../../apps/worker/src/alerts/testing/fake-gateway.server';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(120_000);

const PD_KEY = 'R0123456789ABCDEF0123456789ABCDE';
const A = 'dataset:postgres://sales-db:5432:sales.public.orders';
const B = 'dataset:snowflake://acme:MKT.PUBLIC.CAMPAIGN_ORDERS';
const C = 'dataset:bigquery:fin.ledger.revenue';
const D = 'dataset:bigquery:fin.ledger.forecast';

describe('alerts in the worker', () => {
  const secret = generateWebhookSecret();
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-alerts-'));
  const prefixes: string[] = [];
  let receivers: FakeReceivers;
  let gateway: FakeGateway;
  let am: RunningAlertmanager;
  let worker: RunningWorker;

  const routesYaml = () => `
receivers:
  - { name: pd, kind: pagerduty, url: ${receivers.url}/v2/enqueue, routingKey: ${PD_KEY} }
  - { name: am, kind: alertmanager, url: ${am.url} }
  - { name: hook, kind: webhook, url: ${receivers.url}/webhook/hook, secret: ${secret} }
routes:
  - match: { severity: [critical, error] }
    receivers: [pd, am, hook]
defaultReceiver: hook
settings: { groupWait: 0s, flapWindow: 0s, repeatInterval: 4h, alertmanagerResend: 1h }
`;

  const start = async () => {
    const prefix = uniquePrefix('alerts');
    prefixes.push(prefix);
    const file = path.join(dir, 'alerts.yaml');
    writeFileSync(file, routesYaml());
    worker = await startWorker(
      workerTestConfig({
        REDIS_PREFIX: prefix,
        ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`,
        ALERTS_FILE: file,
        GATEWAY_URL: gateway.url,
        HUB_URL: 'http://hub.example:4000',
        ALERTS_BACKOFF_MS: '200',
        ALERTS_BACKOFF_MAX_MS: '800',
        RUN_LOCK_MS: '3000',
      }),
    );
  };
  const evaluate = async () => {
    const res = await http('POST', `${worker.url}/api/v1/alerts/evaluate`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const pd = () => receivers.accepted('/v2/enqueue').map((r) => r.body);
  const amActive = async () => (await (await fetch(`${am.url}/api/v2/alerts?active=true`)).json()) as any[];

  beforeAll(async () => {
    receivers = await new FakeReceivers({ hook: secret }).start();
    am = await startAlertmanager();
    gateway = await new FakeGateway().start();
    gateway
      .dataset({ id: A, domain: 'sales' })
      .dataset({ id: B, domain: 'marketing', tags: ['tier:2'] })
      .dataset({ id: C, domain: 'finance', tags: ['tier:1'], owners: ['team:finance'] })
      .dataset({ id: D, domain: 'finance' })
      .edge(A, 'job:airflow:mkt.load')
      .edge('job:airflow:mkt.load', B)
      .edge(B, 'job:dbt:fin.revenue')
      .edge('job:dbt:fin.revenue', C)
      .edge(C, D);
    await start();
  });

  afterAll(async () => {
    await worker?.close();
    await am?.stop();
    await receivers?.stop();
    await gateway?.stop();
    for (const p of prefixes) await dropPrefix(p);
    rmSync(dir, { recursive: true, force: true });
  });

  it('one stale upstream and stale consumers in two other domains: exactly one page, naming root and affected, severity from tiers', async () => {
    gateway.findings = [sampleFinding('f-a', A, 'sales'), sampleFinding('f-b', B, 'marketing'), sampleFinding('f-c', C, 'finance'), sampleFinding('f-d', D, 'finance')];
    const result = await evaluate();
    expect(result.notifications).toHaveLength(1);
    await waitFor(async () => pd().length >= 1 && (await amActive()).length >= 1 && receivers.accepted('/webhook/').length >= 1, 20_000, 'the page at PagerDuty, Alertmanager and the webhook');
    await new Promise((r) => setTimeout(r, 500));
    const pages = pd();
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ event_action: 'trigger', routing_key: PD_KEY, payload: { severity: 'critical', source: A, group: 'sales', class: 'stale' } });
    expect(pages[0].payload.custom_details.affected).toEqual({ marketing: [B], finance: [D, C].sort() });
    expect(pages[0].payload.custom_details.blast_radius.critical[0]).toMatchObject({ id: C, reason: 'tier:1' });
    const amAlerts = await amActive();
    expect(amAlerts).toHaveLength(1);
    expect(amAlerts[0].labels).toMatchObject({ alertname: 'stale', severity: 'critical', asset: A });
    expect(amAlerts[0].annotations.affected).toContain(`marketing: ${B}`);

    const list = await http('GET', `${worker.url}/api/v1/alerts?status=firing`);
    expect(list.body.alerts).toHaveLength(4);
    const root = list.body.alerts.find((a: any) => a.asset === A);
    expect(list.body.alerts.filter((a: any) => a.pages)).toEqual([root]);
    for (const linked of list.body.alerts.filter((a: any) => a.asset !== A)) expect(linked.rootAlertId).toBe(root.id);

    const detail = await http('GET', `${worker.url}/api/v1/alerts/${root.id}`);
    expect(detail.body.blastRadius).toMatchObject({ datasets: 3, domains: { marketing: 1, finance: 2 } });
    expect(detail.body.deliveries.map((d: any) => [d.receiver, d.action, d.status])).toEqual(
      expect.arrayContaining([
        ['pd', 'trigger', 'delivered'],
        ['am', 'trigger', 'delivered'],
        ['hook', 'trigger', 'delivered'],
      ]),
    );
    expect(detail.body.deliveries[0].attemptLog[0]).toMatchObject({ attempt: 1, outcome: 'delivered' });

    // Evaluating again with nothing changed sends nothing.
    expect((await evaluate()).notifications).toEqual([]);

    // Fresh data arrives: everything resolves, the receivers hear it once.
    gateway.findings = gateway.findings.map((f) => ({ ...f, status: 'resolved' as const }));
    const resolved = await evaluate();
    expect(resolved.notifications).toEqual([{ alertId: root.id, action: 'resolve', reason: 'resolved' }]);
    await waitFor(async () => pd().length === 2 && (await amActive()).length === 0, 20_000, 'resolve at PagerDuty and Alertmanager');
    expect(pd()[1]).toEqual({ routing_key: PD_KEY, event_action: 'resolve', dedup_key: pages[0].dedup_key });
    expect((await http('GET', `${worker.url}/api/v1/alerts?status=firing`)).body.alerts).toEqual([]);
  });

  it('a receiver down, then back: every notification delivered once, in order per alert, none lost', async () => {
    await receivers.stop();
    const roots = ['x1', 'x2', 'x3'].map((n) => `dataset:postgres://ops:5432:ops.public.${n}`);
    for (const id of roots) gateway.dataset({ id, domain: 'ops', tags: ['tier:1'] });
    gateway.findings = roots.map((id, i) => sampleFinding(`g-${i}`, id, 'ops'));
    await evaluate();
    // x1 clears while the receiver is still down: its trigger and resolve both wait, in that order.
    gateway.findings = gateway.findings.map((f) => (f.id === 'g-0' ? { ...f, status: 'resolved' as const } : f));
    await evaluate();
    await new Promise((r) => setTimeout(r, 2500));
    const before = receivers.accepted('/v2/enqueue').length;
    await receivers.start();
    // Three triggers and one resolve, nothing more, nothing twice.
    await waitFor(async () => receivers.accepted('/v2/enqueue').length >= before + 4, 30_000, 'the queued PagerDuty events');
    await new Promise((r) => setTimeout(r, 1000));
    const events = receivers.accepted('/v2/enqueue').slice(before).map((r) => `${r.body.dedup_key}|${r.body.event_action}`);
    expect(events).toHaveLength(4);
    expect(new Set(events).size).toBe(4);
    const resolvedKey = events.find((e) => e.endsWith('|resolve'))!.split('|')[0];
    expect(events.filter((e) => e.startsWith(`${resolvedKey}|`))).toEqual([`${resolvedKey}|trigger`, `${resolvedKey}|resolve`]);
    expect(events.filter((e) => e.endsWith('|trigger'))).toHaveLength(3);
    // The webhook receiver got each notification once (its webhook-id is the delivery id).
    const hookIds = receivers.accepted('/webhook/').map((r) => r.headers['webhook-id']);
    expect(new Set(hookIds).size).toBe(hookIds.length);
  });

  it('a worker restart with its Redis state lost: pending deliveries still go out, state kept', async () => {
    await receivers.stop();
    const root = 'dataset:postgres://ops:5432:ops.public.y1';
    gateway.dataset({ id: root, domain: 'ops', tags: ['tier:1'] });
    gateway.findings = [...gateway.findings, sampleFinding('h-1', root, 'ops')];
    await evaluate();
    const alertsBefore = (await http('GET', `${worker.url}/api/v1/alerts`)).body.alerts.length;
    await worker.close();
    await dropPrefix(prefixes[prefixes.length - 1]);
    await receivers.start();
    await start();
    expect((await http('GET', `${worker.url}/api/v1/alerts`)).body.alerts).toHaveLength(alertsBefore);
    await waitFor(async () => pd().some((b) => b.payload?.source === root), 20_000, 'the delivery queued before the restart');
    expect(pd().filter((b) => b.payload?.source === root)).toHaveLength(1);
  });

  it('acknowledge sends PagerDuty acknowledge with the same key; silences mute new alerts', async () => {
    const root = 'dataset:postgres://ops:5432:ops.public.y1';
    const alert = (await http('GET', `${worker.url}/api/v1/alerts?status=firing`)).body.alerts.find((a: any) => a.asset === root);
    const ack = await http('POST', `${worker.url}/api/v1/alerts/${alert.id}/ack`, { by: 'ana' });
    expect(ack).toMatchObject({ status: 200, body: { status: 'acknowledged', acknowledgedBy: 'ana' } });
    await waitFor(async () => pd().some((b) => b.event_action === 'acknowledge'), 20_000, 'the acknowledge event');
    expect(pd().find((b) => b.event_action === 'acknowledge').dedup_key).toBe(alert.id);

    const silence = await http('POST', `${worker.url}/api/v1/silences`, {
      matchers: [{ name: 'asset', value: 'dataset:postgres://ops:5432:ops.public.z9' }],
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'ana',
      comment: 'backfill running',
    });
    expect(silence.status).toBe(201);
    const muted = 'dataset:postgres://ops:5432:ops.public.z9';
    gateway.dataset({ id: muted, domain: 'ops', tags: ['tier:1'] });
    gateway.findings = [...gateway.findings, sampleFinding('z-9', muted, 'ops')];
    const result = await evaluate();
    expect(result.notifications).toEqual([]);
    const listed = (await http('GET', `${worker.url}/api/v1/alerts`)).body.alerts.find((a: any) => a.asset === muted);
    expect(listed.silencedBy).toEqual([silence.body.id]);
    expect((await http('DELETE', `${worker.url}/api/v1/silences/${silence.body.id}`)).status).toBe(204);
    expect((await evaluate()).notifications).toEqual([expect.objectContaining({ alertId: listed.id, action: 'trigger', reason: 'new' })]);
  });

  it.each([
    ['PUT', '/api/v1/alert-routes', 'routes[0].receivers[0]', { routes: [{ receivers: ['ghost'] }] }],
    ['PUT', '/api/v1/alert-routes', 'receivers[0].routingKey', { receivers: [{ name: 'x', kind: 'pagerduty', url: 'http://x' }] }],
    ['POST', '/api/v1/silences', 'matchers[0].name', { matchers: [{ name: 'colour', value: 'x' }], endsAt: '2099-01-01T00:00:00Z', createdBy: 'a', comment: 'b' }],
    ['POST', '/api/v1/silences', 'endsAt', { matchers: [{ name: 'domain', value: 'x' }], endsAt: '2000-01-01T00:00:00Z', createdBy: 'a', comment: 'b' }],
    ['GET', '/api/v1/alerts?status=burning', 'status', undefined],
  ])('%s %s with a bad field is a 400 naming %s, nothing applied', async (method, url, field, body) => {
    const before = (await http('GET', `${worker.url}/api/v1/alert-routes`)).body;
    const res = await http(method, `${worker.url}${url}`, body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect((await http('GET', `${worker.url}/api/v1/alert-routes`)).body).toEqual(before);
  });

  it('tests a receiver, 404s unknown ones, and exposes alert metrics', async () => {
    expect(await http('POST', `${worker.url}/api/v1/receivers/hook/test`)).toMatchObject({ status: 200, body: { outcome: 'delivered' } });
    expect((await http('POST', `${worker.url}/api/v1/receivers/nope/test`)).status).toBe(404);
    expect((await http('GET', `${worker.url}/api/v1/alerts/al_nope`)).status).toBe(404);
    receivers.failNext({ status: 400, body: 'invalid_payload' });
    expect((await http('POST', `${worker.url}/api/v1/receivers/hook/test`)).body).toMatchObject({ outcome: 'rejected', status: 400 });
    const metrics = (await http('GET', `${worker.url}/metrics`)).body as string;
    expect(metrics).toMatch(/lh_alerts\{state="firing",severity="critical"\} \d+/);
    expect(metrics).toMatch(/lh_alert_deliveries_total\{receiver_kind="pagerduty",outcome="delivered"\} \d+/);
    expect(metrics).toMatch(/lh_alert_delivery_latency_seconds_count\{receiver_kind="pagerduty"\} \d+/);
  });
});
