/** The four roles of the hub. A writer and a reader may be limited to domains; steward and admin are global. */
export type Role = 'reader' | 'writer' | 'steward' | 'admin';

export const ROLES: readonly Role[] = ['reader', 'writer', 'steward', 'admin'];

/** Who made a request, after authentication. `domains: null` means "every domain". */
export interface Principal {
  /** Stable id for audit and rate limits: `token:<id>`, `jwt:<iss>#<sub>`, `service:<name>`. */
  id: string;
  kind: 'token' | 'jwt' | 'service';
  roles: Role[];
  /** Domains a writer may write into (empty for non-writers). */
  writerDomains: string[];
  /** Domains a reader may read; null means all domains. */
  readerDomains: string[] | null;
  /** A service credential (gateway/worker to shard): may forward on behalf of others and set provenance. */
  service: boolean;
  /** May send `x-lineage-provenance: observed|manual` (connector and service credentials only). */
  provenance: boolean;
}

/**
 * The rule a route declares with `@Access(...)`:
 * - `public`: no credential (only /health, and /metrics when configured so);
 * - `read`: reader, writer, steward or admin (domain limits are applied by redaction);
 * - `write`: writer of the domain (checked per event by the ingest path), steward, admin, service;
 * - `steward`: steward or admin; `admin`: admin only; `service`: a service credential (RPC, internal calls).
 * `metrics` is public when the app is configured with METRICS_PUBLIC, else `read`.
 */
export type AccessRule = 'public' | 'metrics' | 'read' | 'write' | 'steward' | 'admin' | 'service';

export const ACCESS_RULES: readonly AccessRule[] = ['public', 'metrics', 'read', 'write', 'steward', 'admin', 'service'];
