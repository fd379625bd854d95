import { LineageIndex } from '@lineage-hub/graph';
import { loadMembershipFilter } from '@lineage-hub/federation';
import type { LineageEdge, NodeId } from '@lineage-hub/model';
import type { LineageGraphService } from './lineage-graph.service';
import { MembershipFilterService } from './membership-filter.service';
import type { ShardConfig } from '../shard.config';

const edge = (from: string, to: string, validTo: number | null = null): LineageEdge => ({
  from: from as NodeId,
  to: to as NodeId,
  kind: from.startsWith('job:') ? 'writes' : 'reads',
  provenance: 'declared',
  validFrom: 0,
  validTo,
});

/** The graph service's read side over a real LineageIndex (the store is not involved in filters). */
const graphOf = (groups: Array<{ owner: string; edges: LineageEdge[] }>, version = 1, aliases: Array<{ alias: NodeId; canonical: NodeId }> = []) => {
  const index = new LineageIndex();
  index.load({ groups: groups.map((g) => ({ owner: g.owner as NodeId, edges: g.edges, columnEdges: [] })), aliases, lifecycle: [], version });
  const graph = {
    index,
    get version() {
      return index.version;
    },
    nodeIds: () => index.nodeIds(),
    aliasPairs: () => index.aliasPairs(),
    traverse: (seeds: any, options: any) => index.traverse(seeds, options),
  };
  return graph;
};

const service = (graph: ReturnType<typeof graphOf>) =>
  new MembershipFilterService(graph as unknown as LineageGraphService, { domain: 'd1' } as ShardConfig);

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('MembershipFilterService', () => {
  it('publishes the aliases the index holds, as declared, for the gateway to unite across domains', () => {
    const graph = graphOf([{ owner: 'job:ns:a', edges: [edge('dataset:hive:default.t', 'job:ns:a')] }], 1, [
      { alias: 'dataset:s3://lake:warehouse/t' as NodeId, canonical: 'dataset:hive:default.t' as NodeId },
    ]);
    const answer = service(graph).current();
    expect(answer.aliases).toEqual([['dataset:s3://lake:warehouse/t', 'dataset:hive:default.t']]);
    expect(loadMembershipFilter(answer.filter).mayHold('dataset:s3://lake:warehouse/t')).toBe(true);
  });

  it('publishes the full filter and, per direction, the ids a walk can go on from over edges valid now', () => {
    const graph = graphOf([
      { owner: 'job:ns:a', edges: [edge('dataset:ns:src', 'job:ns:a'), edge('job:ns:a', 'dataset:ns:mid')] },
      { owner: 'job:ns:b', edges: [edge('dataset:ns:mid', 'job:ns:b'), edge('job:ns:b', 'dataset:ns:out')] },
      // a read that ended: not followed by a walk without asOf, so not in the downstream filter
      { owner: 'job:ns:c', edges: [edge('dataset:ns:old', 'job:ns:c', 5), edge('job:ns:c', 'dataset:ns:c_out')] },
    ]);
    const answer = service(graph).current();
    expect(answer.directionalPending).toBeUndefined();
    const full = loadMembershipFilter(answer.filter);
    const down = loadMembershipFilter(answer.downstream!);
    const up = loadMembershipFilter(answer.upstream!);
    for (const id of ['dataset:ns:src', 'dataset:ns:mid', 'dataset:ns:out', 'job:ns:a']) expect(full.mayHold(id)).toBe(true);
    expect(['dataset:ns:src', 'dataset:ns:mid', 'job:ns:a', 'job:ns:b'].filter((id) => down.mayHold(id))).toHaveLength(4);
    expect(['dataset:ns:out', 'dataset:ns:old'].filter((id) => down.mayHold(id))).toEqual([]);
    expect(['dataset:ns:mid', 'dataset:ns:out', 'job:ns:a'].filter((id) => up.mayHold(id))).toHaveLength(3);
    expect(up.mayHold('dataset:ns:src')).toBe(false);
  });

  it('builds them in slices on a large graph: pending first, then published for the same version', async () => {
    const groups = Array.from({ length: 12_000 }, (_, j) => ({
      owner: `job:ns:j${j}`,
      edges: [edge(`dataset:ns:t${j}`, `job:ns:j${j}`), edge(`job:ns:j${j}`, `dataset:ns:t${j + 1}`)],
    }));
    const filters = service(graphOf(groups, 3));
    const first = filters.current();
    expect(first).toMatchObject({ version: 3, directionalPending: true });
    expect(first.downstream).toBeUndefined();
    await ticks(20);
    const ready = filters.current();
    expect(ready.directionalPending).toBeUndefined();
    expect(ready.version).toBe(3);
    expect(loadMembershipFilter(ready.downstream!).mayHold('dataset:ns:t0')).toBe(true);
    expect(loadMembershipFilter(ready.upstream!).mayHold('dataset:ns:t0')).toBe(false);
    expect(loadMembershipFilter(ready.downstream!).mayHold('dataset:ns:t12000')).toBe(false);
  });

  it('drops a slice build when the graph moves on, and builds again for the new version', async () => {
    const groups = Array.from({ length: 12_000 }, (_, j) => ({ owner: `job:ns:j${j}`, edges: [edge(`dataset:ns:t${j}`, `job:ns:j${j}`)] }));
    const graph = graphOf(groups, 3);
    const filters = service(graph);
    expect(filters.current().directionalPending).toBe(true);
    graph.index.apply({ groups: [{ owner: 'job:ns:new' as NodeId, edges: [edge('dataset:ns:fresh', 'job:ns:new')], columnEdges: [] }], aliases: [], lifecycle: [] }, 4);
    await ticks(20);
    const stale = filters.current(); // version 4 now: a new full filter, directional pending again
    expect(stale).toMatchObject({ version: 4, directionalPending: true });
    await ticks(20);
    const ready = filters.current();
    expect(ready.version).toBe(4);
    expect(loadMembershipFilter(ready.downstream!).mayHold('dataset:ns:fresh')).toBe(true);
  });
});
