/**
 * What both adapters refuse, the same way (SQLite in libs/store/src/sqlite-lineage.store.spec.ts, PostgreSQL in
 * test/integration/store-postgres.test.ts): input beyond LIMITS (libs/model), NULs, lone surrogates, deep
 * nesting, an empty run id, and a run id reused by another job. Each refusal is a DomainError naming the field,
 * and the store is unchanged after it.
 */
import { LIMITS } from '@lineage-hub/model';
import type { IngestInput, LineageStore } from '../lineage-store.port';
import type { StoreHarness } from './store-conformance';
import { at, input, runEvent } from './store-events.fixture';

const ok = () => input(runEvent({ job: 'j', runId: 'r-ok', type: 'START', time: at(1), inputs: ['a'], outputs: ['b'] }));
const withRun = (runId: string) => input(runEvent({ job: 'j', runId, type: 'START', time: at(2), inputs: ['a'] }));
const deep = (depth: number) => {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i += 1) value = { nested: value };
  return value;
};

const snapshot = async (store: LineageStore) => ({ stats: await store.stats(), graph: await store.loadGraph(), chain: await store.verifyChain() });

export const describeStoreRefusals = (name: string, makeHarness: () => Promise<StoreHarness>): void => {
  describe(`LineageStore refusals: ${name}`, () => {
    jest.setTimeout(60_000);
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
      await h.store.ingest([ok()]);
    });
    afterEach(() => h.close());

    const cases: Array<[string, () => IngestInput[], string, string]> = [
      ['a dataset name over the limit', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), inputs: ['x'.repeat(LIMITS.nameBytes + 1)] }))], 'invalid-argument', 'inputs[0].name'],
      ['a 1 MB run id', () => [withRun('r'.repeat(1_000_000))], 'invalid-argument', 'run.runId'],
      ['an empty run id', () => [withRun('')], 'invalid-argument', 'run.runId'],
      ['a job namespace over the limit (multi-byte)', () => [input(runEvent({ job: 'j', jobNs: 'é'.repeat(LIMITS.namespaceBytes / 2 + 1), runId: 'r1', type: 'START', time: at(2) }))], 'invalid-argument', 'job.namespace'],
      ['a NUL in a name', () => [input(runEvent({ job: 'j\u0000x', runId: 'r1', type: 'START', time: at(2) }))], 'invalid-argument', 'job.name'],
      ['a NUL inside a facet', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), runFacets: { custom: { _producer: 'p', _schemaURL: 's', text: 'a\u0000b' } } }))], 'invalid-argument', 'run.facets.custom.text'],
      ['a lone surrogate in a key', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), runFacets: { custom: { _producer: 'p', _schemaURL: 's', ['k\ud800']: 1 } } }))], 'invalid-argument', 'run.facets.custom'],
      ['facets nested 10,000 deep', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), runFacets: { custom: deep(10_000) } }))], 'invalid-argument', 'run.facets.custom'],
      ['a facet over the size limit', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), jobFacets: { sql: { _producer: 'p', _schemaURL: 's', query: 'x'.repeat(LIMITS.facetBytes) } } }))], 'invalid-argument', 'job.facets.sql'],
      ['more inputs than the limit', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), inputs: Array.from({ length: LIMITS.datasetsPerEvent + 1 }, () => 'a') }))], 'invalid-argument', 'inputs'],
      ['a schema field name that makes an over-long field id', () => [input(runEvent({ job: 'j', runId: 'r1', type: 'START', time: at(2), outputs: [{ name: 'b', fields: [['f'.repeat(LIMITS.nodeIdBytes), 'int']] }], inputs: [{ name: 'a', fields: [['id', 'int']] }] }))].map((i) => { i.event.outputs[0].facets.columnLineage = { _producer: 'p', _schemaURL: 's', fields: { ['f'.repeat(LIMITS.nodeIdBytes)]: { inputFields: [{ namespace: 'warehouse', name: 'a', field: 'id' }] } } }; return i; }), 'invalid-argument', 'columnLineage'],
      ['the run id of another job (in a later batch)', () => [input(runEvent({ job: 'other', runId: 'r-ok', type: 'COMPLETE', time: at(3), outputs: ['c'] }))], 'conflict', 'run.runId'],
      ['the same run id for two jobs in one batch', () => [withRun('r-two'), input(runEvent({ job: 'other', runId: 'r-two', type: 'START', time: at(2) }))], 'conflict', 'run.runId'],
      ['more events than a batch may hold', () => Array.from({ length: LIMITS.eventsPerBatch + 1 }, (_, i) => withRun(`r-${i}`)), 'invalid-argument', 'body'],
    ];

    it.each(cases)('refuses %s, naming the field, and changes nothing', async (_label, batch, code, field) => {
      const before = await snapshot(h.store);
      await expect(h.store.ingest([withRun('r-good'), ...batch()])).rejects.toMatchObject({ code, field });
      expect(await snapshot(h.store)).toEqual(before);
    });

    it('accepts the largest values within the limits', async () => {
      const name = 'n'.repeat(LIMITS.nameBytes);
      const ns = 's'.repeat(LIMITS.namespaceBytes);
      await h.store.ingest([input(runEvent({ job: name, jobNs: ns, runId: 'r'.repeat(LIMITS.runIdBytes), type: 'START', time: at(2), inputs: [{ ns, name }], runFacets: { custom: deep(LIMITS.eventDepth - 8) } }))]);
      expect((await h.store.stats()).events).toBe(2);
      expect((await h.store.getRun('r'.repeat(LIMITS.runIdBytes)))?.job).toBe(`job:${ns}:${name}`);
    });
  });
};
