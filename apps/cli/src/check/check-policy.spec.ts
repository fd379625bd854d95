import { EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN } from '../cli-io';
import type { ChangeImpact, Consumer } from './change-impact';
import { type CheckPolicy, verdict, violations } from './check-policy';
import { githubAnnotations, markdownReport, sarifReport } from './check-report';

const consumer = (id: string, domain: string, tier?: string): Consumer => ({ id, type: 'DATASET', domains: [domain], distance: 1, columns: ['amount'], owners: ['team:' + domain], tags: [], tier });
const impact = (kind: any, consumers: Consumer[], extra: Partial<ChangeImpact> = {}): ChangeImpact => ({
  change: { kind, dataset: 'dataset:n:orders', column: 'amount', file: 'm.sql', line: 3 },
  queried: 'datasetField:n:orders:amount',
  consumers,
  complete: true,
  missingDomains: [],
  truncated: false,
  coverageGaps: [],
  ...extra,
});
const policy = (p: Partial<CheckPolicy> = {}): CheckPolicy => ({ failOn: 'breaking', protectedTiers: [], protectedDomains: [], ...p });

describe('the gate verdict', () => {
  it('fails a breaking change with consumers, passes one with none or an additive change', () => {
    expect(verdict([impact('column-dropped', [consumer('dataset:x:a', 'finance')])], policy())).toBe(EXIT_FAILED);
    expect(verdict([impact('column-dropped', [])], policy())).toBe(EXIT_OK);
    expect(verdict([impact('column-added', [consumer('dataset:x:a', 'finance')])], policy())).toBe(EXIT_OK);
    expect(verdict([impact('column-added', [consumer('dataset:x:a', 'finance')])], policy({ failOn: 'any' }))).toBe(EXIT_FAILED);
    expect(verdict([impact('column-dropped', [consumer('dataset:x:a', 'finance')])], policy({ failOn: 'none' }))).toBe(EXIT_OK);
  });

  it('protected tiers and domains fail even with --fail-on none', () => {
    expect(verdict([impact('column-dropped', [consumer('dataset:x:a', 'finance', '1')])], policy({ failOn: 'none', protectedTiers: ['tier:1'] }))).toBe(EXIT_FAILED);
    expect(violations(impact('column-dropped', [consumer('dataset:x:a', 'finance')]), policy({ failOn: 'none', protectedDomains: ['finance'] })).map((v) => v.rule)).toEqual(['protected-domain']);
  });

  it('is unknown (3) when a shard did not answer or coverage has gaps, even with violations found', () => {
    expect(verdict([impact('column-dropped', [consumer('dataset:x:a', 'finance')], { complete: false, missingDomains: ['marketing'] })], policy())).toBe(EXIT_UNKNOWN);
    expect(verdict([impact('column-dropped', [], { coverageGaps: ['snowflake connector behind by 5 h'] })], policy())).toBe(EXIT_UNKNOWN);
  });
});

describe('reports', () => {
  const impacts = [impact('column-dropped', [consumer('dataset:x:a', 'finance'), consumer('dataset:y:b|<!channel>', 'marketing')])];
  it('markdown names every consumer and its domain, escaping what would inject', () => {
    const md = markdownReport(impacts, policy(), EXIT_FAILED);
    expect(md).toMatch(/FAIL/);
    expect(md).toContain('dataset:x:a');
    expect(md).toContain('finance');
    expect(md).toContain('marketing');
    expect(md).toContain('dataset:y:b\\|&lt;!channel&gt;');
  });

  it('SARIF 2.1.0 with an error result located at the file and line', () => {
    const sarif: any = sarifReport(impacts, policy());
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([expect.objectContaining({ ruleId: 'LH001', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'm.sql' }, region: { startLine: 3 } } }] })]);
  });

  it('GitHub annotations escape properties and data', () => {
    const out = githubAnnotations([impact('column-dropped', [consumer('dataset:x:a', 'finance')], { complete: false, missingDomains: ['sales'] })], policy());
    expect(out.split('\n')[0]).toBe('::error file=m.sql,line=3,title=column dataset%3An%3Aorders%3Aamount dropped::1 consumer(s) in finance: dataset:x:a');
    expect(out).toContain('::warning file=m.sql,line=3,title=impact unknown::');
  });
});
