import { createHash } from 'node:crypto';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** One audit entry: who, what, when and the outcome. */
export interface AuditEntry {
  /** Principal id (`token:<id>`, `jwt:<iss>#<sub>`, `service:<name>`) or `anonymous`. */
  actor: string;
  /** What was done: `ingest`, `token.create`, `token.revoke`, `connector.update`, `request.refused`, `restricted.read`... */
  action: string;
  /** What it was done to (a route, a token id, a node id, a namespace). */
  target: string;
  outcome: AuditOutcome;
  /** Small structured details (counts, status); never a secret. */
  details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  /** ISO-8601 time. */
  at: string;
  prevHash: string;
  hash: string;
}

export const AUDIT_GENESIS = '0'.repeat(64);

/** Canonical JSON (sorted keys, iterative so no input depth can overflow the stack). */
export function canonicalize(value: unknown): string {
  type Frame = { kind: 'value'; value: unknown } | { kind: 'text'; text: string };
  const out: string[] = [];
  const stack: Frame[] = [{ kind: 'value', value }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.kind === 'text') {
      out.push(frame.text);
      continue;
    }
    const v = frame.value;
    if (v === null || typeof v !== 'object') {
      out.push(v === undefined ? 'null' : JSON.stringify(v));
      continue;
    }
    const parts: Frame[] = [];
    if (Array.isArray(v)) {
      parts.push({ kind: 'text', text: '[' });
      v.forEach((item, i) => {
        if (i) parts.push({ kind: 'text', text: ',' });
        parts.push({ kind: 'value', value: item });
      });
      parts.push({ kind: 'text', text: ']' });
    } else {
      const keys = Object.keys(v)
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .sort();
      parts.push({ kind: 'text', text: '{' });
      keys.forEach((k, i) => {
        parts.push({ kind: 'text', text: `${i ? ',' : ''}${JSON.stringify(k)}:` });
        parts.push({ kind: 'value', value: (v as Record<string, unknown>)[k] });
      });
      parts.push({ kind: 'text', text: '}' });
    }
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]);
  }
  return out.join('');
}

/** hash = sha256(prevHash + canonical(seq, at, actor, action, target, outcome, details)). */
export function auditHash(record: Omit<AuditRecord, 'hash'>): string {
  const { seq, at, actor, action, target, outcome, details, prevHash } = record;
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalize({ seq, at, actor, action, target, outcome, details: details ?? null }))
    .digest('hex');
}

/** Chains a new entry after `prev` (null for the first). */
export function chainAuditEntry(entry: AuditEntry, prev: Pick<AuditRecord, 'seq' | 'hash'> | null, at = new Date()): AuditRecord {
  const base = {
    seq: prev ? prev.seq + 1 : 1,
    at: at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    details: entry.details,
    prevHash: prev ? prev.hash : AUDIT_GENESIS,
  };
  return { ...base, hash: auditHash(base) };
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  reason?: string;
}

/**
 * Verifies records in seq order: each hash recomputes, each links to the previous, no seq is missing. Streams
 * (call `next` per record, `result` at the end) so a long log is checked in constant memory.
 */
export class AuditChainVerifier {
  private checked = 0;
  private failure: AuditVerification | null = null;

  /** `anchor`: where a pruned log starts (the last removed record's seq and hash, from the retention record). */
  constructor(private prev: Pick<AuditRecord, 'seq' | 'hash'> | null = null) {}

  next(record: AuditRecord): boolean {
    if (this.failure) return false;
    const expectedSeq = this.prev ? this.prev.seq + 1 : 1;
    const fail = (reason: string) => {
      this.failure = { ok: false, checked: this.checked, brokenAt: record.seq, reason };
      return false;
    };
    if (record.seq !== expectedSeq) return fail(`expected seq ${expectedSeq}, found ${record.seq} (a record was removed)`);
    if (record.prevHash !== (this.prev?.hash ?? AUDIT_GENESIS)) return fail('prevHash does not link to the previous record');
    if (auditHash(record) !== record.hash) return fail('hash does not match the record (it was edited)');
    this.prev = record;
    this.checked++;
    return true;
  }

  result(): AuditVerification {
    return this.failure ?? { ok: true, checked: this.checked };
  }
}

export const verifyAuditRecords = (records: Iterable<AuditRecord>): AuditVerification => {
  const verifier = new AuditChainVerifier();
  for (const record of records) if (!verifier.next(record)) break;
  return verifier.result();
};

/** The action of the record a retention run appends: details `{through, hash, deleted}` anchor the rest of the chain. */
export const AUDIT_RETENTION_ACTION = 'audit.retention';

/**
 * Where verification of a pruned log starts. A log whose first record is not seq 1 must carry, later in the chain,
 * a retention record naming exactly the records removed (through = first seq - 1) and the hash they ended with;
 * otherwise records were removed outside retention and the answer is a failure.
 */
export function retentionAnchor(firstSeq: number | null, lastRetention: AuditRecord | null): { anchor: Pick<AuditRecord, 'seq' | 'hash'> | null } | { failure: AuditVerification } {
  if (firstSeq === null || firstSeq === 1) return { anchor: null };
  const details = lastRetention?.details as { through?: unknown; hash?: unknown } | undefined;
  if (!details || details.through !== firstSeq - 1 || typeof details.hash !== 'string') {
    return { failure: { ok: false, checked: 0, brokenAt: firstSeq, reason: `records before seq ${firstSeq} were removed without a matching retention record` } };
  }
  return { anchor: { seq: firstSeq - 1, hash: details.hash } };
}
