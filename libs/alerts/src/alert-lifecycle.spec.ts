import type { Alert, Severity } from './alert.types';
import { acknowledgeAlert, advanceAlerts, type AlertCandidate } from './alert-lifecycle';
import { alertKey } from './alert-key';
import type { FindingGroup } from './root-cause.grouper';
import { parseSilence } from './silence';
import { sampleFinding } from './testing/alert.fixture';

const A = 'dataset:pg:sales.orders';
const settings = { repeatIntervalMs: 4 * 3_600_000, flapWindowMs: 5 * 60_000 };
const t = (minutes: number) => new Date(Date.parse('2026-01-05T06:00:00Z') + minutes * 60_000);

const candidate = (overrides: { severity?: Severity; findings?: string[]; affected?: string[]; rootKey?: string | null; pages?: boolean; asset?: string } = {}): AlertCandidate => {
  const asset = overrides.asset ?? A;
  const group: FindingGroup = {
    key: alertKey('stale', asset, 'default'),
    kind: 'stale',
    asset,
    rule: 'default',
    domain: 'sales',
    findings: (overrides.findings ?? ['f1']).map((id) => sampleFinding(id, asset, 'sales')),
    rootKey: overrides.rootKey ?? null,
    affected: (overrides.affected ?? []).map((a, i) => ({ asset: a, domain: 'finance', findingId: `d${i}`, kind: 'stale' })),
  };
  return { group, severity: overrides.severity ?? 'warning', blastRadius: { datasets: 0, domains: {}, critical: [], complete: true }, tags: [], owners: [], pages: overrides.pages ?? true };
};

/** Runs evaluations in sequence, keeping the stored state, and returns the actions notified at each step. */
const run = (steps: Array<[number, AlertCandidate[]]>, silences = [] as ReturnType<typeof parseSilence>[], using: typeof settings & { groupWaitMs?: number } = settings) => {
  let stored: Alert[] = [];
  const notified: string[][] = [];
  for (const [minute, candidates] of steps) {
    const { changed, notifications } = advanceAlerts(stored, candidates, silences, t(minute), using);
    const byId = new Map(stored.map((a) => [a.id, a]));
    for (const a of changed) byId.set(a.id, a);
    stored = [...byId.values()];
    notified.push(notifications.map((n) => `${n.action}:${n.reason}`));
  }
  return { stored, notified };
};

describe('alert lifecycle', () => {
  it.each<[string, Array<[number, AlertCandidate[]]>, string[][]]>([
    ['new -> trigger once, then quiet', [[0, [candidate()]], [1, [candidate()]], [2, [candidate()]]], [['trigger:new'], [], []]],
    ['repeat interval re-notifies', [[0, [candidate()]], [239, [candidate()]], [240, [candidate()]]], [['trigger:new'], [], ['trigger:repeat']]],
    ['severity change re-notifies', [[0, [candidate()]], [1, [candidate({ severity: 'critical' })]]], [['trigger:new'], ['trigger:severity-changed']]],
    ['evidence change re-notifies', [[0, [candidate()]], [1, [candidate({ affected: ['dataset:bq:fin.x'] })]]], [['trigger:new'], ['trigger:evidence-changed']]],
    ['cleared -> held for the flap window, then resolve', [[0, [candidate()]], [1, []], [5, []], [6, []], [7, []]], [['trigger:new'], [], [], ['resolve:resolved'], []]],
    ['flapping within the window stays one alert, no notification', [[0, [candidate()]], [1, []], [3, [candidate()]], [4, []], [20, []]], [['trigger:new'], [], [], [], ['resolve:resolved']]],
    ['returns after resolution: a new trigger', [[0, [candidate()]], [1, []], [10, []], [30, [candidate()]]], [['trigger:new'], [], ['resolve:resolved'], ['trigger:new']]],
    ['linked downstream alert never pages', [[0, [candidate({ pages: false, rootKey: 'stale|x|default' })]], [1, []], [10, []]], [[], [], []]],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps).notified).toEqual(expected);
  });

  it('group wait: a downstream domain reporting first is linked to the root that arrives within the wait; only the root pages', () => {
    const B = 'dataset:bq:mkt.attribution';
    const rootKey = alertKey('stale', A, 'default');
    const downstreamAlone = candidate({ asset: B });
    const downstreamLinked = candidate({ asset: B, pages: false, rootKey });
    const root = candidate({ affected: [B] });
    const { notified, stored } = run(
      [
        [0, [downstreamAlone]],
        [0.25, [downstreamLinked, root]],
        [0.5, [downstreamLinked, root]],
        [0.75, [downstreamLinked, root]],
        [2, [downstreamLinked, root]],
      ],
      [],
      { ...settings, groupWaitMs: 30_000 },
    );
    expect(notified).toEqual([[], [], [], ['trigger:new'], []]);
    expect(stored.find((a) => a.asset === A)!.lastNotifiedAt).toBe(t(0.75).toISOString());
    expect(stored.find((a) => a.asset === B)!.lastNotifiedAt).toBeNull();
  });

  it('group wait: the root clearing first (recovery runs upstream first) does not page its downstream alert left alone for a moment', () => {
    const B = 'dataset:bq:mkt.attribution';
    const linked = candidate({ asset: B, pages: false, rootKey: alertKey('stale', A, 'default') });
    const root = candidate({ affected: [B] });
    const { notified } = run(
      [
        [0, [linked, root]],
        [1, [linked, root]],
        [2, [candidate({ asset: B })]],
        [2.25, []],
        [10, []],
      ],
      [],
      { ...settings, flapWindowMs: 0, groupWaitMs: 30_000 },
    );
    expect(notified).toEqual([[], ['trigger:new'], ['resolve:resolved'], [], []]);
  });

  it('evidence growing in a storm re-notifies at most once per group interval; severity at once', () => {
    const grouped = { ...settings, groupIntervalMs: 5 * 60_000 };
    let stored: Alert[] = [];
    const sent: string[] = [];
    for (let minute = 0; minute < 12; minute++) {
      const severity = minute >= 11 ? 'critical' : 'warning';
      const affected = Array.from({ length: minute + 1 }, (_, i) => `dataset:bq:fin.t${i}`);
      const { changed, notifications } = advanceAlerts(stored, [candidate({ affected, severity })], [], t(minute), grouped);
      stored = changed.length ? changed : stored;
      sent.push(...notifications.map((n) => `${minute}:${n.reason}`));
    }
    expect(sent).toEqual(['0:new', '5:evidence-changed', '10:evidence-changed', '11:severity-changed']);
  });

  it('counts flaps and keeps openedAt across a flap', () => {
    const { stored } = run([[0, [candidate()]], [1, []], [3, [candidate()]]]);
    expect(stored[0]).toMatchObject({ status: 'firing', flaps: 1, openedAt: t(0).toISOString(), clearingSince: null });
  });

  it('resolvedAt is when the condition cleared, not when the flap window ended', () => {
    const { stored } = run([[0, [candidate()]], [1, []], [7, []]]);
    expect(stored[0]).toMatchObject({ status: 'resolved', resolvedAt: t(1).toISOString() });
  });

  it('a silence mutes; when it ends the pending trigger goes out', () => {
    const silence = parseSilence({ matchers: [{ name: 'domain', value: 'sales' }], endsAt: t(30).toISOString(), createdBy: 'ana', comment: 'deploy' }, t(0));
    const { notified, stored } = run([[0, [candidate()]], [10, [candidate()]], [31, [candidate()]]], [silence]);
    expect(notified).toEqual([[], [], ['trigger:new']]);
    expect(stored[0].silencedBy).toEqual([]);
  });

  it('a silenced alert that was never sent resolves quietly', () => {
    const silence = parseSilence({ matchers: [{ name: 'alertname', value: 'stale' }], endsAt: t(60).toISOString(), createdBy: 'ana', comment: 'known' }, t(0));
    expect(run([[0, [candidate()]], [1, []], [10, []]], [silence]).notified).toEqual([[], [], []]);
  });

  it('acknowledged: acknowledge is sent, repeats stop, severity change fires again', () => {
    const first = advanceAlerts([], [candidate()], [], t(0), settings);
    const ack = acknowledgeAlert(first.changed[0], 'ana', t(1));
    expect(ack.notifications).toEqual([{ alertId: first.changed[0].id, action: 'acknowledge', reason: 'acknowledged' }]);
    expect(ack.changed[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana' });
    expect(advanceAlerts(ack.changed, [candidate()], [], t(600), settings).notifications).toEqual([]);
    expect(advanceAlerts(ack.changed, [candidate({ affected: ['dataset:x:y'] })], [], t(2), settings).notifications).toEqual([]);
    const worse = advanceAlerts(ack.changed, [candidate({ severity: 'critical' })], [], t(2), settings);
    expect(worse.notifications).toEqual([{ alertId: first.changed[0].id, action: 'trigger', reason: 'severity-changed' }]);
    expect(worse.changed[0].status).toBe('firing');
  });

  it('acknowledging a resolved or acknowledged alert changes nothing', () => {
    const { stored } = run([[0, [candidate()]], [1, []], [10, []]]);
    expect(acknowledgeAlert(stored[0], 'ana', t(11))).toEqual({ changed: [], notifications: [] });
  });

  it('the id is stable for the key', () => {
    const one = advanceAlerts([], [candidate()], [], t(0), settings).changed[0];
    const two = advanceAlerts([], [candidate()], [], t(9), settings).changed[0];
    expect(one.id).toBe(two.id);
    expect(one.id).toMatch(/^al_[0-9a-f]{20}$/);
  });
});
