/**
 * A statement run by another (a BigQuery script's child job, a Snowflake stored procedure's statement) is explained by
 * the declared run that names the top-level statement that ran it (rootQueryId): Airflow's BigQueryInsertJobOperator
 * declares the script's job id in its ExternalQueryRunFacet, while the writes are the script's children, each with a
 * job id of its own. One real shard (SQLite): observed writes carry it through POST /api/v1/observed-writes, a full
 * evaluation and then an incremental one find no undeclared write for a child of the declared script, and one for a
 * child of another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { getJson, postJson } from '../testing/shard-test-kit';

const H = 3_600_000;
const NS = 'bigquery';
const ds = (name: string) => `dataset:${NS}:acme.sales.${name}`;

describe('observed writes named through the top-level statement that ran them', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lh-findings-root-'));
  let shard: RunningShard;
  const now = Date.now();
  const undeclared = async () => {
    const res = await getJson(`${shard.httpUrl}/api/v1/findings?kind=undeclared-write&status=open`);
    expect(res.status).toBe(200);
    return (res.body.findings as Array<{ dataset: string }>).map((f) => f.dataset).sort();
  };
  const evaluate = async (mode: string) => {
    const res = await postJson(`${shard.httpUrl}/api/v1/findings/evaluate?mode=${mode}`, {});
    expect(res.status).toBe(200);
  };
  const child = (job: string, n: number, table: string, parent: string | null) => ({
    dataset: ds(table),
    sources: [ds('orders')],
    writtenAt: now - H + n * 1000,
    operation: 'INSERT',
    queryId: `acme:US.script_job_${job}_${n}`,
    ...(parent ? { rootQueryId: `acme:US.${parent}` } : {}),
    connectorId: 'bq-main',
  });

  beforeAll(async () => {
    shard = await startShard(
      shardConfig({
        port: 0,
        rpcPort: 0,
        rpcHost: '127.0.0.1',
        domain: 'sales',
        storeUrl: `sqlite:${path.join(tmp, 'lineage.db')}`,
        logLevel: 'error',
        findings: { intervalMs: 0, historyDays: 35, slackMs: 300_000, freshnessFile: undefined, actorsFile: undefined },
      }),
    );
    // the Airflow task that ran the script: it declares the script's job id (bare, as the Google provider does)
    const runId = randomUUID();
    for (const [type, time] of [['START', now - 2 * H], ['COMPLETE', now - H + 60_000]] as const) {
      const event = {
        eventType: type,
        eventTime: new Date(time).toISOString(),
        producer: 'https://github.com/apache/airflow/tree/providers-google/10.21.0',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        run: { runId, facets: { externalQuery: { _producer: 'https://example.com/test', _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/ExternalQueryRunFacet.json', externalQueryId: 'airflow_1733571_5f2c', source: 'bigquery' } } },
        job: { namespace: 'airflow', name: 'sales_daily.run_script', facets: {} },
        inputs: [{ namespace: NS, name: 'acme.sales.orders' }],
        outputs: [{ namespace: NS, name: 'acme.sales.daily' }],
      };
      expect((await postJson(`${shard.httpUrl}/api/v1/lineage`, event)).status).toBe(200);
    }
  });

  afterAll(async () => {
    await shard?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('accepts rootQueryId, lists it back, and refuses one that is not a string, naming it', async () => {
    const res = await postJson(`${shard.httpUrl}/api/v1/observed-writes`, [child('airflow_1733571_5f2c', 0, 'stage_a', 'airflow_1733571_5f2c'), child('other', 0, 'stage_b', 'bquxjob_77')]);
    expect(res.status).toBe(200);
    const list = await getJson(`${shard.httpUrl}/api/v1/observed-writes?dataset=${encodeURIComponent(ds('stage_a'))}`);
    expect(list.body.observedWrites).toEqual([expect.objectContaining({ queryId: 'acme:US.script_job_airflow_1733571_5f2c_0', rootQueryId: 'acme:US.airflow_1733571_5f2c' })]);
    const bad = await postJson(`${shard.httpUrl}/api/v1/observed-writes`, [child('x', 1, 'stage_c', null), { ...child('x', 2, 'stage_c', null), rootQueryId: 5 }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field?: string }).field).toBe('[1].rootQueryId');
    // nothing of the refused request was written
    expect((await getJson(`${shard.httpUrl}/api/v1/observed-writes?dataset=${encodeURIComponent(ds('stage_c'))}`)).body.observedWrites).toEqual([]);
  });

  it('a full evaluation explains the declared script\'s child by its script, not another script\'s', async () => {
    await evaluate('full');
    expect(await undeclared()).toEqual([ds('stage_b')]);
  });

  it('an incremental evaluation does the same for a child written after it', async () => {
    const res = await postJson(`${shard.httpUrl}/api/v1/observed-writes`, [child('airflow_1733571_5f2c', 1, 'stage_d', 'airflow_1733571_5f2c'), child('other', 1, 'stage_e', 'bquxjob_77')]);
    expect(res.status).toBe(200);
    await evaluate('incremental');
    expect(await undeclared()).toEqual([ds('stage_b'), ds('stage_e')]);
  });
});
