import { Injectable } from '@nestjs/common';
import { DomainError, notFound, queryParams as qp } from '@lineage-hub/model';
import { type ShardMessageName, type ShardRequest, ShardRpcPatterns as P } from '@lineage-hub/federation';
import { ShardFanOut } from './shard-fan-out.service';
import { OwnerInputVersions } from './owner-input-versions.service';
import { byName, timeOf } from './marquez-record-order';

/** The raw query string as Express parsed it: a repeated parameter is an array, refused by the qp helpers. */
export type Query = Record<string, unknown>;

/**
 * A Marquez read asked of every shard and merged: a list (paged, each record once, with every domain holding it) or
 * one record (the owner's copy, else the newest). A shard's refusal other than not-found is the answer; a record no
 * shard holds is a 404; `complete`/`missingDomains` name the shards that did not answer.
 */
@Injectable()
export class MarquezMergedReads {
  constructor(
    private readonly fan: ShardFanOut,
    private readonly inputVersions: OwnerInputVersions,
  ) {}

  async list<M extends ListMessage>(pattern: M, request: ShardRequest<M>, key: ListKey, q: Query, options: ListOptions = {}) {
    const id = options.id ?? ((i: any) => i.name);
    const { limit, offset } = qp.page(q);
    // Each shard gives its first offset+limit items; merging them and cutting the page is exact.
    let fanned = await this.fan.ask(pattern, { ...request, limit: offset + limit, offset: 0 } as ShardRequest<M>);
    const answersOf = (f: typeof fanned) =>
      this.fan.ok(f).map((a) => ({ domain: a.domain, items: ((a.body as any)[key] ?? []) as any[], total: (a.body as { totalCount?: number }).totalCount ?? 0 }));
    // the owning domain's list is the answer when asked for (another shard may hold the same record only as what it read)
    const ownerOnly = (list: ReturnType<typeof answersOf>) =>
      options.ownerOnly && options.owner !== undefined && list.some((a) => a.domain === options.owner) ? list.filter((a) => a.domain === options.owner) : list;
    let answers = ownerOnly(answersOf(fanned));
    // The same record on several shards counts once: when a shard holds more than it sent, fetch everything it holds
    // (up to the page cap) so totalCount does not depend on limit.
    const biggest = Math.max(0, ...answers.map((a) => a.total));
    if (answers.length > 1 && answers.some((a) => a.items.length < a.total) && biggest <= 10_000) {
      fanned = await this.fan.ask(pattern, { ...request, limit: biggest, offset: 0 } as ShardRequest<M>);
      answers = ownerOnly(answersOf(fanned));
    }
    // a run's inputs that another domain owns name the owner's version (before merging: each copy's domain matters)
    const unresolved = await this.inputVersions.resolve(answers.map((a) => ({ domain: a.domain, body: a.items })));
    const merged = new Map<string, any>();
    for (const answer of answers) {
      for (const item of answer.items) {
        const known = merged.get(id(item));
        if (!known) merged.set(id(item), { ...item, domains: [answer.domain] });
        else {
          const domains = [...known.domains, answer.domain];
          const owned = options.owner !== undefined && answer.domain === options.owner;
          const keep = options.owner !== undefined && known.domains.includes(options.owner);
          const takeNew = owned || (!keep && timeOf(item.updatedAt) > timeOf(known.updatedAt));
          merged.set(id(item), takeNew ? { ...item, domains } : { ...known, domains });
        }
      }
    }
    const order = options.order ?? (key === 'runs' || key === 'versions' ? (a: any, b: any) => timeOf(b.createdAt) - timeOf(a.createdAt) : byName);
    const items = [...merged.values()].sort(order);
    const totalCount = answers.reduce((sum, a) => sum + a.total, 0) - (answers.reduce((n, a) => n + a.items.length, 0) - merged.size);
    return { totalCount, [key]: items.slice(offset, offset + limit), ...withMissing(this.fan.completeness(fanned), unresolved) };
  }

  /** The owner's answer (when known), else the most recently updated one, with every holding domain. */
  async one<M extends ShardMessageName>(pattern: M, request: ShardRequest<M>, what: string, owner?: string) {
    const fanned = await this.fan.ask(pattern, request);
    const found = this.fan.ok(fanned).sort((a, b) => Number(b.domain === owner) - Number(a.domain === owner) || timeOf((b.body as any)?.updatedAt) - timeOf((a.body as any)?.updatedAt));
    if (found.length === 0) {
      const refusal = fanned.refusals.find((r) => r.code !== 'not-found');
      if (refusal) throw refusal;
      if (!fanned.complete) throw new DomainError('unavailable', `${what} not found in the shards that answered; missing: ${fanned.missingDomains.join(', ')}`);
      throw notFound(what);
    }
    const unresolved = await this.inputVersions.resolve([found[0]]);
    return { ...(found[0].body as object), domains: found.map((a) => a.domain).sort(), ...withMissing(this.fan.completeness(fanned), unresolved) };
  }
}

/** Completeness with the domains that could not resolve a run's input versions added to the missing ones. */
const withMissing = (completeness: { complete: boolean; missingDomains: string[] }, more: string[]) => {
  if (more.length === 0) return completeness;
  const missingDomains = [...new Set([...completeness.missingDomains, ...more])].sort();
  return { complete: false, missingDomains };
};

export type ListMessage = typeof P.datasets | typeof P.jobs | typeof P.allJobs | typeof P.runs | typeof P.datasetVersions;

export interface ListOptions {
  /** The merge key of an item (default its name). */
  id?: (item: any) => string;
  order?: (a: any, b: any) => number;
  /** The domain whose copy wins when several shards hold the same item. */
  owner?: string;
  /** When the owner answered, its list is the answer (the others' copies are left out). */
  ownerOnly?: boolean;
}
export type ListKey = 'datasets' | 'jobs' | 'runs' | 'versions';
