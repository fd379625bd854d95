import type { NodeId } from '@lineage-hub/model';
import { parseDuration } from './duration';
import { parsePolicyFile, validatePolicyDocument } from './freshness-policy.parser';
import { PolicyResolver } from './policy-resolver';

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['6h', 6 * 3_600_000],
    ['2d', 2 * 86_400_000],
    ['PT6H', 6 * 3_600_000],
    ['P1DT2H', 26 * 3_600_000],
    ['PT90M', 90 * 60_000],
    [60_000, 60_000],
    ['0h', null],
    ['6 hours', null],
    ['P', null],
    ['PT', null],
    [-5, null],
  ])('%s -> %s', (input, ms) => expect(parseDuration(input)).toBe(ms));
});

describe('freshness policy document', () => {
  it('reads the YAML file kept in git', () => {
    const doc = parsePolicyFile(`
policies:
  - dataset: "dataset:snowflake://acme:MART.ORDERS"
    warnAfter: 6h
    errorAfter: 12h
  - tag: finance-close
    deadline: { cron: "0 6 * * 1-5", timeZone: Europe/Berlin }
  - namespace: bigquery
    warnAfter: PT2H
  - domain: sales
    errorAfter: 2d
`);
    expect(doc.policies).toHaveLength(4);
    expect(doc.policies[1]).toEqual({ tag: 'finance-close', deadline: { cron: '0 6 * * 1-5', timeZone: 'Europe/Berlin' } });
  });

  it.each([
    [{ policies: [{ dataset: 'dataset:a:b', warnAfter: 'soon' }] }, 'policies[0].warnAfter'],
    [{ policies: [{ warnAfter: '1h' }] }, 'policies[0]'],
    [{ policies: [{ tag: 'x', domain: 'y', warnAfter: '1h' }] }, 'policies[0]'],
    [{ policies: [{ tag: 'x' }] }, 'policies[0]'],
    [{ policies: [{ dataset: 'job:a:b', warnAfter: '1h' }] }, 'policies[0].dataset'],
    [{ policies: [{ tag: 'x', deadline: { cron: 'every day', timeZone: 'UTC' } }] }, 'policies[0].deadline.cron'],
    [{ policies: [{ tag: 'x', deadline: { cron: '0 6 * * *', timeZone: 'Mars/Olympus' } }] }, 'policies[0].deadline.timeZone'],
    [{ policies: [{ tag: 'x', warnAfter: '2h', errorAfter: '1h' }] }, 'policies[0].errorAfter'],
    [{ policies: [{ tag: 'x', warnAfter: '2h', severity: 'high' }] }, 'policies[0].severity'],
    [{ policies: [{ tag: 'x', warnAfter: '2h' }, { tag: 'x', warnAfter: '3h' }] }, 'policies[1]'],
    [{ policies: 'none' }, 'policies'],
    [[], 'policies'],
    [{ policies: [{ tag: 'x', warnAfter: `${'9'.repeat(400)}w` }] }, 'policies[0].warnAfter'],
    [{ policies: [{ tag: 'x', warnAfter: '1h', errorAfter: '3651d' }] }, 'policies[0].errorAfter'],
    [{ policies: [{ tag: 'x', warnAfter: 1e300 }] }, 'policies[0].warnAfter'],
    [{ policies: [{ tag: 'a\u0000b', warnAfter: '1h' }] }, 'policies[0].tag'],
    [{ policies: [{ domain: '\ud800', warnAfter: '1h' }] }, 'policies[0].domain'],
    [{ policies: [{ tag: 'x'.repeat(2049), warnAfter: '1h' }] }, 'policies[0].tag'],
    [{ policies: [{ namespace: 'n'.repeat(513), warnAfter: '1h' }] }, 'policies[0].namespace'],
    [{ policies: [{ dataset: `dataset:a:${'n'.repeat(2048)}`, warnAfter: '1h' }] }, 'policies[0].dataset'],
  ])('refuses %j naming %s', (doc, field) => {
    expect(() => validatePolicyDocument(doc)).toThrow(expect.objectContaining({ code: 'invalid-argument', field }));
  });

  it('keeps a bare-number duration as milliseconds with its unit, which it reads back as the same duration', () => {
    const doc = validatePolicyDocument({ policies: [{ tag: 'x', warnAfter: 60_000, errorAfter: 3_600_000 }] });
    expect(doc.policies[0]).toEqual({ tag: 'x', warnAfter: '60000ms', errorAfter: '3600000ms' });
    expect([parseDuration(doc.policies[0].warnAfter), parseDuration(doc.policies[0].errorAfter)]).toEqual([60_000, 3_600_000]);
    expect(validatePolicyDocument(doc)).toEqual(doc);
  });

  it('refuses a file that is not YAML', () => {
    expect(() => parsePolicyFile('policies: [unclosed')).toThrow(expect.objectContaining({ code: 'invalid-argument', field: 'policies' }));
  });
});

describe('PolicyResolver: most specific wins', () => {
  const D = 'dataset:snowflake://acme:MART.ORDERS' as NodeId;
  const resolver = new PolicyResolver([
    { domain: 'sales', warnAfter: '4d' },
    { namespace: 'snowflake://acme', warnAfter: '3d' },
    { tag: 'gold', warnAfter: '2d' },
    { dataset: D, warnAfter: '1d' },
  ]);
  it.each([
    [{ dataset: D, namespace: 'snowflake://acme', tags: ['gold'], domain: 'sales' }, '1d'],
    [{ dataset: 'dataset:snowflake://acme:X' as NodeId, namespace: 'snowflake://acme', tags: ['gold'], domain: 'sales' }, '2d'],
    [{ dataset: 'dataset:snowflake://acme:X' as NodeId, namespace: 'snowflake://acme', tags: [], domain: 'sales' }, '3d'],
    [{ dataset: 'dataset:bigquery:p.d.t' as NodeId, namespace: 'bigquery', tags: [], domain: 'sales' }, '4d'],
  ])('%j -> %s', (subject, warnAfter) => expect(resolver.resolve(subject)?.warnAfter).toBe(warnAfter));
  it('no match -> null', () => expect(resolver.resolve({ dataset: 'dataset:a:b' as NodeId, namespace: 'a', tags: [], domain: 'x' })).toBeNull());
  it('the first tag with a policy wins (a dataset tag before a column tag)', () => {
    const tagged = new PolicyResolver([{ tag: 'pii', warnAfter: '5h' }, { tag: 'tier:gold', warnAfter: '6h' }]);
    const subject = { dataset: 'dataset:a:b' as NodeId, namespace: 'a', domain: 'x' };
    expect(tagged.resolve({ ...subject, tags: ['tier:gold', 'tier', 'pii'] })?.warnAfter).toBe('6h');
    expect(tagged.resolve({ ...subject, tags: ['team', 'pii'] })?.warnAfter).toBe('5h');
  });
});
