import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { buildMembershipFilter, type Direction, type FilterResponse } from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';
import { LineageGraphService } from './lineage-graph.service';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';

/** Up to this many node ids, the directional filters are built at once; above it, in slices between requests. */
const DIRECTIONAL_AT_ONCE = 20_000;
const DIRECTIONAL_SLICE = 5_000;

/**
 * The Bloom filter of every node id this shard holds, and the two directional filters (ids this shard can walk on
 * from, downstream and upstream, over the edges valid now: the gateway uses them for frontier routing of queries
 * without asOf). Rebuilt when the graph version changes, cached otherwise. On a large graph the directional filters
 * are built in slices so RPC answers are not held up; until they are ready the answer says `directionalPending`
 * and the gateway routes by the full filter (and asks again).
 */
@Injectable()
export class MembershipFilterService implements OnModuleDestroy {
  private cached: FilterResponse | null = null;
  private building: { version: number; timer: NodeJS.Immediate | null } | null = null;

  constructor(
    private readonly graph: LineageGraphService,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  current(): FilterResponse {
    const version = this.graph.version;
    if (this.cached?.version !== version) {
      this.cached = { domain: this.config.domain, version, filter: buildMembershipFilter(this.graph.nodeIds()), aliases: this.graph.aliasPairs() };
      this.buildDirectional(version);
    }
    return this.cached;
  }

  onModuleDestroy(): void {
    if (this.building?.timer) clearImmediate(this.building.timer);
    this.building = null;
  }

  /** Whether a walk from `id` in this direction reaches anything here (an id the index cannot walk from: yes, to be safe). */
  private canWalkOn(id: string, direction: Direction): boolean {
    try {
      return this.graph.traverse([{ id: id as NodeId, distance: 0 }], { direction, depth: 1, maxNodes: 2 }).nodes.length > 1;
    } catch {
      return true;
    }
  }

  private buildDirectional(version: number): void {
    if (this.building?.timer) clearImmediate(this.building.timer);
    const ids = [...this.graph.nodeIds()];
    const downstream: string[] = [];
    const upstream: string[] = [];
    const state: { version: number; timer: NodeJS.Immediate | null } = { version, timer: null };
    this.building = state;
    let next = 0;
    const slice = (count: number): boolean => {
      if (this.graph.version !== version || this.building !== state) return false; // the graph moved on: a newer build follows
      const end = Math.min(ids.length, next + count);
      for (; next < end; next++) {
        const id = ids[next];
        if (this.canWalkOn(id, 'downstream')) downstream.push(id);
        if (this.canWalkOn(id, 'upstream')) upstream.push(id);
      }
      if (next < ids.length) return true;
      this.building = null;
      if (this.cached?.version === version) {
        const { directionalPending: _, ...rest } = this.cached;
        this.cached = { ...rest, downstream: buildMembershipFilter(downstream), upstream: buildMembershipFilter(upstream) };
      }
      return false;
    };
    if (ids.length <= DIRECTIONAL_AT_ONCE) {
      slice(ids.length);
      return;
    }
    this.cached = { ...this.cached!, directionalPending: true };
    const step = () => {
      state.timer = null;
      if (slice(DIRECTIONAL_SLICE)) state.timer = setImmediate(step);
    };
    state.timer = setImmediate(step);
  }
}
