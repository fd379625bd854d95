import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { JwtVerifier, principalFromClaims, type OidcConfig } from './jwt-verifier';

type Key = Awaited<ReturnType<typeof generateKeyPair>>;

/** A JWKS endpoint on 127.0.0.1 (what an OIDC issuer serves at jwks_uri), whose keys the test rotates. */
describe('JwtVerifier against a JWKS endpoint', () => {
  let server: Server;
  let served: JWK[] = [];
  let fetches = 0;
  let config: OidcConfig;
  let key1: Key;
  let key2: Key;
  let stranger: Key;

  beforeAll(async () => {
    [key1, key2, stranger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256'), generateKeyPair('RS256')]);
    served = [{ ...(await exportJWK(key1.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }];
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    config = {
      issuer: 'https://idp.example.com/',
      audience: 'lineage-hub',
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
      clockSkewSeconds: 30,
      rolesClaim: 'groups',
      domainsClaim: 'lineage.domains',
      roleMap: { 'lineage-admins': 'admin', 'team-a-writers': 'writer' },
      jwksCooldownMs: 0,
    };
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (key: Key, kid: string, claims: Record<string, unknown> = {}, opts: { aud?: string; iss?: string; exp?: number } = {}) =>
    new SignJWT({ groups: ['team-a-writers'], lineage: { domains: ['a'] }, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(opts.iss ?? config.issuer)
      .setAudience(opts.aud ?? config.audience)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(key.privateKey);

  it('accepts a valid token and maps claims to roles and domains', async () => {
    const principal = await new JwtVerifier(config).verify(await sign(key1, 'k1'));
    expect(principal).toMatchObject({ id: 'jwt:https://idp.example.com/#alice', kind: 'jwt', roles: ['writer'], writerDomains: ['a'] });
  });

  it.each([
    ['wrong audience', () => sign(key1, 'k1', {}, { aud: 'someone-else' })],
    ['wrong issuer', () => sign(key1, 'k1', {}, { iss: 'https://evil.example.com/' })],
    ['bad signature (a key the issuer never published)', () => sign(stranger, 'k1')],
    ['expired beyond the clock skew', () => sign(key1, 'k1', {}, { exp: Math.floor(Date.now() / 1000) - 31 })],
    ['not a JWT at all', async () => 'a.b.c'],
  ])('refuses %s', async (_name, make) => {
    expect(await new JwtVerifier(config).verify(await make())).toBeNull();
  });

  it('accepts a token expired within the clock skew', async () => {
    const token = await sign(key1, 'k1', {}, { exp: Math.floor(Date.now() / 1000) - 10 });
    expect(await new JwtVerifier(config).verify(token)).not.toBeNull();
  });

  it('follows key rotation: a new kid is fetched without a restart', async () => {
    const verifier = new JwtVerifier(config);
    expect(await verifier.verify(await sign(key1, 'k1'))).not.toBeNull();
    served = [...served, { ...(await exportJWK(key2.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' }];
    const before = fetches;
    expect(await verifier.verify(await sign(key2, 'k2'))).toMatchObject({ roles: ['writer'] });
    expect(fetches).toBeGreaterThan(before);
  });
});

describe('principalFromClaims', () => {
  const mapping = { rolesClaim: 'realm_access.roles', domainsClaim: 'domains', roleMap: { ops: 'admin' as const } };
  it.each([
    [{ realm_access: { roles: ['ops'] } }, ['admin'], null],
    [{ realm_access: { roles: ['reader', 'unknown'] }, domains: 'a b' }, ['reader'], ['a', 'b']],
    [{ realm_access: { roles: 'steward' } }, ['steward'], null],
    [{}, [], []],
  ])('%j -> roles %j, reader domains %j', (claims, roles, readerDomains) => {
    expect(principalFromClaims({ sub: 's', ...claims }, mapping)).toMatchObject({ roles, readerDomains });
  });
});
