/**
 * A dataset tagged by an event that carries no run (a DatasetEvent, or a JobEvent's output) is re-evaluated by the
 * next incremental evaluation: a tag-scoped freshness policy reaches it at once, as a full evaluation would, not
 * when it is next written. SQLite and PostgreSQL, the evaluator's facts cache warm and cold; the incremental
 * outcome (open findings, freshness states) compared with a full evaluation's at the same time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalDataset, canonicalizeEvent, datasetId, type Finding, type NodeId, type OpenLineageEvent, type OpenLineageEventKind } from '@lineage-hub/model';
import { createStore, type IngestInput, type LineageStore } from '@lineage-hub/store';
import { datasetEvent, jobEvent, runEvent } from '../../libs/store/src/testing/store-events.fixture';
import type { FindingsEvaluator } from '../../apps/shard/src/findings/findings-evaluator.service';
import { domainEvaluator } from '../testing/findings-shard-kit';
import { createTempDatabase } from '../testing/shard-test-kit';

const H = 3_600_000;
const NS = 'snowflake://acme';
/** The stored id (Snowflake names are upper-cased): what the events, raw as a producer sends them, name. */
const stored = (name: string) => {
  const c = canonicalDataset(NS, name);
  return datasetId(c.namespace, c.name);
};
const ORDERS = stored('mart.orders');
const ITEMS = stored('mart.items');
const UNWRITTEN = stored('mart.unwritten');
const CUSTOMERS = stored('mart.customers');
/** As the API hands an event to the store: canonical, beside the raw payload it keeps. */
const asReceived = (raw: object, kind: OpenLineageEventKind): IngestInput => ({ event: canonicalizeEvent(raw as OpenLineageEvent, kind), raw: raw as Record<string, unknown> });
const gold = { tags: { _producer: 'test', _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json', tags: [{ key: 'tier', value: 'gold', source: 'catalog' }] } };

const comparable = (f: Finding) => ({ key: f.key, status: f.status, dataset: f.dataset, evidence: f.evidence, summary: f.summary, openedAt: f.openedAt });

describe.each([
  ['sqlite', 'warm'],
  ['sqlite', 'cold'],
  ['postgres', 'warm'],
  ['postgres', 'cold'],
] as const)('findings: a dataset tagged by an event without a run meets its tag policy at the next incremental evaluation (%s, %s)', (kind, temperature) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-findings-tags-'));
  const cleanups: Array<() => Promise<void>> = [];
  let store: LineageStore;
  let evaluator: FindingsEvaluator;
  const now = Date.now();

  const outcome = async () => ({
    findings: (await store.findings.listFindings({ limit: 1000 })).findings.map(comparable).sort((a, b) => a.key.localeCompare(b.key)),
    freshness: await Promise.all([ORDERS, ITEMS, UNWRITTEN, CUSTOMERS].map((d) => store.findings.getFreshness(d))),
  });
  const staleKeys = async () => (await store.findings.listFindings({ kind: 'stale', status: 'open' })).findings.map((f) => f.key).sort();
  /** The incremental evaluation's outcome at `at`, checked against a full evaluation's at the same time. */
  const incrementalEqualsFull = async (at: number) => {
    if (temperature === 'cold') evaluator.releaseFacts();
    await evaluator.evaluate('incremental', at);
    const incremental = await outcome();
    await evaluator.evaluate('full', at);
    expect(incremental).toEqual(await outcome());
  };

  beforeAll(async () => {
    let url = `sqlite:${path.join(dir, 'lineage.db')}`;
    if (kind === 'postgres') {
      const db = await createTempDatabase('findings_tags');
      cleanups.push(() => db.drop());
      url = db.url;
    }
    store = await createStore(url);
    await store.migrate();
    cleanups.unshift(() => store.close());
    // daily loads for two weeks, the last one 5 hours ago: learned, not late; a gold-tier policy of 1 hour
    const daily = (dataset: NodeId, name: string) =>
      Array.from({ length: 14 }, (_, i) => ({ dataset, sources: [], writtenAt: now - 5 * H - i * 24 * H, operation: 'INSERT' as const, actor: 'etl', queryId: `${name}${i}`, connectorId: 'sf' }));
    await store.recordObservedWrites([...daily(ORDERS, 'o'), ...daily(ITEMS, 'i'), ...daily(CUSTOMERS, 'c')]);
    await store.findings.putPolicies({ policies: [{ tag: 'tier:gold', warnAfter: '1h' }] }, now - 60_000);
    evaluator = domainEvaluator(store, 'sales', { etl: { domain: 'sales' } });
    await evaluator.evaluate('full', now);
  });

  afterAll(async () => {
    for (const c of cleanups) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  it('untagged: learned and fresh', async () => {
    expect(await staleKeys()).toEqual([]);
    expect(await store.findings.getFreshness(ORDERS)).toMatchObject({ state: 'learned', status: 'fresh', policy: null });
  });

  it('a DatasetEvent tags it gold: stale by the tag policy at the next incremental evaluation, as a full one finds', async () => {
    await store.ingest([asReceived(datasetEvent(now + 60_000, { ns: NS, name: 'mart.orders', facets: gold }), 'DatasetEvent')]);
    await incrementalEqualsFull(now + 2 * 60_000);
    expect(await staleKeys()).toEqual([`stale|${ORDERS}`]);
    expect(await store.findings.getFreshness(ORDERS)).toMatchObject({ state: 'policy', status: 'stale', policy: { tag: 'tier:gold', warnAfter: '1h' } });
  });

  it("a JobEvent declaring it as an output with the tag: the same for the job's output", async () => {
    await store.ingest([asReceived(jobEvent(now + 3 * 60_000, 'catalog_sync', [], [{ ns: NS, name: 'mart.items', facets: gold }]), 'JobEvent')]);
    await incrementalEqualsFull(now + 4 * 60_000);
    expect(await staleKeys()).toEqual([`stale|${ITEMS}`, `stale|${ORDERS}`]);
  });

  it('a dataset with no history in the window that a DatasetEvent tags: not evaluated, as a full evaluation leaves it', async () => {
    await store.ingest([asReceived(datasetEvent(now + 5 * 60_000, { ns: NS, name: 'mart.unwritten', facets: gold }), 'DatasetEvent')]);
    await incrementalEqualsFull(now + 6 * 60_000);
    expect(await store.findings.getFreshness(UNWRITTEN)).toBeNull();
    expect(await staleKeys()).toEqual([`stale|${ITEMS}`, `stale|${ORDERS}`]);
  });

  it("a run of another job reads it with the tag: the input meets the tag policy at the next incremental evaluation", async () => {
    const report = (type: 'START' | 'COMPLETE', minutes: number) =>
      runEvent({ job: 'weekly_report', runId: '7f0c2a4e-0000-4000-8000-000000000001', type, time: now + minutes * 60_000, inputs: [{ ns: NS, name: 'mart.customers', facets: gold }] });
    await store.ingest([asReceived(report('START', 7), 'RunEvent'), asReceived(report('COMPLETE', 8), 'RunEvent')]);
    await incrementalEqualsFull(now + 9 * 60_000);
    expect(await staleKeys()).toEqual([`stale|${CUSTOMERS}`, `stale|${ITEMS}`, `stale|${ORDERS}`].sort());
  });
});
