import type { AliasRecord, ColumnEdge, LineageEdge, NodeId } from '@lineage-hub/model';
import { FederatedAliases } from './federated-aliases';
import { FederatedTraversal, federatedTraversal } from './federated-traversal';
import { indexShards, type OwnerGroup } from './testing/index-shards.fixtures';
import { limits } from './testing/local-shards.fixtures';

const e = (from: string, to: string): LineageEdge => ({ from: from as NodeId, to: to as NodeId, kind: from.startsWith('job:') ? 'writes' : 'reads', provenance: 'declared', validFrom: 0, validTo: null });
const col = (from: string, to: string, job: string): ColumnEdge => ({ from: from as NodeId, to: to as NodeId, job: job as NodeId, transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }], provenance: 'declared', validFrom: 0, validTo: null });
const group = (owner: string, edges: LineageEdge[], columnEdges: ColumnEdge[] = []): OwnerGroup => ({ owner: owner as NodeId, edges, columnEdges });

// sales (Spark) knows the Hive table H, whose symlink is the S3 location S; ingest (Airflow) writes S and marketing reads
// S, neither knowing H
const H = 'dataset:hive://metastore:9083:default.orders';
const S = 'dataset:s3://lake:warehouse/orders';
const field = (dataset: string, name: string) => `datasetField:${dataset.slice('dataset:'.length)}:${name}`;
const groups = new Map<string, OwnerGroup[]>([
  ['ingest', [group('job:airflow:load', [e('dataset:pg://app:5432:app.public.orders', 'job:airflow:load'), e('job:airflow:load', S)], [col(field('dataset:pg://app:5432:app.public.orders', 'id'), field(S, 'id'), 'job:airflow:load')])]],
  ['sales', [group('job:spark:daily', [e(H, 'job:spark:daily'), e('job:spark:daily', 'dataset:hive://metastore:9083:default.daily')], [col(field(H, 'id'), field('dataset:hive://metastore:9083:default.daily', 'order_id'), 'job:spark:daily')])]],
  ['marketing', [group('job:dbt:campaigns', [e(S, 'job:dbt:campaigns'), e('job:dbt:campaigns', 'dataset:snowflake://acme:MKT.CAMPAIGNS')])]],
]);
const aliases = new Map<string, AliasRecord[]>([['sales', [{ alias: S as NodeId, canonical: H as NodeId }]]]);

describe('federatedTraversal with aliases across domains', () => {
  const setup = () => {
    const { shards, federation, transport, union } = indexShards(groups, aliases);
    const united = new FederatedAliases(shards.flatMap((s) => s.aliasPairs));
    return { federation, transport, union, united };
  };

  it('a table one domain knows by its symlink and others only by that name is one node: every walk crosses it', async () => {
    const { federation, transport, union, united } = setup();
    const cases: Array<[string, 'downstream' | 'upstream']> = [
      ['dataset:pg://app:5432:app.public.orders', 'downstream'],
      [S, 'downstream'],
      [H, 'downstream'],
      ['dataset:hive://metastore:9083:default.daily', 'upstream'],
      ['dataset:snowflake://acme:MKT.CAMPAIGNS', 'upstream'],
      [field('dataset:hive://metastore:9083:default.daily', 'order_id'), 'upstream'],
      [field('dataset:pg://app:5432:app.public.orders', 'id'), 'downstream'],
    ];
    for (const [seed, direction] of cases) {
      const expected = union.traverse([{ id: seed as NodeId, distance: 0 }], { direction, depth: 10, maxNodes: 1000 });
      if (process.env.SHOW) console.log(seed, expected.nodes.map((n) => n.id).join(' '));
      const query = { seeds: [seed as NodeId], direction, depth: 10, maxNodes: 1000 };
      for (const got of [
        await federatedTraversal(query, federation, transport, limits, { aliases: united }),
        await new FederatedTraversal(query, federation, transport, limits, { aliases: united }, 2).result(),
      ]) {
        expect({ seed, nodes: got.nodes.map((n) => `${n.id}@${n.distance}`) }).toEqual({ seed, nodes: expected.nodes.map((n) => `${n.id}@${n.distance}`) });
        expect(got.edges.map((x) => `${x.from}>${x.to}`).sort()).toEqual(expected.edges.map((x) => `${x.from}>${x.to}`).sort());
        expect(got.nodes.some((n) => n.id === S)).toBe(false);
      }
    }
    // without the aliases the walk from the source stops where the name changes domains
    const alone = await federatedTraversal({ seeds: ['dataset:pg://app:5432:app.public.orders' as NodeId], direction: 'downstream', depth: 10, maxNodes: 1000 }, federation, transport, limits);
    expect(alone.nodes.map((n) => n.id)).not.toContain('dataset:hive://metastore:9083:default.daily');
  });

  it('unites aliases as libs/graph does: chains followed, fields moved with their dataset, one record per alias, no cycles', () => {
    const united = new FederatedAliases([
      ['dataset:a:x', 'dataset:a:y'],
      ['dataset:a:y', 'dataset:a:z'],
      ['dataset:a:z', 'dataset:a:x'], // would close a cycle: left out
      ['dataset:a:w', 'dataset:a:z'],
      ['dataset:a:w', 'dataset:a:q'], // a second canonical for w: the first in (alias, canonical) order wins
    ]);
    expect(united.canonical('dataset:a:x')).toBe('dataset:a:z');
    expect(united.canonical('datasetField:a:x:col')).toBe('datasetField:a:z:col');
    expect(united.canonical('dataset:a:z')).toBe('dataset:a:z');
    expect(united.canonical('dataset:a:w')).toBe('dataset:a:q');
    expect([...united.names('dataset:a:z')].sort()).toEqual(['dataset:a:x', 'dataset:a:y']);
    expect([...united.names('datasetField:a:z:col')].sort()).toEqual(['datasetField:a:x:col', 'datasetField:a:y:col']);
    expect(united.names('dataset:a:other')).toEqual([]);
  });
});
