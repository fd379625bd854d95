import { checkEventLimits, DomainError, LIMITS } from '@lineage-hub/model';
import { canonicalJson } from '../derive/canonical-json';
import { checkedPayload } from './ingest-limits';

const event = (extra: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE',
  eventTime: '2024-06-01T00:00:00Z',
  run: { runId: '0190b1a4-0000-7000-8000-000000000001', facets: {} },
  job: { namespace: 'ns', name: 'job' },
  inputs: [{ namespace: 'db', name: 'a', facets: { schema: { fields: [{ name: 'x', type: 'INT' }] } } }],
  outputs: [],
  producer: 'https://example.com/p',
  ...extra,
});

/** What checkEventLimits says about the event (null: within the limits). */
const walked = (raw: unknown) => {
  try {
    checkEventLimits(raw);
    return null;
  } catch (error) {
    return error as DomainError;
  }
};

const nested = (depth: number): unknown => {
  let value: unknown = { leaf: 1 };
  for (let i = 1; i < depth; i += 1) value = i % 2 ? [value] : { deeper: value };
  return value;
};

describe('checkedPayload: the limits walk read from the canonical JSON', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['within the limits', event()],
    ['a NUL in a value', event({ job: { namespace: 'ns', name: 'job', facets: { sql: { query: 'a\u0000b' } } } })],
    ['a NUL in a key', event({ job: { namespace: 'ns', name: 'job', facets: { ['k\u0000']: { a: 1 } } } })],
    ['a lone surrogate', event({ job: { namespace: 'ns', name: 'job', facets: { doc: { description: 'x\ud800' } } } })],
    ['a surrogate pair', event({ job: { namespace: 'ns', name: 'job', facets: { doc: { description: 'x\ud83d\ude00' } } } })],
    ['an escaped backslash before u0000', event({ job: { namespace: 'ns', name: 'job', facets: { doc: { description: '\\u0000' } } } })],
    ['nested to the limit', event({ run: { runId: '0190b1a4-0000-7000-8000-000000000001', facets: { deep: nested(LIMITS.eventDepth - 3) } } })],
    ['nested past the limit', event({ run: { runId: '0190b1a4-0000-7000-8000-000000000001', facets: { deep: nested(LIMITS.eventDepth) } } })],
    ['a facet over its size', event({ job: { namespace: 'ns', name: 'job', facets: { big: { items: new Array(150_000).fill(0) } } } })],
    ['a dropped member with a NUL key', event({ job: { namespace: 'ns', name: 'job', facets: { x: { ['a\u0000']: undefined } } } })],
    ['a dropped member', event({ job: { namespace: 'ns', name: 'job', facets: { x: { a: undefined, b: 1 } } } })],
    ['a toJSON object', event({ job: { namespace: 'ns', name: 'job', facets: { x: { toJSON: () => 'y', ['a\u0000']: 1 } } } })],
    ['an empty run id', event({ run: { runId: ' ', facets: {} } })],
    ['a long job name', event({ job: { namespace: 'ns', name: 'n'.repeat(LIMITS.nameBytes + 1) } })],
  ];

  it.each(cases)('%s: the same answer as checkEventLimits, and the canonical JSON', (_name, raw) => {
    const expected = walked(raw);
    let got: unknown = null;
    let payload: string | null = null;
    try {
      payload = checkedPayload({ raw, event: raw }, 3);
    } catch (error) {
      got = error;
    }
    if (expected === null) {
      expect(got).toBeNull();
      expect(payload).toBe(canonicalJson(raw));
    } else {
      expect(got).toBeInstanceOf(DomainError);
      expect((got as DomainError).message).toBe(expected.message);
      expect((got as DomainError).field).toBe(expected.field);
      expect((got as DomainError).details).toMatchObject({ index: 3 });
    }
  });

  it('a cycle is refused as too deep, not walked forever', () => {
    const raw: Record<string, any> = event();
    raw.job.facets = { loop: {} };
    raw.job.facets.loop.self = raw.job.facets.loop;
    expect(() => checkedPayload({ raw, event: raw }, 0)).toThrow(/nested deeper than/);
  });
});
