import type { AccessRule, Principal, Role } from './role.types';

export type AccessDecision = { allow: true } | { allow: false; status: 'unauthenticated' | 'forbidden'; reason: string };

const ALLOW: AccessDecision = { allow: true };
const has = (principal: Principal, ...roles: Role[]) => roles.some((role) => principal.roles.includes(role));

/**
 * The one decision function: may this principal (null = no credential) use a route with this rule?
 * Pure; the guard calls it for every request. `metricsPublic` makes the `metrics` rule public.
 */
export function decideAccess(rule: AccessRule, principal: Principal | null, options: { metricsPublic?: boolean } = {}): AccessDecision {
  if (rule === 'public' || (rule === 'metrics' && options.metricsPublic)) return ALLOW;
  if (!principal) return { allow: false, status: 'unauthenticated', reason: 'a credential is required' };
  if (principal.service) return ALLOW;
  switch (rule) {
    case 'metrics':
    case 'read':
      return has(principal, 'reader', 'writer', 'steward', 'admin') ? ALLOW : deny(rule);
    case 'write':
      return has(principal, 'writer', 'steward', 'admin') ? ALLOW : deny(rule);
    case 'steward':
      return has(principal, 'steward', 'admin') ? ALLOW : deny(rule);
    case 'admin':
      return has(principal, 'admin') ? ALLOW : deny(rule);
    case 'service':
      return deny(rule);
  }
}

const deny = (rule: AccessRule): AccessDecision => ({ allow: false, status: 'forbidden', reason: `this action needs the ${rule} permission` });

/**
 * May this principal write lineage owned by `domain`? Writers only for their domains; steward, admin and
 * service credentials for every domain. Ingest calls it per event, with the domain of the job namespace and of
 * every output dataset namespace.
 */
export function canWriteDomain(principal: Principal, domain: string): boolean {
  if (principal.service || has(principal, 'admin', 'steward')) return true;
  return has(principal, 'writer') && principal.writerDomains.includes(domain);
}

/**
 * The domains whose restricted assets this principal may see (their "clearance"): admin and service see all
 * (null); anyone else only the domains named on their credential (as reader, writer or steward of a domain).
 * A reader with no domain limit reads every domain's unrestricted lineage, but no restricted asset.
 */
export function clearedDomains(principal: Principal): Set<string> | null {
  if (principal.service || has(principal, 'admin')) return null;
  return new Set([...(principal.readerDomains ?? []), ...principal.writerDomains]);
}

/** May this principal read lineage of `domain` at all (readers limited to domains see others only as hidden)? */
export function canReadDomain(principal: Principal, domain: string): boolean {
  if (principal.service || has(principal, 'admin', 'steward')) return true;
  if (principal.readerDomains === null) return true;
  return principal.readerDomains.includes(domain) || principal.writerDomains.includes(domain);
}
