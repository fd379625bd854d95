import type { AuditEntry, AuditRecord, AuditVerification, RetentionScope } from './audit-chain';

export interface AuditQuery {
  /** Only records with seq greater than this (paging forward). */
  afterSeq?: number;
  actor?: string;
  action?: string;
  limit: number;
}

/** Append-only, hash-chained audit log. Adapters: SQLite (embedded) and PostgreSQL. */
export interface AuditStore {
  /** Appends entries in order, chained after the last record, in one transaction. */
  append(entries: AuditEntry[]): Promise<AuditRecord[]>;
  list(query: AuditQuery): Promise<AuditRecord[]>;
  verify(): Promise<AuditVerification>;
  /**
   * Retention: removes the records older than `before` (never the newest) and appends an `audit.retention` record
   * naming the last removed seq and its hash, in one transaction, so verify() still proves the rest of the chain.
   * With a scope, only that domain's records (or those of the domains without their own retention, and records of
   * no domain) older than `before` go, retention records never; the retention record names each run removed.
   */
  prune(before: Date, scope?: RetentionScope): Promise<{ deleted: number }>;
  close(): Promise<void>;
}

export interface AuditRow {
  seq: number | string;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  details: string | null;
  prev_hash: string;
  hash: string;
  domain?: string | null;
}

export const rowToRecord = (row: AuditRow): AuditRecord => ({
  seq: Number(row.seq),
  at: row.at,
  actor: row.actor,
  action: row.action,
  target: row.target,
  outcome: row.outcome as AuditRecord['outcome'],
  details: row.details === null ? undefined : JSON.parse(row.details),
  prevHash: row.prev_hash,
  hash: row.hash,
  ...(row.domain ? { domain: row.domain } : {}),
});

export const recordToParams = (r: AuditRecord): unknown[] => [
  r.seq,
  r.at,
  r.actor,
  r.action,
  r.target,
  r.outcome,
  r.details === undefined ? null : JSON.stringify(r.details),
  r.prevHash,
  r.hash,
  r.domain ?? null,
];

export const AUDIT_COLUMNS = 'seq, at, actor, action, target, outcome, details, prev_hash, hash, domain';

/** The SQL condition of a retention scope (`?` placeholders; the caller numbers them for PostgreSQL). */
export function scopeCondition(scope: RetentionScope): { sql: string; params: string[] } {
  if ('domain' in scope) return { sql: 'domain = ?', params: [scope.domain] };
  if (scope.exceptDomains.length === 0) return { sql: 'TRUE', params: [] };
  return { sql: `(domain IS NULL OR domain NOT IN (${scope.exceptDomains.map(() => '?').join(', ')}))`, params: scope.exceptDomains };
}
