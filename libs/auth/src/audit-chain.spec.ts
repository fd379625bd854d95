import { canonicalize, chainAuditEntry, verifyAuditRecords, type AuditRecord } from './audit-chain';

const entries = [
  { actor: 'token:1', action: 'token.create', target: 'token:2', outcome: 'ok' as const },
  { actor: 'token:2', action: 'ingest', target: 'a', outcome: 'ok' as const, details: { events: 40 } },
  { actor: 'anonymous', action: 'request.refused', target: 'GET /api/v1/impact -> 401', outcome: 'denied' as const },
];
const chain = (): AuditRecord[] => {
  const out: AuditRecord[] = [];
  for (const e of entries) out.push(chainAuditEntry(e, out[out.length - 1] ?? null, new Date('2030-01-01T00:00:00Z')));
  return out;
};

describe('audit chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyAuditRecords(chain())).toEqual({ ok: true, checked: 3 });
  });

  it.each([
    ['an edited outcome', (c: AuditRecord[]) => (c[1].outcome = 'denied'), 2],
    ['edited details', (c: AuditRecord[]) => (c[1].details = { events: 1 }), 2],
    ['an edited actor with a recomputed own hash', (c: AuditRecord[]) => Object.assign(c[0], chainAuditEntry({ ...entries[0], actor: 'x' }, null, new Date('2030-01-01T00:00:00Z'))), 2],
    ['a removed record', (c: AuditRecord[]) => c.splice(1, 1), 3],
    ['a removed first record', (c: AuditRecord[]) => c.shift(), 2],
  ])('detects %s', (_name, tamper, brokenAt) => {
    const records = chain();
    tamper(records);
    const result = verifyAuditRecords(records);
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(brokenAt);
  });

  it('canonicalises iteratively: key order does not matter, depth cannot overflow the stack', () => {
    expect(canonicalize({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(canonicalize({ a: 1, b: 2 })).toBe(canonicalize({ b: 2, a: 1 }));
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(canonicalize(deep)).toHaveLength(200_001);
  });
});
