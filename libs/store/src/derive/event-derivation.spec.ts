import { datasetFieldId, datasetId, jobId } from '@lineage-hub/model';
import { canonicalJson, chainHash, sha256Hex } from './canonical-json';
import { deriveEvent } from './event-derivation';
import { schemaVersionId } from './schema-fields.derivation';

const opts = { eventHash: 'h', fallbackTime: 0 };

describe('deriveEvent', () => {
  it('derives namespaces, datasets with schema fields and version, the job and the run from a RunEvent', () => {
    const facts = deriveEvent(
      {
        eventType: 'COMPLETE',
        eventTime: '2024-01-01T00:00:10Z',
        run: { runId: 'r1', facets: { parent: { run: { runId: 'p1' }, job: { namespace: 'p', name: 'dag' } }, nominalTime: { nominalStartTime: '2024-01-01T00:00:00Z' } } },
        job: { namespace: 'p', name: 'dag.task', facets: { jobType: { processingType: 'STREAMING' }, documentation: { description: 'doc' } } },
        inputs: [{ namespace: 'w', name: 'a', facets: { schema: { fields: [{ name: 'id', type: 'INT' }, { name: 's', type: 'STRUCT', fields: [{ name: 'x', type: 'INT' }] }] } } }],
        outputs: [{ namespace: 'w', name: 'b', facets: { dataSource: { name: 'pg' } }, outputFacets: { outputStatistics: { rowCount: 1 } } }],
      },
      opts,
    );
    const at = Date.parse('2024-01-01T00:00:10Z');
    expect(facts.namespaces.map((n) => n.name).sort()).toEqual(['p', 'w']);
    expect(facts.job).toMatchObject({ id: jobId('p', 'dag.task'), type: 'STREAMING', description: 'doc' });
    const [a, b] = facts.datasets;
    expect(a.fields?.map((f) => f.name)).toEqual(['id', 's', 's.x']);
    expect(a.version).toBe(schemaVersionId(datasetId('w', 'a'), a.fields!));
    expect(b).toMatchObject({ sourceName: 'pg', version: null, runId: 'r1', facets: { outputStatistics: { rowCount: 1 } } });
    expect(facts.run).toMatchObject({ runId: 'r1', state: 'COMPLETE', startedAt: at, parentRunId: 'p1', nominalStartTime: '2024-01-01T00:00:00Z', inputs: [datasetId('w', 'a')], outputs: [datasetId('w', 'b')] });
  });

  it('gives a version per schema (names and types), not per run or description', () => {
    const id = datasetId('w', 'a');
    const v = (fields: Array<[string, string | null, string | null]>) => schemaVersionId(id, fields.map(([name, type, description]) => ({ name, type, description, tags: [] })));
    expect(v([['id', 'INT', 'x']])).toBe(v([['id', 'INT', 'y']]));
    expect(v([['id', 'INT', null]])).not.toBe(v([['id', 'BIGINT', null]]));
    expect(v([['id', 'INT', null]])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('makes symlinks aliases of the carrying dataset, and RENAME/DROP lifecycle entries', () => {
    const facts = deriveEvent(
      {
        eventTime: '2024-01-01T00:00:00Z',
        dataset: {
          namespace: 'w',
          name: 'new',
          facets: {
            symlinks: { identifiers: [{ namespace: 'hive', name: 'db.new', type: 'TABLE' }] },
            lifecycleStateChange: { lifecycleStateChange: 'RENAME', previousIdentifier: { namespace: 'w', name: 'old' } },
          },
        },
      },
      opts,
    );
    expect(facts.aliases.map((a) => [a.alias, a.canonical, a.source])).toEqual([
      [datasetId('hive', 'db.new'), datasetId('w', 'new'), 'symlink'],
      [datasetId('w', 'old'), datasetId('w', 'new'), 'rename'],
    ]);
    expect(facts.lifecycle).toEqual([{ dataset: datasetId('w', 'old'), state: 'RENAME', renamedTo: datasetId('w', 'new'), at: Date.parse('2024-01-01T00:00:00Z') }]);
    expect(facts.run).toBeNull(); // no lineage declared: no pseudo-run
  });

  it('turns a DatasetEvent with column lineage into a dataset-owned pseudo-run, and a JobEvent with IO into a job-owned one', () => {
    const ds = deriveEvent(
      {
        eventTime: '2024-01-01T00:00:00Z',
        dataset: { namespace: 'w', name: 't', facets: { columnLineage: { fields: { y: { inputFields: [{ namespace: 'w', name: 's', field: 'x' }] } } } } },
      },
      { ...opts, eventHash: 'abc' },
    );
    expect(ds.run).toMatchObject({ runId: 'dataset-event:abc', kind: 'dataset-event', owner: datasetId('w', 't'), state: 'COMPLETE' });
    expect(ds.run?.columns.map((c) => [c.from, c.to])).toEqual([[datasetFieldId('w', 's', 'x'), datasetFieldId('w', 't', 'y')]]);
    const job = deriveEvent({ eventTime: '2024-01-01T00:00:00Z', job: { namespace: 'p', name: 'j' }, inputs: [{ namespace: 'w', name: 's' }], outputs: [] }, { ...opts, eventHash: 'def' });
    expect(job.run).toMatchObject({ runId: 'job-event:def', kind: 'job-event', owner: jobId('p', 'j'), inputs: [datasetId('w', 's')] });
    const facetsOnly = deriveEvent({ eventTime: '2024-01-01T00:00:00Z', job: { namespace: 'p', name: 'j', facets: {} } }, opts);
    expect(facetsOnly.run).toBeNull();
  });
});

describe('canonical JSON and the chain hash', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: 'é' } })).toBe('{"a":{"c":"é","d":[2,{"x":null,"z":1}]},"b":1}');
  });

  it('chains sha256(prev || eventHash)', () => {
    expect(chainHash('', 'abc')).toBe(sha256Hex('abc'));
    expect(chainHash('p', 'e')).toBe(sha256Hex('pe'));
  });
});

describe('canonicalJson matches JSON.stringify with sorted keys', () => {
  const sortDeep = (v: any): any =>
    Array.isArray(v) ? v.map(sortDeep) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep(v[k])])) : v;
  it.each([
    { s: 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f' },
    { emoji: '😀', lone: '\ud800x', ls: '\u2028\u2029', long: 'x'.repeat(600) },
    { n: [1, -0, 1e21, 0.1, NaN, Infinity], b: [true, false, null], nested: { z: { y: [{ b: 1, a: 2 }] }, 'k"ey': 1 } },
    { date: new Date(0), skip: undefined, arr: [undefined, () => 1] },
    // many keys out of order (the in-place sort of small key lists, and sort() beyond 32 keys)
    Object.fromEntries(['zeta', 'Alpha', 'beta', 'é', 'a', 'aa', 'A', '_x', 'Z', 'b2', 'b10', 'ü', 'k"q', ''].map((k, i) => [k, { [`n${i}`]: i, m: i }])),
    Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key_${(i * 7919) % 97}_${i % 3 ? 'x' : 'Y'}`, i])),
  ])('%#', (value) => {
    expect(canonicalJson(value)).toBe(JSON.stringify(sortDeep(JSON.parse(JSON.stringify(value)))));
  });
});
