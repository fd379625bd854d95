/**
 * Repeat interval, acknowledgement and silences in the running worker (real Redis/BullMQ, SQLite alert store),
 * against the PagerDuty Events v2 fake, with a short repeat interval: a firing alert re-notifies once the
 * interval has passed and not before; acknowledging it stops the repeats; a silence keeps a new alert quiet until
 * it expires, then the page goes out. Findings come from a gateway stand-in; evaluation is on demand, and the
 * times compared are the worker's own (each alert's lastNotifiedAt), so load cannot make the test lie.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeReceivers, sampleFinding } from '@lineage-hub/alerts/testing';
import { FakeGateway } from '../../apps/worker/src/alerts/testing/fake-gateway.server';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(180_000);

const PD_KEY = 'R0REPEAT56789ABCDEF0123456789ABC';
const REPEAT_MS = 8_000;
const X = 'dataset:postgres://ops:5432:ops.public.repeat_x';
const Y = 'dataset:postgres://ops:5432:ops.public.silenced_y';

describe('repeat interval, ack and silences in the worker', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-alerts-repeat-'));
  const prefix = uniquePrefix('alerts-repeat');
  let receivers: FakeReceivers;
  let gateway: FakeGateway;
  let worker: RunningWorker;

  const evaluate = async () => {
    const res = await http('POST', `${worker.url}/api/v1/alerts/evaluate`);
    expect(res.status).toBe(200);
    return res.body.notifications as Array<{ alertId: string; action: string; reason: string }>;
  };
  const alertOf = async (asset: string) => (await http('GET', `${worker.url}/api/v1/alerts`)).body.alerts.find((a: any) => a.asset === asset);
  const pdFor = (alertId: string) => receivers.accepted('/v2/enqueue').map((r) => r.body).filter((b) => b.dedup_key === alertId);
  /** Waits (polling the clock, no fixed sleep) until the worker's clock is past the alert's last page + ms. */
  const passed = (since: string, ms: number) => waitFor(async () => Date.now() > Date.parse(since) + ms, ms + 30_000, `${ms} ms after ${since}`);

  beforeAll(async () => {
    receivers = await new FakeReceivers().start();
    gateway = await new FakeGateway().start();
    gateway.dataset({ id: X, domain: 'ops', tags: ['tier:1'] }).dataset({ id: Y, domain: 'ops', tags: ['tier:1'] });
    const file = path.join(dir, 'alerts.yaml');
    writeFileSync(
      file,
      `receivers:\n  - { name: pd, kind: pagerduty, url: ${receivers.url}/v2/enqueue, routingKey: ${PD_KEY} }\n` +
        `defaultReceiver: pd\nsettings: { groupWait: 0s, flapWindow: 0s, repeatInterval: ${REPEAT_MS / 1000}s }\n`,
    );
    worker = await startWorker(
      workerTestConfig({ REDIS_PREFIX: prefix, ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`, ALERTS_FILE: file, GATEWAY_URL: gateway.url, ALERTS_BACKOFF_MS: '200' }),
    );
  });

  afterAll(async () => {
    await worker?.close();
    await receivers?.stop();
    await gateway?.stop();
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-notifies a firing alert after the repeat interval and not before; acknowledged, it stops repeating', async () => {
    gateway.findings = [sampleFinding('r-x', X, 'ops')];
    expect(await evaluate()).toEqual([expect.objectContaining({ action: 'trigger', reason: 'new' })]);
    const first = await alertOf(X);
    await waitFor(async () => pdFor(first.id).length === 1, 20_000, 'the first page');

    // Before the interval: evaluations send nothing (each checked against the worker's own clock).
    let quiet = 0;
    let lastQuietStart = 0;
    let repeat: Array<{ action: string; reason: string }> = [];
    while (repeat.length === 0) {
      const start = Date.now();
      repeat = await evaluate();
      if (repeat.length > 0) break;
      [quiet, lastQuietStart] = [quiet + 1, start];
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(quiet).toBeGreaterThan(0);
    // The evaluation that repeated was the first one past the interval: the quiet ones all began before it ended.
    expect(lastQuietStart).toBeLessThan(Date.parse(first.lastNotifiedAt) + REPEAT_MS);
    expect(repeat).toEqual([{ alertId: first.id, action: 'trigger', reason: 'repeat' }]);
    const second = await alertOf(X);
    expect(Date.parse(second.lastNotifiedAt) - Date.parse(first.lastNotifiedAt)).toBeGreaterThanOrEqual(REPEAT_MS);
    await waitFor(async () => pdFor(first.id).length === 2, 20_000, 'the repeated page');
    expect(pdFor(first.id).map((b) => b.event_action)).toEqual(['trigger', 'trigger']);

    // Acknowledged: PagerDuty hears `acknowledge`; past another interval nothing repeats.
    expect((await http('POST', `${worker.url}/api/v1/alerts/${first.id}/ack`, { by: 'oncall' })).body).toMatchObject({ status: 'acknowledged' });
    await waitFor(async () => pdFor(first.id).length === 3, 20_000, 'the acknowledge event');
    await passed(second.lastNotifiedAt, REPEAT_MS + 500);
    expect(await evaluate()).toEqual([]);
    expect(pdFor(first.id).map((b) => b.event_action)).toEqual(['trigger', 'trigger', 'acknowledge']);
    expect(await alertOf(X)).toMatchObject({ status: 'acknowledged', lastNotifiedAt: second.lastNotifiedAt });
  });

  it('a silence keeps a new alert quiet until it expires; then it pages', async () => {
    const endsAt = new Date(Date.now() + 6_000).toISOString();
    const silence = await http('POST', `${worker.url}/api/v1/silences`, { matchers: [{ name: 'asset', value: Y }], endsAt, createdBy: 'oncall', comment: 'backfill' });
    expect(silence.status).toBe(201);
    gateway.findings = [...gateway.findings, sampleFinding('r-y', Y, 'ops')];
    expect(await evaluate()).toEqual([]);
    const muted = await alertOf(Y);
    expect(muted).toMatchObject({ status: 'firing', silencedBy: [silence.body.id], lastNotifiedAt: null });
    expect((await http('GET', `${worker.url}/api/v1/silences?state=active`)).body.silences.map((s: any) => s.id)).toContain(silence.body.id);

    await waitFor(async () => Date.now() > Date.parse(endsAt) + 200, 30_000, 'the silence to expire');
    expect((await http('GET', `${worker.url}/api/v1/silences?state=expired`)).body.silences.map((s: any) => s.id)).toContain(silence.body.id);
    expect(await evaluate()).toEqual([{ alertId: muted.id, action: 'trigger', reason: 'new' }]);
    await waitFor(async () => pdFor(muted.id).length === 1, 20_000, 'the page after the silence');
    expect(await alertOf(Y)).toMatchObject({ silencedBy: [] });
  });
});
