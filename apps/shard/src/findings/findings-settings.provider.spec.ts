import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadShardConfig, shardConfig } from '../shard.config';
import { findingsSettings } from './findings-settings.provider';

describe('findingsSettings (read once at start)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-findings-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const settings = (findings: { freshnessFile?: string; actorsFile?: string }) => {
    const base = shardConfig();
    return findingsSettings({ ...base, domain: 'sales', findings: { ...base.findings, freshnessFile: undefined, actorsFile: undefined, ...findings } });
  };

  it('applies a good policy file as it is', () => {
    const doc = settings({ freshnessFile: file('good.yaml', 'policies:\n  - tag: tier:gold\n    warnAfter: 6h\n') });
    expect(doc.filePolicies).toEqual({ policies: [{ tag: 'tier:gold', warnAfter: '6h' }] });
  });

  it('keeps a bare-number duration as milliseconds with its unit (the evaluator reads no unitless number)', () => {
    const doc = settings({ freshnessFile: file('ms.yaml', 'policies:\n  - tag: tier:gold\n    warnAfter: 3600000\n') });
    expect(doc.filePolicies).toEqual({ policies: [{ tag: 'tier:gold', warnAfter: '3600000ms' }] });
  });

  it.each([
    ['a bad duration', 'policies:\n  - domain: sales\n    warnAfter: soon\n', /^FRESHNESS_FILE \(.*bad-[\d.]+\.yaml\): policies\[0\]\.warnAfter/],
    ['no target', 'policies:\n  - warnAfter: 1h\n', /^FRESHNESS_FILE \(.*bad-[\d.]+\.yaml\): policies\[0\]/],
    ['a duration past 3650d', 'policies:\n  - tag: a\n    warnAfter: 99999999w\n', /^FRESHNESS_FILE \(.*bad-[\d.]+\.yaml\): policies\[0\]\.warnAfter: must be at most 3650d/],
    ['not YAML', 'policies: [\n', /^FRESHNESS_FILE \(.*bad-[\d.]+\.yaml\): .*not valid YAML/],
  ])('refuses a policy file with %s, naming the variable, the file and the field', (_name, text, message) => {
    expect(() => settings({ freshnessFile: file(`bad-${Math.random()}.yaml`, text) })).toThrow(message);
  });

  it('takes the rules thresholds from the environment, the defaults otherwise', () => {
    const rules = (env: Record<string, string>) => findingsSettings(loadShardConfig(env)).rules;
    expect(rules({})).toMatchObject({ slackMs: 300_000, stalled: { timeoutMs: 6 * 3_600_000, quantile: 0.95 }, missingInput: { minRuns: 4, ofRuns: 5 }, unobservedRuns: 3 });
    const set = rules({ FINDINGS_SLACK_MS: '60000', FINDINGS_STALLED_TIMEOUT_MS: '7200000', FINDINGS_MISSING_INPUT_MIN_RUNS: '2', FINDINGS_MISSING_INPUT_OF_RUNS: '3', FINDINGS_UNOBSERVED_RUNS: '5' });
    expect(set).toMatchObject({ slackMs: 60_000, stalled: { timeoutMs: 7_200_000, quantile: 0.95, margin: 2 }, missingInput: { minRuns: 2, ofRuns: 3 }, unobservedRuns: 5 });
    expect(rules({ FINDINGS_MISSING_INPUT_MIN_RUNS: '3' }).missingInput).toEqual({ minRuns: 3, ofRuns: 5 });
  });

  it.each([
    [{ FINDINGS_STALLED_TIMEOUT_MS: '0' }, 'FINDINGS_STALLED_TIMEOUT_MS'],
    [{ FINDINGS_MISSING_INPUT_MIN_RUNS: '6' }, 'FINDINGS_MISSING_INPUT_MIN_RUNS'],
    [{ FINDINGS_MISSING_INPUT_MIN_RUNS: '3', FINDINGS_MISSING_INPUT_OF_RUNS: '2' }, 'FINDINGS_MISSING_INPUT_MIN_RUNS'],
    [{ FINDINGS_UNOBSERVED_RUNS: 'many' }, 'FINDINGS_UNOBSERVED_RUNS'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadShardConfig(env)).toThrow(variable);
  });

  it('refuses a policy file it cannot read, naming the variable', () => {
    expect(() => settings({ freshnessFile: path.join(dir, 'missing.yaml') })).toThrow(/^FRESHNESS_FILE \(.*missing\.yaml\): cannot read .*missing\.yaml/);
  });
});
