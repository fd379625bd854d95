import { constantTimeEqual } from './constant-time';
import { hashToken, looksLikeApiToken, tokenPrincipal, tokenProblem } from './api-token';
import { JwtVerifier, looksLikeJwt } from './jwt-verifier';
import type { Principal } from './role.types';
import type { TokenStore } from './token.store';

export interface ServiceCredential {
  /** The name the service is audited as (`service:<name>`). */
  name: string;
  secret: string;
}

/** null = no credential; 'invalid' = a credential that does not verify (expired, revoked, bad signature...). */
export type AuthenticationResult = Principal | null | 'invalid';

/** Parses `Authorization: Bearer <credential>` (the OpenLineage clients' api_key auth); anything else is invalid. */
export function bearerCredential(header: string | undefined): string | null | 'invalid' {
  if (header === undefined || header === '') return null;
  const match = /^Bearer[ ]+([\x21-\x7e]{1,4096})\s*$/i.exec(header);
  return match ? match[1] : 'invalid';
}

/** Turns a credential into a principal: service credentials, `lh_` API tokens, OIDC JWTs. */
export class Authenticator {
  constructor(
    private readonly tokens: TokenStore,
    private readonly services: ServiceCredential[] = [],
    private readonly jwt: JwtVerifier | null = null,
  ) {}

  async authenticate(authorization: string | undefined): Promise<AuthenticationResult> {
    const credential = bearerCredential(authorization);
    if (credential === null || credential === 'invalid') return credential;
    return (await this.authenticateCredential(credential)) ?? 'invalid';
  }

  async authenticateCredential(credential: string): Promise<Principal | null> {
    let service: ServiceCredential | undefined;
    // Every configured service secret is compared (no early exit on a match).
    for (const candidate of this.services) if (constantTimeEqual(candidate.secret, credential)) service ??= candidate;
    if (service) return servicePrincipal(service.name);
    if (looksLikeApiToken(credential)) {
      const record = this.tokens.findByHash(hashToken(credential));
      return record && !tokenProblem(record) ? tokenPrincipal(record) : null;
    }
    if (this.jwt && looksLikeJwt(credential)) return this.jwt.verify(credential);
    return null;
  }
}

export const servicePrincipal = (name: string): Principal => ({
  id: `service:${name}`,
  kind: 'service',
  roles: ['admin'],
  writerDomains: [],
  readerDomains: null,
  service: true,
  provenance: true,
});
