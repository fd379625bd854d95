/**
 * Write-path fault suite, run against both adapters (SQLite in libs/store/src/write-faults.spec.ts, PostgreSQL in
 * test/integration/store-postgres.test.ts): a real database error injected at every statement of an ingest, one
 * statement after another, must leave every table exactly as it was; the same batch then ingests to the state a
 * store that never failed reaches.
 */
import type { NodeId } from '@lineage-hub/model';
import type { IngestInput, LineageStore } from '../lineage-store.port';
import { RelationalLineageStore } from '../relational/relational.store';
import type { SqlDriver } from '../sql/sql-driver';
import { FaultInjectingDriver } from './fault-injecting.driver';
import { at, datasetEvent, input, jobEvent, runEvent } from './store-events.fixture';

export interface DriverHarness {
  driver: SqlDriver;
  /** After migrating (PostgreSQL reads its column types). */
  ready?: () => Promise<void>;
  close(): Promise<void>;
}

const TABLES = [
  'events', 'chain_head', 'namespaces', 'datasets', 'dataset_times', 'dataset_versions', 'jobs', 'runs', 'edges', 'edge_owners', 'aliases',
  'lifecycle', 'observed_writes',
];

/** Every row of every store table, as sorted JSON lines (numbers normalised, so both drivers compare alike). */
export const dumpTables = async (driver: SqlDriver): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await driver.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    out[table] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
  }
  return out;
};

class TestStore extends RelationalLineageStore {
  constructor(driver: SqlDriver, clock: () => number) {
    super(driver, clock);
  }
}

const CLOCK = () => at(500);

const seed = (): IngestInput[] => [
  input(runEvent({ job: 'load', runId: 'r-1', type: 'START', time: at(1), inputs: [{ name: 'raw', fields: [['id', 'int']] }], outputs: ['stage'] })),
  input(runEvent({ job: 'load', runId: 'r-1', type: 'COMPLETE', time: at(2), inputs: ['raw'], outputs: [{ name: 'stage', fields: [['id', 'int']] }] })),
  input(runEvent({ job: 'report', runId: 'r-2', type: 'START', time: at(3), inputs: ['stage'], outputs: ['report'] })),
  input(datasetEvent(at(4), { name: 'old', facets: { symlinks: { _producer: 't', _schemaURL: 't', identifiers: [{ namespace: 'warehouse', name: 'old_alias', type: 'TABLE' }] } } })),
];

/** Touches every part of the write path: a known owner resumed, a back-filled run, new owners, versions, aliases, a DROP, a duplicate. */
const faultyBatch = (): IngestInput[] => [
  input(runEvent({ job: 'load', runId: 'r-3', type: 'START', time: at(10), inputs: [{ name: 'raw', fields: [['id', 'int'], ['x', 'text']] }], outputs: ['stage'] })),
  input(runEvent({ job: 'load', runId: 'r-3', type: 'COMPLETE', time: at(11), inputs: ['raw'], outputs: ['stage', 'extra'] })),
  input(runEvent({ job: 'report', runId: 'r-0', type: 'COMPLETE', time: at(0), inputs: ['stage'], outputs: ['report'] })),
  input(runEvent({ job: 'fresh', runId: 'r-4', type: 'START', time: at(12), inputs: ['report'], outputs: [{ name: 'mart', fields: [['k', 'int']] }] })),
  input(jobEvent(at(13), 'declared', ['mart'], ['final'])),
  input(datasetEvent(at(14), { name: 'stage', facets: { symlinks: { _producer: 't', _schemaURL: 't', identifiers: [{ namespace: 'warehouse', name: 'stage_alias', type: 'TABLE' }] } } })),
  input(datasetEvent(at(15), { name: 'report', facets: { lifecycleStateChange: { _producer: 't', _schemaURL: 't', lifecycleStateChange: 'DROP' } } })),
  seed()[0],
];

export const describeWriteFaults = (name: string, makeDriver: () => Promise<DriverHarness>): void => {
  describe(`write faults: ${name}`, () => {
    jest.setTimeout(120_000);

    const open = async () => {
      const harness = await makeDriver();
      const faults = new FaultInjectingDriver(harness.driver);
      const store: LineageStore = new TestStore(faults, CLOCK);
      await store.migrate();
      await harness.ready?.();
      return { harness, faults, store };
    };

    it('a database error at any statement of an ingest changes nothing; the batch then stores as if it never failed', async () => {
      const reference = await open();
      const faulted = await open();
      try {
        for (const s of [reference.store, faulted.store]) await s.ingest(seed());
        await reference.store.ingest(faultyBatch());
        const expected = await dumpTables(reference.harness.driver);

        const before = await dumpTables(faulted.harness.driver);
        // how many statements a whole ingest of the batch sends, counted on a third store in the same state
        const counter = await open();
        let total: number;
        try {
          await counter.store.ingest(seed());
          counter.faults.arm(null);
          await counter.store.ingest(faultyBatch());
          total = counter.faults.statements;
        } finally {
          await counter.store.close();
          await counter.harness.close();
        }
        expect(total).toBeGreaterThan(10);

        const failures: number[] = [];
        for (let step = 1; step <= total; step += 1) {
          faulted.faults.arm(step);
          await expect(faulted.store.ingest(faultyBatch())).rejects.toThrow();
          const after = await dumpTables(faulted.harness.driver);
          if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(step);
        }
        expect(failures).toEqual([]);

        faulted.faults.arm(null);
        await faulted.store.ingest(faultyBatch());
        expect(await dumpTables(faulted.harness.driver)).toEqual(expected);
        const graph = await faulted.store.loadGraph();
        expect(graph.groups.map((g) => g.owner)).toContain('job:pipelines:fresh' as NodeId);
      } finally {
        for (const s of [reference, faulted]) {
          await s.store.close();
          await s.harness.close();
        }
      }
    });
  });
};
