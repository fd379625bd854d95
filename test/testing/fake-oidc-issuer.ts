/**
 * Test support: an OIDC issuer on 127.0.0.1 for the web UI's sign-in, at the wire level: the discovery document
 * (OpenID Connect Discovery 1.0), a JWKS, an authorization endpoint that signs the user in at once and redirects
 * back with a code, and a token endpoint that trades the code for an RS256 access token (jose) only with the PKCE
 * verifier of the challenge it was issued for (RFC 7636, S256). CORS open, as an issuer serving browser clients is.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface FakeIssuer {
  issuer: string;
  jwksUrl: string;
  /** Every authorization request seen (its query). */
  authorizations: Array<Record<string, string>>;
  /** Token requests refused, with why. */
  refusals: string[];
  close(): Promise<void>;
}

export const startFakeIssuer = async (opts: { clientId: string; audience: string; subject: string; roles: string[] }): Promise<FakeIssuer> => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  const authorizations: Array<Record<string, string>> = [];
  const refusals: string[] = [];
  let issuer = '';
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, accept' });
      return res.end();
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = Object.fromEntries(url.searchParams);
      authorizations.push(q);
      const back = new URL(q.redirect_uri);
      if (q.response_type !== 'code' || q.client_id !== opts.clientId || q.code_challenge_method !== 'S256' || !q.code_challenge) {
        back.searchParams.set('error', 'invalid_request');
        back.searchParams.set('error_description', 'code flow with an S256 challenge for the known client only');
      } else {
        const code = randomBytes(16).toString('base64url');
        codes.set(code, { challenge: q.code_challenge, redirectUri: q.redirect_uri, clientId: q.client_id });
        back.searchParams.set('code', code);
      }
      if (q.state) back.searchParams.set('state', q.state);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const refuse = (why: string) => {
          refusals.push(why);
          json(res, 400, { error: 'invalid_grant', error_description: why });
        };
        if (form.get('grant_type') !== 'authorization_code') return refuse('grant_type');
        if (!grant) return refuse('unknown or used code');
        if (form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== grant.clientId) return refuse('redirect_uri or client_id differs');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return refuse('code_verifier does not match the challenge');
        void new SignJWT({ roles: opts.roles, scope: 'openid' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience(opts.audience)
          .setSubject(opts.subject)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey)
          .then((token) => json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 300 }));
      });
      return;
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, jwksUrl: `${issuer}/jwks`, authorizations, refusals, close: () => new Promise((resolve) => server.close(() => resolve())) };
};
