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
  /** The domain the entry concerns (ingest into a domain): its domain's retention applies (AUDIT_RETENTION_DOMAINS). */
  domain?: string;
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

/** hash = sha256(prevHash + canonical(seq, at, actor, action, target, outcome, details[, domain])). */
export function auditHash(record: Omit<AuditRecord, 'hash'>): string {
  const { seq, at, actor, action, target, outcome, details, prevHash, domain } = record;
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalize({ seq, at, actor, action, target, outcome, details: details ?? null, domain: domain ?? undefined }))
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
    ...(entry.domain ? { domain: entry.domain } : {}),
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

  private readonly gaps = new Map<number, RetentionGap[]>();

  /**
   * `anchor`: where a pruned log starts (the last removed record's seq and hash, from the retention record);
   * `gaps`: the runs of records retention records say they removed (retentionGaps): a missing run is accepted
   * only when one of them names exactly where it starts and the hash it ended with.
   */
  constructor(
    private prev: Pick<AuditRecord, 'seq' | 'hash'> | null = null,
    gaps: RetentionGap[] = [],
  ) {
    for (const gap of gaps) this.gaps.set(gap.from, [...(this.gaps.get(gap.from) ?? []), gap]);
  }

  next(record: AuditRecord): boolean {
    if (this.failure) return false;
    let expectedSeq = this.prev ? this.prev.seq + 1 : 1;
    while (record.seq > expectedSeq) {
      const gap = (this.gaps.get(expectedSeq) ?? []).filter((g) => g.to < record.seq).sort((a, b) => b.to - a.to)[0];
      if (!gap) break;
      this.prev = { seq: gap.to, hash: gap.hash };
      expectedSeq = gap.to + 1;
    }
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

/**
 * The action of the record a retention run appends: details `{through, hash, deleted}` (everything up to `through`
 * removed) or, for one domain's retention, `{domain | exceptDomains, ranges: [[from, to, hashOfTo], ...], deleted}`.
 */
export const AUDIT_RETENTION_ACTION = 'audit.retention';

/** A run of removed records a retention record vouches for: seqs from..to, the last of which had `hash`. */
export interface RetentionGap {
  from: number;
  to: number;
  hash: string;
}

/** Which records a retention run removes: one domain's, or those of every domain without its own retention. */
export type RetentionScope = { domain: string } | { exceptDomains: string[] };

/** The gaps the retention records of a log vouch for (a record vouches only for records before itself). */
export function retentionGaps(retentionRecords: Iterable<AuditRecord>): RetentionGap[] {
  const gaps: RetentionGap[] = [];
  for (const record of retentionRecords) {
    const details = (record.details ?? {}) as { through?: unknown; hash?: unknown; ranges?: unknown };
    if (typeof details.through === 'number' && typeof details.hash === 'string' && details.through < record.seq) gaps.push({ from: 1, to: details.through, hash: details.hash });
    if (!Array.isArray(details.ranges)) continue;
    for (const range of details.ranges) {
      if (!Array.isArray(range) || range.length !== 3) continue;
      const [from, to, hash] = range as unknown[];
      if (typeof from === 'number' && typeof to === 'number' && typeof hash === 'string' && from <= to && to < record.seq) gaps.push({ from, to, hash });
    }
  }
  return gaps;
}

/** Groups removed records into runs of consecutive seqs: `[from, to, hash of to]`. */
export function removedRanges(removed: Array<Pick<AuditRecord, 'seq' | 'hash'>>): Array<[number, number, string]> {
  const ranges: Array<[number, number, string]> = [];
  for (const r of removed) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1 === r.seq) {
      last[1] = r.seq;
      last[2] = r.hash;
    } else ranges.push([r.seq, r.seq, r.hash]);
  }
  return ranges;
}

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
