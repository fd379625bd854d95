import type { AuditEntry, AuditRecord, AuditVerification } from './audit-chain';

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
   */
  prune(before: Date): Promise<{ deleted: number }>;
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
];

export const AUDIT_COLUMNS = 'seq, at, actor, action, target, outcome, details, prev_hash, hash';
