/**
 * A connector delivers, for each statement it saw, an observed write and an OpenLineage run of provenance
 * `observed` (with the statement's ExternalQueryRunFacet). Those runs are what the warehouse did, not what a
 * pipeline declared: they must not explain the writes they were made from (else no undeclared write would ever be
 * raised for a real connector), nor make findings of their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { observedRunEvent } from '@lineage-hub/connector-sdk';
import { datasetId } from '@lineage-hub/model';
import { createStore, type LineageStore } from '@lineage-hub/store';
import { domainEvaluator } from '../testing/findings-shard-kit';

const H = 3_600_000;
const NS = 'snowflake://acme';

describe('findings: runs a connector observed are not declared runs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-findings-observed-'));
  let store: LineageStore;
  const now = Date.now();

  beforeAll(async () => {
    store = await createStore(`sqlite:${path.join(dir, 'lineage.db')}`);
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an analyst write seen by a connector (observed write + observed run) is an undeclared-write', async () => {
    const at = now - 2 * H;
    const sql = 'insert into mart.orders select * from raw.orders';
    const event = observedRunEvent({
      producer: 'https://github.com/lineage-hub/lineage-hub/connectors/snowflake',
      runId: '6c5f3a52-9a34-5d1b-8f1e-0b8a4b1f0c11',
      job: { namespace: NS, name: 'query_abc123' },
      eventTime: at,
      startTime: at - 60_000,
      inputs: [{ namespace: NS, name: 'raw.orders' }],
      outputs: [{ namespace: NS, name: 'mart.orders' }],
      sql,
      externalQueryId: '01b2-analyst',
      source: NS,
      integration: 'SNOWFLAKE',
    });
    await store.ingest([{ event, raw: event, provenance: 'observed' }]);
    await store.recordObservedWrites([
      { dataset: datasetId(NS, 'mart.orders'), sources: [datasetId(NS, 'raw.orders')], writtenAt: at, operation: 'INSERT', actor: 'ANALYST_ANN', queryId: '01b2-analyst', queryText: sql, connectorId: 'sf' },
    ]);
    const evaluator = domainEvaluator(store, 'sales');
    await evaluator.evaluate('full', now);
    const { findings } = await store.findings.listFindings({ status: 'open' });
    expect(findings.map((f) => [f.kind, f.dataset ?? f.job])).toEqual([['undeclared-write', datasetId(NS, 'mart.orders')]]);
  });
});
