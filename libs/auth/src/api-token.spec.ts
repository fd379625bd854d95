import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@lineage-hub/model';
import { hashToken, mintToken, tokenPrincipal, tokenProblem, validateTokenRequest, viewOf } from './api-token';
import { Authenticator } from './authenticator';
import { FileTokenStore, MemoryTokenStore } from './token.store';

const request = { name: 'airflow', owner: 'team-a', roles: ['writer' as const], domains: ['a'] };

describe('API tokens', () => {
  it('are lh_ + 43 base64url characters and stored only as their SHA-256', () => {
    const { secret, record } = mintToken(request);
    expect(secret).toMatch(/^lh_[A-Za-z0-9_-]{43}$/);
    expect(record.hash).toBe(hashToken(secret));
    expect(JSON.stringify(record)).not.toContain(secret.slice(3));
    expect(viewOf(record)).not.toHaveProperty('hash');
  });

  it.each([
    [{ ...request, name: '' }, 'name'],
    [{ ...request, owner: undefined }, 'owner'],
    [{ ...request, roles: [] }, 'roles'],
    [{ ...request, roles: ['root'] }, 'roles'],
    [{ ...request, domains: [] }, 'domains'],
    [{ ...request, domains: ['../x'] }, 'domains'],
    [{ ...request, expiresAt: 'soon' }, 'expiresAt'],
    [{ ...request, expiresAt: '2000-01-01T00:00:00Z' }, 'expiresAt'],
    [{ ...request, provenance: 'yes' }, 'provenance'],
  ])('refuses a bad request naming the field (%#: %s)', (body, field) => {
    try {
      validateTokenRequest(body as never);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).field).toBe(field);
    }
  });

  it('expires and is revoked', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { record } = mintToken({ ...request, expiresAt: '2030-01-02T00:00:00Z' }, now);
    expect(tokenProblem(record, now.getTime())).toBeNull();
    expect(tokenProblem(record, Date.parse('2030-01-02T00:00:00Z'))).toBe('expired');
    expect(tokenProblem({ ...record, revokedAt: now.toISOString() }, now.getTime())).toBe('revoked');
  });

  it('maps to a principal: writer of its domains, reader of the same', () => {
    const { record } = mintToken(request);
    expect(tokenPrincipal(record)).toMatchObject({ roles: ['writer'], writerDomains: ['a'], readerDomains: ['a'], service: false, provenance: false });
    const reader = mintToken({ ...request, roles: ['reader'], domains: [] }).record;
    expect(tokenPrincipal(reader)).toMatchObject({ writerDomains: [], readerDomains: null });
  });

  it('authenticates a live token, and not a revoked, unknown or malformed one', async () => {
    const store = new MemoryTokenStore();
    const live = mintToken(request);
    const revoked = mintToken(request);
    store.add(live.record);
    store.add(revoked.record);
    store.revoke(revoked.record.id);
    const auth = new Authenticator(store, [{ name: 'hub', secret: 's'.repeat(40) }]);
    expect(await auth.authenticate(`Bearer ${live.secret}`)).toMatchObject({ id: `token:${live.record.id}` });
    expect(await auth.authenticate(`bearer ${live.secret}`)).toMatchObject({ id: `token:${live.record.id}` });
    expect(await auth.authenticate(`Bearer ${revoked.secret}`)).toBe('invalid');
    expect(await auth.authenticate(`Bearer ${live.secret}x`)).toBe('invalid');
    expect(await auth.authenticate(`Basic ${live.secret}`)).toBe('invalid');
    expect(await auth.authenticate(undefined)).toBeNull();
    expect(await auth.authenticate(`Bearer ${'s'.repeat(40)}`)).toMatchObject({ id: 'service:hub', service: true });
    expect(await auth.authenticate(`Bearer ${'s'.repeat(39)}`)).toBe('invalid');
  });
});

describe('FileTokenStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lh-tokens-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps tokens across restarts, mode 0600, hashes only, and sees another process revoke', () => {
    const path = join(dir, 'auth', 'tokens.json');
    const first = new FileTokenStore(path, 0);
    const { secret, record } = mintToken(request);
    first.add(record);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain(secret);

    const second = new FileTokenStore(path, 0);
    expect(second.findByHash(hashToken(secret))?.id).toBe(record.id);
    first.revoke(record.id);
    expect(second.findByHash(hashToken(secret))?.revokedAt).toEqual(expect.any(String));
    expect(() => second.revoke('nope')).toThrow(/not found/);
  });
});
