import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shardConfig } from '../shard.config';
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

  it.each([
    ['a bad duration', 'policies:\n  - domain: sales\n    warnAfter: soon\n', /^FRESHNESS_FILE: .*policies\[0\]\.warnAfter/],
    ['no target', 'policies:\n  - warnAfter: 1h\n', /^FRESHNESS_FILE: .*policies\[0\]/],
    ['not YAML', 'policies: [\n', /^FRESHNESS_FILE: .*not valid YAML/],
  ])('refuses a policy file with %s, naming the variable and the field', (_name, text, message) => {
    expect(() => settings({ freshnessFile: file(`bad-${Math.random()}.yaml`, text) })).toThrow(message);
  });

  it('refuses a policy file it cannot read, naming the variable', () => {
    expect(() => settings({ freshnessFile: path.join(dir, 'missing.yaml') })).toThrow(/^FRESHNESS_FILE: cannot read/);
  });
});
