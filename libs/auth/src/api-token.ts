import { createHash, randomBytes } from 'node:crypto';
import { invalidArgument } from '@lineage-hub/model';
import { ROLES, type Principal, type Role } from './role.types';

/** The recognisable prefix of every hub API token (secret scanners can match `lh_[A-Za-z0-9_-]{43}`). */
export const TOKEN_PREFIX = 'lh_';

/** A stored API token: the secret itself is never stored, only its SHA-256 (the token has 256 random bits). */
export interface ApiTokenRecord {
  id: string;
  name: string;
  owner: string;
  roles: Role[];
  /** Domains the token is limited to (writer: required; reader: empty means all domains). */
  domains: string[];
  /** Connector credentials may send `x-lineage-provenance: observed|manual`. */
  provenance: boolean;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** What the admin API lists: everything but the hash. */
export type ApiTokenView = Omit<ApiTokenRecord, 'hash'>;

export interface TokenRequest {
  name: string;
  owner: string;
  roles: Role[];
  domains?: string[];
  provenance?: boolean;
  /** ISO-8601 expiry, or null for none. */
  expiresAt?: string | null;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const looksLikeApiToken = (credential: string): boolean => credential.startsWith(TOKEN_PREFIX);

/** Makes a new token: the secret (shown once) and the record to store. */
export function mintToken(request: TokenRequest, now = new Date()): { secret: string; record: ApiTokenRecord } {
  const checked = validateTokenRequest(request, now);
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record: ApiTokenRecord = {
    id: randomBytes(8).toString('hex'),
    ...checked,
    hash: hashToken(secret),
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  return { secret, record };
}

const NAME = /^[\w.@:+/ -]{1,128}$/;
const DOMAIN = /^[a-z0-9][a-z0-9_-]{0,62}$/i;

/** Validates a token request (the admin API's body); a 400 names the field. */
export function validateTokenRequest(request: TokenRequest, now = new Date()): Omit<ApiTokenRecord, 'id' | 'hash' | 'createdAt' | 'revokedAt'> {
  const body = (request ?? {}) as Partial<TokenRequest>;
  if (typeof body.name !== 'string' || !NAME.test(body.name)) throw invalidArgument('name', 'a name of 1-128 letters, digits or ._@:+/- is required');
  if (typeof body.owner !== 'string' || !NAME.test(body.owner)) throw invalidArgument('owner', 'an owner of 1-128 letters, digits or ._@:+/- is required');
  if (!Array.isArray(body.roles) || body.roles.length === 0 || body.roles.some((r) => !ROLES.includes(r))) {
    throw invalidArgument('roles', `a non-empty list of ${ROLES.join(', ')}`);
  }
  const domains = body.domains ?? [];
  if (!Array.isArray(domains) || domains.some((d) => typeof d !== 'string' || !DOMAIN.test(d))) throw invalidArgument('domains', 'a list of domain names');
  if (body.roles.includes('writer') && domains.length === 0) throw invalidArgument('domains', 'a writer token needs the domains it may write');
  let expiresAt: string | null = null;
  if (body.expiresAt !== undefined && body.expiresAt !== null) {
    const at = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN;
    if (!Number.isFinite(at)) throw invalidArgument('expiresAt', 'an ISO-8601 time or null');
    if (at <= now.getTime()) throw invalidArgument('expiresAt', 'must be in the future');
    expiresAt = new Date(at).toISOString();
  }
  if (body.provenance !== undefined && typeof body.provenance !== 'boolean') throw invalidArgument('provenance', 'true or false');
  return { name: body.name, owner: body.owner, roles: [...new Set(body.roles)], domains: [...new Set(domains)], provenance: body.provenance ?? false, expiresAt };
}

/** Why a stored token does not authenticate now, or null when it does. */
export function tokenProblem(record: ApiTokenRecord, now = Date.now()): 'revoked' | 'expired' | null {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt && Date.parse(record.expiresAt) <= now) return 'expired';
  return null;
}

/** The principal a token stands for. */
export function tokenPrincipal(record: ApiTokenRecord): Principal {
  return principalFrom(`token:${record.id}`, 'token', record.roles, record.domains, record.provenance);
}

/** Roles + domain list -> principal (shared by tokens and JWT claims). An empty domain list means all (not for writers). */
export function principalFrom(id: string, kind: Principal['kind'], roles: Role[], domains: string[], provenance = false): Principal {
  const writer = roles.includes('writer');
  const readsAll = domains.length === 0 && roles.some((r) => r !== 'writer');
  return {
    id,
    kind,
    roles,
    writerDomains: writer ? domains : [],
    readerDomains: readsAll ? null : domains,
    service: false,
    provenance,
  };
}

export const viewOf = ({ hash: _hash, ...view }: ApiTokenRecord): ApiTokenView => view;
