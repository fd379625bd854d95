import type { ClassificationResponse } from './classification-rpc.contract';

interface Entry {
  at: number;
  /** The shard's graph version when it answered (undefined: a shard that does not say). */
  version: number | undefined;
  held: boolean;
  restricted: boolean;
  columns?: string[];
}

export interface ClassificationCacheOptions {
  /** How long an answer is used at most (0: no cache, every call asks every shard). */
  ttlMs: number;
  /** Entries kept per shard; past it the shard's entries are dropped and asked again. */
  maxEntriesPerShard?: number;
  now?: () => number;
}

export interface ClassificationRound {
  /** One answer per shard that answered (from the cache, the shard, or both). */
  answers: ClassificationResponse[];
  /** The shards that did not answer for ids not in the cache. */
  missing: string[];
}

/**
 * Remembers what shards said in `classification.of`, per shard and node, so the redaction of an answer asks a
 * shard only about the nodes it was not asked about recently. An entry is used while it is younger than `ttlMs`
 * and while the shard's current graph version (as the caller last saw it, e.g. from the gateway's shard registry)
 * is not newer than the version the shard answered at: every event a shard stores (new tags included) moves its
 * version, so a classification change is seen as soon as the version is, and at the latest after `ttlMs`.
 * A shard that does not answer is not cached (the caller fails closed for what only it could say).
 */
export class ClassificationCache {
  private readonly shards = new Map<string, Map<string, Entry>>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly options: ClassificationCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntriesPerShard ?? 200_000;
  }

  async classify(
    domains: readonly string[],
    ids: readonly string[],
    ask: (domain: string, ids: string[]) => Promise<ClassificationResponse>,
    versionOf: (domain: string) => number | null = () => null,
  ): Promise<ClassificationRound> {
    const missing: string[] = [];
    const answers = await Promise.all(
      domains.map(async (domain) => {
        const { answer, unknown } = this.lookup(domain, ids, versionOf(domain));
        if (unknown.length === 0) return answer;
        try {
          const fresh = await ask(domain, unknown);
          this.remember(domain, unknown, fresh);
          answer.held.push(...fresh.held);
          answer.restricted.push(...fresh.restricted);
          Object.assign(answer.restrictedColumns, fresh.restrictedColumns);
          return answer;
        } catch {
          missing.push(domain);
          return null;
        }
      }),
    );
    return { answers: answers.filter((a): a is ClassificationResponse => a !== null), missing };
  }

  /** Forgets everything (tests; a caller that knows classification rules changed). */
  clear(): void {
    this.shards.clear();
  }

  private lookup(domain: string, ids: readonly string[], currentVersion: number | null): { answer: ClassificationResponse; unknown: string[] } {
    const answer: ClassificationResponse = { domain, held: [], restricted: [], restrictedColumns: {} };
    const entries = this.options.ttlMs > 0 ? this.shards.get(domain) : undefined;
    if (!entries) return { answer, unknown: [...ids] };
    const unknown: string[] = [];
    const oldest = this.now() - this.options.ttlMs;
    for (const id of ids) {
      const entry = entries.get(id);
      const fresh = entry && entry.at > oldest && (currentVersion === null || entry.version === undefined || currentVersion <= entry.version);
      if (!fresh) {
        unknown.push(id);
        continue;
      }
      if (!entry.held) continue;
      answer.held.push(id);
      if (entry.restricted) answer.restricted.push(id);
      if (entry.columns) answer.restrictedColumns[id] = entry.columns;
    }
    return { answer, unknown };
  }

  private remember(domain: string, asked: string[], response: ClassificationResponse): void {
    if (this.options.ttlMs <= 0) return;
    let entries = this.shards.get(domain);
    if (!entries || entries.size + asked.length > this.maxEntries) {
      entries = new Map();
      this.shards.set(domain, entries);
    }
    const at = this.now();
    const held = new Set(response.held);
    const restricted = new Set(response.restricted);
    for (const id of asked) {
      entries.set(id, { at, version: response.version, held: held.has(id), restricted: restricted.has(id), columns: response.restrictedColumns[id] });
    }
  }
}
