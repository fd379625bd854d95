import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError, invalidArgument } from '@lineage-hub/model';
import type { AuditRecord, AuditVerification } from './audit-chain';
import { AuditLog } from './audit-log';

/** Extra chains an app verifies with its audit chain (a shard: its event chain). */
export const EXTRA_CHAIN_VERIFIER = Symbol('EXTRA_CHAIN_VERIFIER');
export type ExtraChainVerifier = () => Promise<Record<string, unknown>>;

const int = (value: unknown, field: string, fallback: number, max: number) => {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > max) throw invalidArgument(field, `an integer from 0 to ${max}`);
  return n;
};

/** GET /api/v1/audit and the verify operation. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly audit: AuditLog,
    @Optional() @Inject(EXTRA_CHAIN_VERIFIER) private readonly extra: ExtraChainVerifier | null = null,
  ) {}

  async list(query: Record<string, unknown>): Promise<{ records: AuditRecord[]; nextAfterSeq: number | null }> {
    const store = this.requireStore();
    await this.audit.flush();
    const limit = int(query.limit, 'limit', 100, 1000) || 100;
    const records = await store.list({
      afterSeq: int(query.afterSeq, 'afterSeq', 0, Number.MAX_SAFE_INTEGER),
      actor: typeof query.actor === 'string' ? query.actor : undefined,
      action: typeof query.action === 'string' ? query.action : undefined,
      limit,
    });
    return { records, nextAfterSeq: records.length === limit ? records[records.length - 1].seq : null };
  }

  /** Verifies the audit chain and the app's own chains; without an audit store (auth off) the app's chains alone. */
  async verify(): Promise<{ ok: boolean; audit: AuditVerification | null } & Record<string, unknown>> {
    const store = this.extra ? this.audit.store : this.requireStore();
    let audit: AuditVerification | null = null;
    if (store) {
      await this.audit.flush();
      audit = await store.verify();
    }
    const extra = this.extra ? await this.extra() : {};
    const ok = (audit?.ok ?? true) && Object.values(extra).every((v) => (v as { ok?: boolean })?.ok !== false);
    return { ok, audit, ...extra };
  }

  private requireStore() {
    if (!this.audit.store) throw new DomainError('unavailable', 'no audit store is configured (AUDIT_STORE_URL)');
    return this.audit.store;
  }
}
