import type { AuditEntry } from './audit-chain';
import type { AuditStore } from './audit.store';

/**
 * The audit writer of one process. Entries are appended in order through one queue (a hash chain has one
 * writer); ingest is counted per credential and target and written as one entry per flush, not per event.
 * Without a store (authentication off, nothing configured) it records nothing.
 */
export class AuditLog {
  private queue: AuditEntry[] = [];
  private readonly tallies = new Map<string, { entry: Omit<AuditEntry, 'details'>; counts: Record<string, number> }>();
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private retention: NodeJS.Timeout | null = null;

  constructor(
    readonly store: AuditStore | null,
    private readonly flushMs = 1000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get enabled() {
    return this.store !== null;
  }

  /** Appends one entry; resolves once it is durable (admin changes await this before answering). */
  record(entry: AuditEntry): Promise<void> {
    if (!this.store) return Promise.resolve();
    this.queue.push(entry);
    return this.flush();
  }

  /**
   * Adds counts to a tally entry (same actor, action, target and outcome) written at the next flush: ingest is
   * audited as events per credential and target, refusals as requests per caller and route, never one per event.
   */
  tally(entry: Omit<AuditEntry, 'details'>, counts: Record<string, number>): void {
    if (!this.store) return;
    const key = [entry.actor, entry.action, entry.target, entry.outcome, entry.domain ?? ''].join('\n');
    const tally = this.tallies.get(key) ?? { entry, counts: {} };
    for (const [name, n] of Object.entries(counts)) tally.counts[name] = (tally.counts[name] ?? 0) + n;
    this.tallies.set(key, tally);
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), this.flushMs).unref();
  }

  /**
   * Keeps `days` of audit records: prunes now and then every `everyMs` (audit-store prune: the chain stays
   * verifiable from the retention record). The timer does not keep the process alive.
   */
  keepFor(days: number, everyMs = 3_600_000): void {
    this.keepPerDomain(days, {}, everyMs);
  }

  /**
   * Retention per domain (AUDIT_RETENTION_DOMAINS, the hub's `shards[].auditRetentionDays`): an entry of a listed
   * domain is kept that domain's days; every other entry (other domains, no domain) `defaultDays` (null: for
   * ever). With no domain listed this is the plain prefix retention. Prunes now and every `everyMs`.
   */
  keepPerDomain(defaultDays: number | null, perDomain: Record<string, number>, everyMs = 3_600_000): void {
    if (!this.store) return;
    const domains = Object.keys(perDomain);
    if (defaultDays === null && domains.length === 0) return;
    const before = (days: number) => new Date(Date.now() - days * 86_400_000);
    const prune = () => {
      const store = this.store!;
      this.writing = this.writing
        .then(async () => {
          if (domains.length === 0) {
            await store.prune(before(defaultDays!));
            return;
          }
          for (const domain of domains) await store.prune(before(perDomain[domain]), { domain });
          if (defaultDays !== null) await store.prune(before(defaultDays), { exceptDomains: domains });
        })
        .catch(this.onError);
    };
    prune();
    this.retention = setInterval(prune, everyMs);
    this.retention.unref();
  }

  /** Resolves once the writes and retention runs queued so far are done (tests). */
  settled(): Promise<void> {
    return this.writing;
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (const { entry, counts } of this.tallies.values()) this.queue.push({ ...entry, details: counts });
    this.tallies.clear();
    const store = this.store;
    this.writing = this.writing.then(async () => {
      const batch = this.queue;
      this.queue = [];
      if (store && batch.length) await store.append(batch);
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.retention) clearInterval(this.retention);
    await this.flush().catch(this.onError);
    await this.store?.close();
  }
}
