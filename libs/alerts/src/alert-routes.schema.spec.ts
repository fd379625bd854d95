import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAlertRoutes, parseAlertRoutesYaml } from './alert-routes.schema';
import { routeAlert } from './alert.router';
import { sampleAlert } from './testing/alert.fixture';

const YAML = `
receivers:
  - { name: pd, kind: pagerduty, routingKey: { env: PD_KEY } }
  - { name: slack-fin, kind: slack, url: https://hooks.slack.com/services/T/B/x }
  - { name: hook, kind: webhook, url: http://127.0.0.1:9/hook, secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw }
  - { name: am, kind: alertmanager, url: http://127.0.0.1:9093 }
routes:
  - match: { severity: [critical] }
    receivers: [pd, am]
    continue: true
  - match: { domain: finance }
    receivers: [slack-fin]
  - match: { tag: pii, owner: team:sec }
    receivers: [hook]
  - match: { namespace: "snowflake://*", kind: [undeclared-write] }
    receivers: [hook]
domainReceivers: { marketing: hook }
defaultReceiver: am
settings: { repeatInterval: 2h, flapWindow: 90s }
`;

describe('alert routes document', () => {
  const routes = parseAlertRoutesYaml(YAML);

  it('reads durations and defaults', () => {
    expect(routes.settings.repeatInterval).toBe(7_200_000);
    expect(routes.settings.flapWindow).toBe(90_000);
    expect(routes.settings.downstream).toBe('link');
    expect(routes.receivers.find((r) => r.name === 'pd')).toMatchObject({ url: 'https://events.pagerduty.com/v2/enqueue', ratePerMinute: 120 });
  });

  it.each([
    ['critical in finance: pd + am, then finance slack (continue)', { severity: 'critical', domain: 'finance' }, ['pd', 'am', 'slack-fin']],
    ['error in finance', { severity: 'error', domain: 'finance' }, ['slack-fin']],
    ['tag and owner both must match', { severity: 'warning', domain: 'sales', tags: ['pii'], owners: ['team:sec'] }, ['hook']],
    ['tag without owner falls through to the default', { severity: 'warning', domain: 'sales', tags: ['pii'], owners: [] }, ['am']],
    ['namespace glob and kind', { severity: 'info', domain: 'sales', namespace: 'snowflake://acme', kind: 'undeclared-write' }, ['hook']],
    ['domain default receiver', { severity: 'info', domain: 'marketing' }, ['hook']],
    ['global default', { severity: 'info', domain: 'ops' }, ['am']],
  ])('%s', (_name, overrides, receivers) => {
    expect(routeAlert(sampleAlert({ tags: [], owners: [], ...(overrides as object) }), routes)).toEqual(receivers);
  });

  it.each([
    [{ routes: [{ receivers: ['nope'] }] }, 'routes[0].receivers[0]'],
    [{ receivers: [{ name: 'a', kind: 'smtp', url: 'http://x' }] }, 'receivers[0].kind'],
    [{ receivers: [{ name: 'a', kind: 'slack', url: 'not a url' }] }, 'receivers[0].url'],
    [{ receivers: [{ name: 'a', kind: 'pagerduty' }] }, 'receivers[0].routingKey'],
    [{ receivers: [{ name: 'a', kind: 'slack', url: 'http://x' }, { name: 'a', kind: 'slack', url: 'http://y' }] }, 'receivers[1].name'],
    [{ routes: [{ match: { severity: 'urgent' }, receivers: [] }] }, 'routes[0].match.severity'],
    [{ routes: [{ match: { colour: 'red' }, receivers: ['x'] }] }, 'routes[0].match'],
    [{ domainReceivers: { sales: 'ghost' } }, 'domainReceivers.sales'],
    [{ defaultReceiver: 'ghost' }, 'defaultReceiver'],
    [{ settings: { repeatInterval: 'often' } }, 'settings.repeatInterval'],
    [{ settings: { severityRules: [{ severity: 'bad' }] } }, 'settings.severityRules[0].severity'],
  ])('refuses %j naming %s', (doc, field) => {
    expect(() => parseAlertRoutes(doc)).toThrow(expect.objectContaining({ code: 'invalid-argument', field }));
  });

  it('names the YAML syntax error', () => {
    expect(() => parseAlertRoutesYaml('routes: [')).toThrow(expect.objectContaining({ field: '(yaml)' }));
  });
});

describe('config/alerts.example.yaml', () => {
  it('is a valid routes document', () => {
    const text = readFileSync(path.join(__dirname, '../../../config/alerts.example.yaml'), 'utf8');
    const doc = parseAlertRoutesYaml(text);
    expect(doc.receivers.map((r) => r.kind).sort()).toEqual(['alertmanager', 'pagerduty', 'slack', 'webhook']);
    expect(doc.settings.groupInterval).toBe(300_000);
  });
});
