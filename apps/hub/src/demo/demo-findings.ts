/**
 * The demo's findings: declared runs and a recorded warehouse log (observed writes as the Snowflake, BigQuery and
 * Redshift connectors would deliver them), placed relative to the time the demo is loaded, with planted truths:
 *
 * - an analyst's direct UPDATE of a Sales mart that no declared run explains       -> undeclared-write
 * - a dbt model run whose OpenLineage events never arrived, matched through dbt's query comment  -> nothing
 * - an Airflow-labelled BigQuery job whose events never arrived, matched through its job labels  -> nothing
 * - a Finance table late by its freshness policy (a `tier:gold` tag policy)        -> stale (policy)
 * - a Finance table that stopped updating on its learned daily cadence             -> stale (learned)
 * - a Sales extract whose run has been in START for 9 hours                        -> stalled-run
 * - a Marketing job whose latest run did not read the CRM contacts it always reads -> missing-input
 *
 * Everything else explains itself, so exactly these findings are open (DEMO_PLANTED_FINDINGS).
 */
import { canonicalNodeId, jobHints, type ObservedWrite } from '@lineage-hub/model';
import { DEMO_PRODUCERS, facet, uuid } from './demo-mesh';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SF = 'snowflake://acme-sales';
const BQ = 'bigquery';
const RS = 'redshift://finance.abc123.us-east-1.redshift.amazonaws.com:5439';

/** The dataset's node id in its canonical spelling (as the shards store and report it). */
const dsId = (namespace: string, name: string): string => canonicalNodeId(`dataset:${namespace}:${name}`);

interface DemoDataset {
  namespace: string;
  name: string;
  /** OpenLineage tags facet entries (key:value), for tag-scoped freshness policies. */
  tags?: Array<[key: string, value: string]>;
}

interface DemoRun {
  job: { namespace: string; name: string };
  producer: string;
  startedAt: number;
  /** null: the run never finished (only a START). */
  endedAt: number | null;
  inputs: DemoDataset[];
  outputs: DemoDataset[];
}

const datasetJson = (d: DemoDataset, producer: string) => ({
  namespace: d.namespace,
  name: d.name,
  facets: d.tags
    ? { tags: facet(producer, '1-0-0/TagsDatasetFacet.json#/$defs/TagsDatasetFacet', { tags: d.tags.map(([key, value]) => ({ key, value, source: 'CONFIG' })) }) }
    : {},
});

const runEvents = (run: DemoRun, seed: string): Array<Record<string, unknown>> => {
  const runId = uuid(seed);
  const base = {
    producer: run.producer,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    job: { namespace: run.job.namespace, name: run.job.name, facets: {} },
    run: { runId },
    inputs: run.inputs.map((d) => datasetJson(d, run.producer)),
    outputs: run.outputs.map((d) => datasetJson(d, run.producer)),
  };
  const events = [{ ...base, eventType: 'START', eventTime: new Date(run.startedAt).toISOString() }];
  if (run.endedAt !== null) events.push({ ...base, eventType: 'COMPLETE', eventTime: new Date(run.endedAt).toISOString() });
  return events;
};

// Sales
const stgOrders: DemoDataset = { namespace: SF, name: 'ANALYTICS.PUBLIC.ORDERS' };
const dimCustomers: DemoDataset = { namespace: SF, name: 'ANALYTICS.MARTS.DIM_CUSTOMERS' };
const ordersEnriched: DemoDataset = { namespace: SF, name: 'ANALYTICS.MARTS.ORDERS_ENRICHED' };
const pgReturns: DemoDataset = { namespace: 'postgres://orders-db.sales.internal:5432', name: 'shop.public.returns' };
const rawReturns: DemoDataset = { namespace: SF, name: 'RAW.SHOP.RETURNS' };
// Marketing
const rawSpend: DemoDataset = { namespace: BQ, name: 'acme-marketing.ads.raw_spend' };
const campaignSpend: DemoDataset = { namespace: BQ, name: 'acme-marketing.ads.campaign_spend' };
const sessions: DemoDataset = { namespace: BQ, name: 'acme-marketing.web.sessions' };
const contacts: DemoDataset = { namespace: BQ, name: 'acme-marketing.crm.contacts' };
const segments: DemoDataset = { namespace: BQ, name: 'acme-marketing.audience.segments' };
// Finance
const fxSource: DemoDataset = { namespace: 's3://acme-finance-exports', name: 'feeds/ecb/fx.csv' };
const fxRates: DemoDataset = { namespace: RS, name: 'finance.public.fx_rates', tags: [['tier', 'gold']] };
const ledger: DemoDataset = { namespace: RS, name: 'finance.staging.ledger_entries' };
const glBalances: DemoDataset = { namespace: RS, name: 'finance.public.gl_balances' };

const JOBS = {
  ordersEnriched: { namespace: 'dbt-sales', name: 'acme_sales.orders_enriched' },
  returns: { namespace: 'airflow-sales', name: 'shop_extract.returns' },
  campaignSpend: { namespace: 'airflow-marketing', name: 'campaign_spend.load_spend' },
  audience: { namespace: 'spark-marketing', name: 'audience.build' },
  fxRates: { namespace: 'airflow-finance', name: 'finance_load.fx_rates' },
  glBalances: { namespace: 'airflow-finance', name: 'finance_load.gl_balances' },
};

const jobId = (j: { namespace: string; name: string }) => `job:${j.namespace}:${j.name}`;

/** `count` daily runs of 10 minutes, the last one starting at `lastStart`. */
const daily = (count: number, lastStart: number, spec: Omit<DemoRun, 'startedAt' | 'endedAt'>): DemoRun[] =>
  Array.from({ length: count }, (_, i) => {
    const startedAt = lastStart - (count - 1 - i) * DAY;
    return { ...spec, startedAt, endedAt: startedAt + 10 * 60_000 };
  });

/** The hour the demo is anchored to: loading twice within an hour posts the same events and writes. */
export const demoAnchor = (now: number): number => Math.floor(now / HOUR) * HOUR;

/** The declared runs of the findings demo (OpenLineage events, in time order). */
export const demoFindingsEvents = (now: number): Array<Record<string, unknown>> => {
  const t = demoAnchor(now);
  const runs: Array<[string, DemoRun]> = [];
  const add = (key: string, list: DemoRun[]) => list.forEach((r, i) => runs.push([`${key}/${i}`, r]));
  add('orders-enriched', daily(3, t - 26 * HOUR, { job: JOBS.ordersEnriched, producer: DEMO_PRODUCERS.dbt, inputs: [stgOrders], outputs: [ordersEnriched] }));
  add('campaign-spend', daily(3, t - 27 * HOUR, { job: JOBS.campaignSpend, producer: DEMO_PRODUCERS.airflow, inputs: [rawSpend], outputs: [campaignSpend] }));
  // five good daily runs, then one that started 9 hours ago and never finished
  const returns = { job: JOBS.returns, producer: DEMO_PRODUCERS.airflow, inputs: [pgReturns], outputs: [rawReturns] };
  add('returns', [...daily(5, t - 33 * HOUR, returns), { ...returns, startedAt: t - 9 * HOUR, endedAt: null }]);
  // five runs read sessions and CRM contacts; the latest read sessions only
  const audience = { job: JOBS.audience, producer: DEMO_PRODUCERS.spark, outputs: [segments] };
  const audienceRuns = daily(6, t - 3 * HOUR, { ...audience, inputs: [sessions, contacts] });
  audienceRuns[5] = { ...audienceRuns[5], inputs: [sessions] };
  add('audience', audienceRuns);
  // fx_rates (tagged tier:gold, policy warnAfter 24h) last loaded 30 hours ago
  add('fx-rates', daily(4, t - 30 * HOUR, { job: JOBS.fxRates, producer: DEMO_PRODUCERS.airflow, inputs: [fxSource], outputs: [fxRates] }));
  // gl_balances loaded every day for two weeks, the last time two days ago
  add('gl-balances', daily(14, t - 2 * DAY - 4 * HOUR, { job: JOBS.glBalances, producer: DEMO_PRODUCERS.airflow, inputs: [ledger], outputs: [glBalances] }));
  return runs
    .flatMap(([key, run]) => runEvents(run, `demo-findings/${key}@${t}`))
    .sort((a, b) => Date.parse(a.eventTime as string) - Date.parse(b.eventTime as string));
};

/** A statement from a warehouse's query log, before the connector turned it into an ObservedWrite. */
interface LoggedStatement {
  domain: string;
  connectorId: string;
  queryId: string;
  at: number;
  actor: string;
  operation: NonNullable<ObservedWrite['operation']>;
  sql: string;
  target: DemoDataset;
  sources: DemoDataset[];
  rows: number;
  labels?: Record<string, string>;
}

const dbtComment = (node: string) =>
  JSON.stringify({ app: 'dbt', dbt_version: '1.8.7', profile_name: 'acme_sales', target_name: 'prod', node_id: node });

/** The recorded warehouse log: statements the connectors saw, by the domain whose shard receives them. */
export const demoObservedWrites = (now: number): Record<string, ObservedWrite[]> => {
  const t = demoAnchor(now);
  const log: LoggedStatement[] = [
    {
      domain: 'sales',
      connectorId: 'snowflake-acme-sales',
      queryId: `01b9a3f2-0000-4d1e-0000-analyst-${t}`,
      at: t - 5 * HOUR,
      actor: 'JANE_ANALYST',
      operation: 'UPDATE',
      sql: "UPDATE ANALYTICS.MARTS.DIM_CUSTOMERS SET COUNTRY = 'DE' WHERE CUSTOMER_ID IN (SELECT CUSTOMER_ID FROM ANALYTICS.PUBLIC.ORDERS WHERE STATUS = 'returned')",
      target: dimCustomers,
      sources: [stgOrders],
      rows: 1_204,
    },
    {
      // dbt-snowflake appends its query comment; the run's OpenLineage events were never sent
      domain: 'sales',
      connectorId: 'snowflake-acme-sales',
      queryId: `01b9a3f2-0000-4d1e-0000-dbt-${t}`,
      at: t - 4 * HOUR,
      actor: 'DBT_PROD',
      operation: 'MERGE',
      sql: `merge into ANALYTICS.MARTS.ORDERS_ENRICHED as t using (select * from ANALYTICS.PUBLIC.ORDERS) as s on t.ORDER_ID = s.ORDER_ID when matched then update set STATUS = s.STATUS\n/* ${dbtComment('model.acme_sales.orders_enriched')} */`,
      target: ordersEnriched,
      sources: [stgOrders],
      rows: 5_310,
    },
    {
      // an Airflow BigQueryInsertJobOperator retry: BigQuery keeps the labels Airflow set on the job
      domain: 'marketing',
      connectorId: 'bigquery-acme-marketing',
      queryId: `acme-marketing:US.airflow_campaign_spend_load_spend_${t}`,
      at: t - 3 * HOUR,
      actor: 'airflow@acme-marketing.iam.gserviceaccount.com',
      operation: 'INSERT',
      sql: 'INSERT INTO `acme-marketing.ads.campaign_spend` SELECT campaign_id, DATE(ts) AS day, SUM(cost) FROM `acme-marketing.ads.raw_spend` GROUP BY 1, 2',
      target: campaignSpend,
      sources: [rawSpend],
      rows: 48_200,
      labels: { 'airflow-dag': 'campaign_spend', 'airflow-task': 'load_spend' },
    },
  ];
  const out: Record<string, ObservedWrite[]> = {};
  for (const s of log) {
    const hints = jobHints({ sql: s.sql, ...(s.labels ? { labels: s.labels } : {}) });
    (out[s.domain] ??= []).push({
      dataset: dsId(s.target.namespace, s.target.name) as ObservedWrite['dataset'],
      sources: s.sources.map((d) => dsId(d.namespace, d.name) as ObservedWrite['dataset']),
      writtenAt: s.at,
      operation: s.operation,
      actor: s.actor,
      queryId: s.queryId,
      queryText: s.sql,
      rows: s.rows,
      ...(hints ? { hints } : {}),
      connectorId: s.connectorId,
    });
  }
  return out;
};

/** Freshness policies per domain (PUT /api/v1/freshness-policies?domain=). */
export const DEMO_FRESHNESS_POLICIES: Record<string, { policies: Array<Record<string, unknown>> }> = {
  finance: { policies: [{ tag: 'tier:gold', warnAfter: '24h', errorAfter: '48h' }] },
};

/** Exactly the findings the demo opens: kind, subject (dataset or job) and domain. */
export const DEMO_PLANTED_FINDINGS: Array<{ kind: string; subject: string; domain: string }> = [
  { kind: 'undeclared-write', subject: dsId(dimCustomers.namespace, dimCustomers.name), domain: 'sales' },
  { kind: 'stalled-run', subject: jobId(JOBS.returns), domain: 'sales' },
  { kind: 'missing-input', subject: jobId(JOBS.audience), domain: 'marketing' },
  { kind: 'stale', subject: dsId(fxRates.namespace, fxRates.name), domain: 'finance' },
  { kind: 'stale', subject: dsId(glBalances.namespace, glBalances.name), domain: 'finance' },
];
