/**
 * Conformance (needs ../shared): the store suite's checks that use the OpenLineage compatibility-test events
 * (compat-consumer airflow and CLL), for every adapter (SQLite: sqlite-lineage.store.conformance.spec.ts,
 * PostgreSQL: test/conformance/store-postgres.conformance.test.ts). Fails loudly when ../shared is missing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDir } from '@lineage-hub/common';
import { createEventValidator, datasetFieldId, datasetId, jobId } from '@lineage-hub/model';
import type { IngestInput } from '../lineage-store.port';
import { edgesOf, runStates, type StoreHarness } from './store-conformance';

const compat = (folder: string) => {
  const dir = path.join(sharedDir(), 'conformance', 'openlineage', 'events', 'compat-consumer', folder);
  if (!existsSync(dir)) throw new Error(`conformance data missing: ${dir} (put ../shared beside the checkout or set LINEAGE_SHARED_DIR)`);
  return dir;
};
const validator = createEventValidator();
const prepare = (raw: Record<string, any>): IngestInput => validator.prepare(raw).input;

/** compat-consumer airflow line_01..line_32, in file order, validated and canonical. */
export const airflowEvents = (): IngestInput[] => {
  const dir = compat('airflow');
  return readdirSync(dir)
    .filter((f) => /^line_\d+\.json$/.test(f))
    .sort()
    .map((f) => prepare(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
};

/** compat-consumer CLL 1..9 (Spark column lineage, symlinks), in order. */
export const cllEvents = (): IngestInput[] => {
  const dir = compat('CLL');
  return readdirSync(dir)
    .filter((f) => /^\d+\.json$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((f) => prepare(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
};

export const describeStoreSharedEventConformance = (name: string, makeHarness: () => Promise<StoreHarness>): void => {
  describe(`LineageStore on the OpenLineage compatibility events: ${name}`, () => {
    jest.setTimeout(30_000);
    let h: StoreHarness;
    const extra: StoreHarness[] = [];
    const another = async () => {
      const next = await makeHarness();
      extra.push(next);
      return next.store;
    };
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
      for (const x of extra.splice(0)) await x.close();
    });

      it('the same events in reverse order, each twice, give the identical graph and run states (airflow + CLL)', async () => {
        const events = [...airflowEvents(), ...cllEvents()];
        expect(events.length).toBe(41);
        for (const e of events) await h.store.ingest([e]);
        const forward = await h.store.loadGraph();
        const runIds = [...new Set(events.map((e) => e.event.run.runId as string))];
        const forwardRuns = await runStates(h.store, runIds);

        const reverse = await another();
        for (const e of [...events].reverse()) {
          await reverse.ingest([e]);
          await reverse.ingest([e]);
        }
        expect(await reverse.loadGraph()).toEqual(forward);
        expect(await runStates(reverse, runIds)).toEqual(forwardRuns);

        const batched = await another();
        await batched.ingest([...events].reverse());
        expect(await batched.loadGraph()).toEqual(forward);

        // the shapes the in-memory index accepts
        for (const g of forward.groups) {
          for (const e of g.edges) expect(e.kind === 'reads' ? [e.from.split(':')[0], e.to.split(':')[0]] : [e.from.split(':')[0], e.to.split(':')[0]]).toEqual(e.kind === 'reads' ? ['dataset', 'job'] : ['job', 'dataset']);
          for (const c of g.columnEdges) expect(c.to.startsWith('datasetField:') && !c.from.startsWith('job:')).toBe(true);
        }
        // what the airflow DAG declared, as edges
        const upload = edgesOf(forward, jobId('airflow', 'BQ.upload')).edges;
        expect(upload.map((e) => [e.kind, e.from, e.to])).toEqual([
          ['reads', datasetId('gs://mock-bucket', 'copied.csv'), jobId('airflow', 'BQ.upload')],
          ['reads', datasetId('gs://mock-bucket', 'test.csv'), jobId('airflow', 'BQ.upload')],
          ['writes', jobId('airflow', 'BQ.upload'), datasetId('bigquery', 'mock-project.test.upload')],
        ]);
        expect(upload.every((e) => e.validFrom === Date.parse('2024-11-26T13:05:25.547Z') && e.validTo === null)).toBe(true);
        expect(Object.values(forwardRuns).every((r) => r?.state === 'COMPLETE')).toBe(true);
      });

      it('turns the Spark symlinks into aliases of the canonical dataset, which reads accept', async () => {
        for (const e of cllEvents()) await h.store.ingest([e]);
        const graph = await h.store.loadGraph();
        const canonical = datasetId('file', '/tmp/cll_test/cll_source1');
        const alias = datasetId('file:/tmp/cll_test', 'default.cll_source1');
        expect(graph.aliases).toContainEqual({ alias, canonical });
        expect(graph.aliases).toContainEqual({ alias: datasetId('file:/tmp/cll_test', 'default.tbl1'), canonical: datasetId('file', '/tmp/cll_test/tbl1') });
        const viaAlias = await h.store.getDataset(alias);
        expect(viaAlias?.id).toBe(canonical);
        expect(viaAlias?.aliases).toEqual([alias]);
        expect(viaAlias?.fields.map((f) => [f.name, f.type])).toEqual([
          ['a', 'integer'],
          ['b', 'string'],
        ]);
      });

      it('reads the CLL transformations from Spark', async () => {
        for (const e of cllEvents()) await h.store.ingest([e]);
        const graph = await h.store.loadGraph();
        const spark = edgesOf(graph, jobId('testColumnLevelLineage', 'open_lineage_integration_create_table.execute_create_hive_table_as_select_command.default_tbl1'));
        const ident = spark.columnEdges.find((c) => c.from === datasetFieldId('file', '/tmp/cll_test/cll_source1', 'a') && c.to === datasetFieldId('file', '/tmp/cll_test/tbl1', 'ident'));
        expect(ident?.transformations.map((t) => `${t.type}/${t.subtype}`)).toEqual(['DIRECT/IDENTITY', 'INDIRECT/GROUP_BY', 'INDIRECT/JOIN', 'INDIRECT/FILTER']);
        expect(spark.columnEdges.length).toBeGreaterThanOrEqual(9);
      });
  });
};
