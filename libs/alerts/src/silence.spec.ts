import { parseSilence, silencedBy } from './silence';
import { sampleAlert } from './testing/alert.fixture';

const now = new Date('2026-01-05T06:00:00Z');
const valid = { matchers: [{ name: 'domain', value: 'sales' }], endsAt: '2026-01-05T08:00:00Z', createdBy: 'ana', comment: 'maintenance window' };

describe('silences', () => {
  it.each([
    [{ ...valid, matchers: [] }, 'matchers'],
    [{ ...valid, matchers: [{ name: 'colour', value: 'x' }] }, 'matchers[0].name'],
    [{ ...valid, matchers: [{ name: 'domain', value: '' }] }, 'matchers[0].value'],
    [{ ...valid, matchers: [{ name: 'domain', value: '(', isRegex: true }] }, 'matchers[0].value'],
    [{ ...valid, endsAt: 'tomorrow' }, 'endsAt'],
    [{ ...valid, endsAt: '2026-01-05T05:00:00Z' }, 'endsAt'],
    [{ ...valid, startsAt: '2026-01-05T09:00:00Z' }, 'endsAt'],
    [{ ...valid, createdBy: ' ' }, 'createdBy'],
    [{ matchers: valid.matchers, endsAt: valid.endsAt, createdBy: 'ana' }, 'comment'],
    [{ ...valid, extra: 1 }, '(root)'],
  ])('refuses %j naming %s', (input, field) => {
    expect(() => parseSilence(input, now)).toThrow(expect.objectContaining({ code: 'invalid-argument', field }));
  });

  const alert = sampleAlert({ domain: 'sales', severity: 'warning', tags: ['tier:2', 'pii'] });
  it.each([
    ['equal matcher', [{ name: 'domain', value: 'sales' }], true],
    ['all matchers must hold', [{ name: 'domain', value: 'sales' }, { name: 'severity', value: 'critical' }], false],
    ['regex anchored on the whole value', [{ name: 'alertname', value: 'sta', isRegex: true }], false],
    ['regex', [{ name: 'alertname', value: 'sta.*', isRegex: true }], true],
    ['multi-valued tag', [{ name: 'tag', value: 'pii' }], true],
    ['not equal', [{ name: 'domain', value: 'sales', isEqual: false }], false],
  ])('%s', (_name, matchers, muted) => {
    const silence = parseSilence({ ...valid, matchers }, now);
    expect(silencedBy(alert, [silence], now)).toEqual(muted ? [silence.id] : []);
  });

  it('is active only between startsAt and endsAt', () => {
    const silence = parseSilence({ ...valid, startsAt: '2026-01-05T07:00:00Z' }, now);
    expect(silencedBy(alert, [silence], now)).toEqual([]);
    expect(silencedBy(alert, [silence], new Date('2026-01-05T07:30:00Z'))).toEqual([silence.id]);
    expect(silencedBy(alert, [silence], new Date('2026-01-05T08:00:00Z'))).toEqual([]);
  });
});
