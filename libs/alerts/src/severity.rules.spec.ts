import { blastRadius, consumerTier, type Consumer } from './blast-radius';
import { DEFAULT_SEVERITY_RULES, severityFor, type SeverityRule } from './severity.rules';

const settings = { criticalDatasets: ['dataset:bq:fin.board_report'], criticalOwners: ['team:cfo'] };
const consumer = (id: string, domain: string, tags: string[] = [], owners: string[] = []): Consumer => ({ id: `dataset:${id}`, domains: [domain], tags, owners });
const asset = consumer('pg:sales.orders', 'sales');

describe('consumer criticality', () => {
  it.each([
    [consumer('bq:x', 'finance', ['tier:1']), { tier: 1, reason: 'tier:1' }],
    [consumer('bq:x', 'finance', ['pii', 'tier:3', 'Tier:2']), { tier: 2, reason: 'tier:2' }],
    [consumer('bq:fin.board_report', 'finance'), { tier: 1, reason: 'critical-list' }],
    [consumer('bq:y', 'finance', [], ['team:cfo']), { tier: 1, reason: 'owner:team:cfo' }],
    [consumer('bq:z', 'finance', ['gold']), null],
  ])('%j -> %j', (c, tier) => expect(consumerTier(c, settings)).toEqual(tier));
});

describe('severity from blast radius', () => {
  it.each<[string, Consumer[], string]>([
    ['a tier:1 consumer -> critical', [consumer('bq:a', 'finance', ['tier:1'])], 'critical'],
    ['a tier:2 consumer -> error', [consumer('bq:a', 'finance', ['tier:2'])], 'error'],
    ['three domains hurt -> error', [consumer('a:1', 'm'), consumer('a:2', 'f'), consumer('a:3', 'h')], 'error'],
    ['one untiered consumer -> warning', [consumer('a:1', 'm')], 'warning'],
    ['nobody downstream -> info', [], 'info'],
    ['the asset itself and jobs do not count as consumers', [asset, { id: 'job:airflow:x', domains: ['sales'] }], 'info'],
  ])('%s', (_name, consumers, severity) => {
    expect(severityFor('stale', blastRadius(asset, consumers, settings), DEFAULT_SEVERITY_RULES)).toBe(severity);
  });

  it('counts datasets per domain and lists critical consumers most critical first', () => {
    const radius = blastRadius(asset, [consumer('a:1', 'marketing', ['tier:3']), consumer('a:2', 'finance', ['tier:1']), consumer('a:3', 'finance')], settings);
    expect(radius.datasets).toBe(3);
    expect(radius.domains).toEqual({ marketing: 1, finance: 2 });
    expect(radius.critical.map((c) => c.id)).toEqual(['dataset:a:2', 'dataset:a:1']);
  });

  it('rules are configurable: first match wins, kinds narrow a rule', () => {
    const rules: SeverityRule[] = [
      { severity: 'critical', kinds: ['undeclared-delete'] },
      { severity: 'warning', minDatasets: 0 },
    ];
    const radius = blastRadius(asset, [], settings);
    expect(severityFor('undeclared-delete', radius, rules)).toBe('critical');
    expect(severityFor('stale', radius, rules)).toBe('warning');
  });
});
