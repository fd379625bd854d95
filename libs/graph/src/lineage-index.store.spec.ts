/**
 * The index fed by the real store (embedded SQLite, in memory): the snapshot from loadGraph() and the
 * deltas from ingest() keep an incrementally updated index equal to one freshly loaded, and answer
 * lineage, as-of, column and alias questions from OpenLineage events.
 */
import type { NodeId } from '@lineage-hub/model';
import { createStore, type IngestInput, type LineageStore } from '@lineage-hub/store';
import { LineageIndex } from './lineage-index';
import type { TraversalOptions, TraversalResult } from './traversal.types';

const T0 = Date.parse('2024-06-01T00:00:00.000Z');
const at = (minutes: number) => T0 + minutes * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Dataset = { name: string; facets?: Record<string, unknown> };
const dataset = (d: Dataset | string) => (typeof d === 'string' ? { namespace: 'warehouse', name: d, facets: {} } : { namespace: 'warehouse', facets: {}, ...d });

const run = (job: string, runId: string, type: 'START' | 'COMPLETE', minute: number, inputs: Array<Dataset | string>, outputs: Array<Dataset | string>): IngestInput => {
  const event = {
    eventType: type,
    eventTime: iso(at(minute)),
    producer: 'https://example.com/lineage-hub-graph-tests',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId, facets: {} },
    job: { namespace: 'pipelines', name: job, facets: {} },
    inputs: inputs.map(dataset),
    outputs: outputs.map(dataset),
  };
  return { event, raw: event };
};

const columnLineage = (fields: Record<string, Array<{ name: string; field: string; type: string; subtype?: string }>>) => ({
  columnLineage: {
    _producer: 'https://example.com/lineage-hub-graph-tests',
    _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
    fields: Object.fromEntries(
      Object.entries(fields).map(([out, ins]) => [
        out,
        { inputFields: ins.map((i) => ({ namespace: 'warehouse', name: i.name, field: i.field, transformations: [{ type: i.type, ...(i.subtype ? { subtype: i.subtype } : {}) }] })) },
      ]),
    ),
  },
});

const ds = (name: string) => `dataset:warehouse:${name}` as NodeId;
const down = (depth: number, extra: Partial<TraversalOptions> = {}): TraversalOptions => ({ direction: 'downstream', depth, maxNodes: 1000, ...extra });
const ids = (r: TraversalResult) => r.nodes.map((n) => `${n.id}@${n.distance}`);

describe('LineageIndex fed by the store', () => {
  let store: LineageStore;
  let index: LineageIndex;

  const ingest = async (inputs: IngestInput[]) => {
    const result = await store.ingest(inputs);
    index.apply(result.delta, Math.max(...result.outcomes.map((o) => o.seq)));
  };
  const fresh = async () => {
    const loaded = new LineageIndex();
    loaded.load(await store.loadGraph());
    return loaded;
  };

  beforeEach(async () => {
    store = await createStore('sqlite::memory:');
    index = new LineageIndex();
    index.load(await store.loadGraph());
  });
  afterEach(async () => {
    await store.close();
  });

  it('follows runs, closes a dropped input for now but keeps it as of before, and equals a fresh load', async () => {
    await ingest([run('clean', 'a0000000-0000-4000-8000-000000000001', 'START', 0, ['raw_orders'], ['orders'])]);
    await ingest([run('clean', 'a0000000-0000-4000-8000-000000000001', 'COMPLETE', 5, ['raw_orders'], ['orders'])]);
    await ingest([run('report', 'a0000000-0000-4000-8000-000000000002', 'COMPLETE', 10, ['orders'], ['revenue'])]);
    expect(ids(index.traverse([{ id: ds('raw_orders'), distance: 0 }], down(2)))).toEqual([
      'dataset:warehouse:raw_orders@0', 'dataset:warehouse:orders@1', 'job:pipelines:clean@1', 'dataset:warehouse:revenue@2', 'job:pipelines:report@2',
    ]);
    // A later completed run of clean reads raw_orders_v2 instead: the old input closes at that run's end.
    await ingest([run('clean', 'a0000000-0000-4000-8000-000000000003', 'START', 60, ['raw_orders_v2'], ['orders'])]);
    await ingest([run('clean', 'a0000000-0000-4000-8000-000000000003', 'COMPLETE', 70, ['raw_orders_v2'], ['orders'])]);
    const now = index.traverse([{ id: ds('revenue'), distance: 0 }], { direction: 'upstream', depth: 2, maxNodes: 100 });
    expect(ids(now)).toEqual([
      'dataset:warehouse:revenue@0', 'dataset:warehouse:orders@1', 'job:pipelines:report@1', 'dataset:warehouse:raw_orders_v2@2', 'job:pipelines:clean@2',
    ]);
    const before = index.traverse([{ id: ds('revenue'), distance: 0 }], { direction: 'upstream', depth: 2, maxNodes: 100, asOf: at(30) });
    expect(ids(before)).toContain('dataset:warehouse:raw_orders@2');
    expect(ids(before)).not.toContain('dataset:warehouse:raw_orders_v2@2');
    const loaded = await fresh();
    for (const opts of [down(3), down(3, { asOf: at(30) }), { direction: 'both', depth: 2, maxNodes: 100 } as TraversalOptions]) {
      for (const seed of ['raw_orders', 'raw_orders_v2', 'orders', 'revenue']) {
        expect(index.traverse([{ id: ds(seed), distance: 0 }], opts)).toEqual(loaded.traverse([{ id: ds(seed), distance: 0 }], opts));
      }
    }
    expect(index.version).toBe(loaded.version);
    expect(new Set(index.nodeIds())).toEqual(new Set(loaded.nodeIds()));
  });

  it('walks column lineage with transformation filters', async () => {
    const output = {
      name: 'orders',
      facets: columnLineage({
        order_id: [{ name: 'raw_orders', field: 'id', type: 'DIRECT', subtype: 'IDENTITY' }],
        total: [{ name: 'raw_orders', field: 'amount', type: 'DIRECT', subtype: 'AGGREGATION' }, { name: 'fx', field: 'rate', type: 'INDIRECT', subtype: 'JOIN' }],
      }),
    };
    await ingest([run('clean', 'b0000000-0000-4000-8000-000000000001', 'COMPLETE', 0, ['raw_orders', 'fx'], [output])]);
    const field = (d: string, f: string) => `datasetField:warehouse:${d}:${f}` as NodeId;
    expect(ids(index.traverse([{ id: field('orders', 'total'), distance: 0 }], { direction: 'upstream', depth: 1, maxNodes: 10 }))).toEqual([
      'datasetField:warehouse:orders:total@0', 'datasetField:warehouse:fx:rate@1', 'datasetField:warehouse:raw_orders:amount@1',
    ]);
    expect(
      ids(index.traverse([{ id: field('orders', 'total'), distance: 0 }], { direction: 'upstream', depth: 1, maxNodes: 10, transformations: ['DIRECT'] })),
    ).toEqual(['datasetField:warehouse:orders:total@0', 'datasetField:warehouse:raw_orders:amount@1']);
    const r = index.traverse([{ id: field('raw_orders', 'id'), distance: 0 }], down(3));
    expect(r.edges).toEqual([
      {
        from: field('raw_orders', 'id'),
        to: field('orders', 'order_id'),
        kind: 'column',
        job: 'job:pipelines:clean',
        transformations: [expect.objectContaining({ type: 'DIRECT', subtype: 'IDENTITY' })],
      },
    ]);
    expect(index.traverse([{ id: field('raw_orders', 'id'), distance: 0 }], down(3))).toEqual((await fresh()).traverse([{ id: field('raw_orders', 'id'), distance: 0 }], down(3)));
  });

  it('lands a symlinked name on its canonical dataset', async () => {
    const symlinked = {
      name: 'orders',
      facets: {
        symlinks: {
          _producer: 'https://example.com/lineage-hub-graph-tests',
          _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json',
          identifiers: [{ namespace: 'hive', name: 'analytics.orders', type: 'TABLE' }],
        },
      },
    };
    await ingest([run('clean', 'c0000000-0000-4000-8000-000000000001', 'COMPLETE', 0, ['raw_orders'], [symlinked])]);
    const aliases = [...index.nodeIds()].filter((id) => id.startsWith('dataset:hive:'));
    expect(aliases).toEqual(['dataset:hive:analytics.orders']);
    expect(index.canonicalId('dataset:hive:analytics.orders')).toBe(ds('orders'));
    expect(ids(index.traverse([{ id: 'dataset:hive:analytics.orders' as NodeId, distance: 0 }], { direction: 'upstream', depth: 1, maxNodes: 10 }))).toEqual([
      'dataset:warehouse:orders@0', 'dataset:warehouse:raw_orders@1', 'job:pipelines:clean@1',
    ]);
  });
});
