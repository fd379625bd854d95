import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { principalFrom } from './api-token';
import { ROLES, type Principal, type Role } from './role.types';

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Accepted clock difference for exp/nbf/iat, in seconds. */
  clockSkewSeconds: number;
  /** Claim holding role names or groups (dot path, e.g. `realm_access.roles`). */
  rolesClaim: string;
  /** Claim holding the domains (dot path); absent means none (readers: all). */
  domainsClaim: string;
  /** Claim value -> role (e.g. `lineage-admins` -> admin). A value that is itself a role name maps to that role. */
  roleMap: Record<string, Role>;
  /** Minimum time between two JWKS fetches (an unknown kid refetches once this has passed); default 30 s. */
  jwksCooldownMs?: number;
}

const claimAt = (payload: JWTPayload, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];

/** Claims -> roles and domains, by configuration. Pure. */
export function principalFromClaims(payload: JWTPayload, config: Pick<OidcConfig, 'rolesClaim' | 'domainsClaim' | 'roleMap'>): Principal {
  const roles = new Set<Role>();
  for (const value of asList(claimAt(payload, config.rolesClaim))) {
    const role = config.roleMap[value] ?? (ROLES.includes(value as Role) ? (value as Role) : undefined);
    if (role) roles.add(role);
  }
  const domains = asList(claimAt(payload, config.domainsClaim));
  return principalFrom(`jwt:${payload.iss ?? ''}#${payload.sub ?? ''}`, 'jwt', [...roles], domains);
}

/**
 * Verifies OIDC bearer JWTs against the issuer's JWKS (fetched and cached by jose; an unknown `kid` triggers a
 * refetch, so key rotation needs no restart). Issuer, audience and expiry are checked with the configured skew.
 */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: OidcConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: config.jwksCooldownMs ?? 30_000, cacheMaxAge: 600_000 });
  }

  /** The principal, or null when the token does not verify (any reason: the caller answers 401). */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: this.config.clockSkewSeconds,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        requiredClaims: ['exp', 'sub'],
      });
      return principalFromClaims(payload, this.config);
    } catch {
      return null;
    }
  }
}

/** A compact JWS has three base64url parts; API tokens and service credentials do not. */
export const looksLikeJwt = (credential: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(credential);
