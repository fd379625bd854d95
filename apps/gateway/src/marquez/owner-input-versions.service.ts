import { Inject, Injectable } from '@nestjs/common';
import { type DatasetVersionsAtRequest, domainForNamespace, MAX_VERSIONS_AT, ShardRpcPatterns as P } from '@lineage-hub/federation';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

/** A Marquez Run as a shard answers it: the fields this service reads and rewrites. */
interface RunView {
  id: string;
  startedAt?: string | null;
  createdAt?: string | null;
  inputDatasetVersions: Array<{ datasetVersionId?: { namespace?: unknown; name?: unknown; version?: string | null } }>;
}

type VersionRef = { namespace: string; name: string; version?: string | null };

const isRun = (value: Record<string, unknown>): value is Record<string, unknown> & RunView =>
  typeof value.id === 'string' && Array.isArray(value.inputDatasetVersions);

/** Every Marquez Run in an answer: the answer itself, runs lists, jobs' latestRun(s), versions' createdByRun, graph node data. */
export const runsIn = (value: unknown, out: RunView[] = []): RunView[] => {
  if (Array.isArray(value)) value.forEach((item) => runsIn(item, out));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (isRun(record)) out.push(record);
    for (const [key, child] of Object.entries(record)) if (key !== 'facets' && child && typeof child === 'object') runsIn(child, out);
  }
  return out;
};

const epochMs = (value: string | null | undefined): number | null => {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
};

/**
 * A run's input that another domain owns: the reading shard knows only the schema it read, not the owner's writing
 * runs, so the version it names is not one the owner's versions list shows. The gateway asks each owning domain
 * (NAMESPACE_DOMAINS) for the version of the dataset current when the run started (`marquez.dataset-versions-at`)
 * and puts the owner's id in the run's `inputDatasetVersions[].datasetVersionId.version`, wherever a run appears
 * in an answer. An owner that has no version for that time leaves the reader's id; an owner that does not answer
 * leaves it too and is named among the answer's missing domains.
 */
@Injectable()
export class OwnerInputVersions {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
  ) {}

  /** Rewrites, in place, the cross-domain inputs of every run in the answers; resolves to the owners that did not answer. */
  async resolve(answers: Array<{ domain: string; body: unknown }>): Promise<string[]> {
    if (this.config.namespaceDomains.length === 0) return [];
    const known = new Set(this.registry.list().map((s) => s.domain));
    // owner -> request key -> the request and every reference it answers
    const byOwner = new Map<string, Map<string, { request: DatasetVersionsAtRequest['requests'][number]; refs: VersionRef[] }>>();
    for (const answer of answers) {
      for (const run of runsIn(answer.body)) {
        const at = epochMs(run.startedAt) ?? epochMs(run.createdAt);
        if (at === null) continue;
        for (const input of run.inputDatasetVersions) {
          const ref = input?.datasetVersionId;
          if (!ref || typeof ref.namespace !== 'string' || typeof ref.name !== 'string') continue;
          const owner = domainForNamespace(this.config.namespaceDomains, ref.namespace);
          if (owner === undefined || owner === answer.domain || !known.has(owner)) continue;
          let requests = byOwner.get(owner);
          if (!requests) byOwner.set(owner, (requests = new Map()));
          const key = `${ref.namespace}\u0000${ref.name}\u0000${at}\u0000${run.id}`;
          const entry = requests.get(key);
          if (entry) entry.refs.push(ref as VersionRef);
          else requests.set(key, { request: { namespace: ref.namespace, name: ref.name, at, exceptRun: run.id }, refs: [ref as VersionRef] });
        }
      }
    }
    const missing: string[] = [];
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    await Promise.all(
      [...byOwner].map(async ([owner, requests]) => {
        const entries = [...requests.values()];
        for (let i = 0; i < entries.length; i += MAX_VERSIONS_AT) {
          const chunk = entries.slice(i, i + MAX_VERSIONS_AT);
          try {
            const answer = await this.clients.call(owner, P.datasetVersionsAt, { requests: chunk.map((e) => e.request) }, timeoutMs);
            chunk.forEach((entry, j) => {
              const version = answer?.versions?.[j];
              if (typeof version === 'string') entry.refs.forEach((ref) => (ref.version = version));
            });
          } catch {
            missing.push(owner);
            return;
          }
        }
      }),
    );
    return missing.sort();
  }
}
