import type { LineageStore } from '@lineage-hub/store';
import { Inject, Injectable } from '@nestjs/common';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';
import type { HttpReply } from '../http-reply';

const STORE_TIMEOUT_MS = 2000;
const startedAt = Date.now();

/** /health: the store answers, the index is loaded; version and sizes for operators. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    private readonly graph: LineageGraphService,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  async check(): Promise<HttpReply<Record<string, unknown>>> {
    const base = { domain: this.config.domain, version: this.graph.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
    try {
      const stats = await withTimeout(this.store.stats(), STORE_TIMEOUT_MS);
      const broken = this.store.brokenChain();
      const chain = broken ? { ok: false, readOnly: true, brokenAt: broken.brokenAt, reason: broken.reason } : { ok: true };
      return { status: 200, body: { status: broken ? 'read-only' : 'ok', ...base, store: { reachable: true, ...stats }, chain, index: this.graph.stats() } };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { status: 503, body: { status: 'unavailable', ...base, store: { reachable: false, error: message } } };
    }
  }
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`store did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err) => (clearTimeout(timer), reject(err)),
    );
  });
