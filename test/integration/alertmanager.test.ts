/**
 * The Alertmanager notifier against the real Prometheus Alertmanager (Debian package prometheus-alertmanager,
 * started here on a free port with a temp config and storage dir). Fails loudly when the binary is missing.
 * Posts a firing alert, reads it back from Alertmanager's own API (GET /api/v2/alerts), re-sends it (one alert,
 * not two), then resolves it (endsAt) and sees it gone from the active alerts.
 */
import { AlertmanagerNotifier, literalSecrets, type NotificationMessage } from '@lineage-hub/alerts';
import { sampleAlert, startAlertmanager, type RunningAlertmanager } from '@lineage-hub/alerts/testing';

jest.setTimeout(60_000);

describe('Alertmanager (real binary)', () => {
  let am: RunningAlertmanager;
  const notifier = new AlertmanagerNotifier();
  const receiver = () => ({ name: 'am', kind: 'alertmanager' as const, url: am.url });
  const message = (action: 'trigger' | 'resolve', overrides = {}): NotificationMessage => ({
    action,
    alert: sampleAlert({ openedAt: new Date(Date.now() - 60_000).toISOString(), ...overrides }),
    hubUrl: 'http://hub.example:4000',
    sentAt: new Date(),
    deliveryId: 'dl_1',
  });
  const active = async () => (await (await fetch(`${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`)).json()) as any[];

  beforeAll(async () => {
    am = await startAlertmanager();
  });
  afterAll(async () => {
    await am?.stop();
  });

  it('accepts the alert, shows it with our labels, annotations and generatorURL', async () => {
    expect(await notifier.send(receiver(), message('trigger'), literalSecrets)).toMatchObject({ outcome: 'delivered', status: 200 });
    const alerts = await active();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).toMatchObject({ alertname: 'stale', severity: 'critical', domain: 'sales', alert_id: 'al_0123456789abcdef0123' });
    expect(alerts[0].annotations.affected).toContain('finance: dataset:bigquery:fin.ledger.revenue');
    expect(alerts[0].generatorURL).toBe('http://hub.example:4000/api/v1/alerts/al_0123456789abcdef0123');
    expect(alerts[0].status.state).toBe('active');
    // Without endsAt, Alertmanager keeps it only for its resolve_timeout: the end lies in the future.
    expect(Date.parse(alerts[0].endsAt)).toBeGreaterThan(Date.now());
  });

  it('a re-send while active is the same alert (same labels, one fingerprint), its end pushed out', async () => {
    const before = (await active())[0];
    await new Promise((r) => setTimeout(r, 1100));
    expect(await notifier.send(receiver(), message('trigger'), literalSecrets)).toMatchObject({ outcome: 'delivered' });
    const after = await active();
    expect(after).toHaveLength(1);
    expect(after[0].fingerprint).toBe(before.fingerprint);
    expect(Date.parse(after[0].endsAt)).toBeGreaterThan(Date.parse(before.endsAt));
  });

  it('resolve (endsAt) takes it off the active alerts', async () => {
    expect(await notifier.send(receiver(), message('resolve', { resolvedAt: new Date().toISOString(), status: 'resolved' }), literalSecrets)).toMatchObject({ outcome: 'delivered' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await active()).toEqual([]);
  });

  it('answers a malformed alert with a 4xx, which is a permanent rejection', async () => {
    const res = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"annotations":{}}]' });
    expect(res.status).toBe(422);
  });
});
