import { canReadDomain, canWriteDomain, clearedDomains, decideAccess } from './access-decision';
import type { AccessRule } from './role.types';
import { PRINCIPALS } from './testing/principals';

const A = true;
const D = false;
// rule -> [anonymous, reader, readerOfA, writerOfA, steward, admin, service, noRoles]
const TABLE: Record<AccessRule, boolean[]> = {
  public: [A, A, A, A, A, A, A, A],
  metrics: [D, A, A, A, A, A, A, D],
  read: [D, A, A, A, A, A, A, D],
  write: [D, D, D, A, A, A, A, D],
  steward: [D, D, D, D, A, A, A, D],
  admin: [D, D, D, D, D, A, A, D],
  service: [D, D, D, D, D, D, A, D],
};
const WHO = [null, PRINCIPALS.reader, PRINCIPALS.readerOfA, PRINCIPALS.writerOfA, PRINCIPALS.steward, PRINCIPALS.admin, PRINCIPALS.service, PRINCIPALS.noRoles];

describe('decideAccess', () => {
  for (const [rule, row] of Object.entries(TABLE) as Array<[AccessRule, boolean[]]>) {
    it.each(WHO.map((p, i) => [p?.id ?? 'anonymous', p, row[i]] as const))(`${rule} for %s`, (_name, principal, allowed) => {
      const decision = decideAccess(rule, principal);
      expect(decision.allow).toBe(allowed);
      if (!decision.allow) expect(decision.status).toBe(principal ? 'forbidden' : 'unauthenticated');
    });
  }

  it('opens metrics to anonymous callers only when configured so', () => {
    expect(decideAccess('metrics', null, { metricsPublic: true }).allow).toBe(true);
    expect(decideAccess('metrics', null, { metricsPublic: false }).allow).toBe(false);
  });
});

describe('canWriteDomain', () => {
  it.each([
    ['writerOfA', 'a', true],
    ['writerOfA', 'b', false],
    ['writerOfB', 'a', false],
    ['reader', 'a', false],
    ['readerOfA', 'a', false],
    ['steward', 'b', true],
    ['admin', 'b', true],
    ['service', 'b', true],
    ['noRoles', 'a', false],
  ])('%s writing %s -> %s', (who, domain, allowed) => {
    expect(canWriteDomain(PRINCIPALS[who], domain)).toBe(allowed);
  });
});

describe('reading domains', () => {
  it.each([
    ['reader', 'b', true],
    ['readerOfA', 'a', true],
    ['readerOfA', 'b', false],
    ['writerOfA', 'a', true],
    ['writerOfA', 'b', false],
    ['steward', 'b', true],
  ])('%s reading %s -> %s', (who, domain, allowed) => {
    expect(canReadDomain(PRINCIPALS[who], domain)).toBe(allowed);
  });

  it('clears admin and services for everything, others for the domains on their credential only', () => {
    expect(clearedDomains(PRINCIPALS.admin)).toBeNull();
    expect(clearedDomains(PRINCIPALS.service)).toBeNull();
    expect([...clearedDomains(PRINCIPALS.readerOfA)!]).toEqual(['a']);
    expect([...clearedDomains(PRINCIPALS.reader)!]).toEqual([]);
  });
});
