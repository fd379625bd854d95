/**
 * A realistic little data mesh for `npm run demo`: three domains (sales, marketing, finance), several
 * warehouses (Postgres OLTP, Snowflake, BigQuery, Redshift, Kafka, S3), Airflow/dbt/Spark-style
 * OpenLineage events with schema and column-lineage facets, consumers that cross domains, a few spelling
 * drifts (`analytics.public.orders` for Snowflake's `ANALYTICS.PUBLIC.ORDERS`), and one job whose inputs
 * changed mid-week so as-of queries show a different past. Deterministic: posting it twice changes nothing.
 */
import { createHash } from 'node:crypto';

export const DEMO_PRODUCERS = {
  airflow: 'https://github.com/apache/airflow/tree/providers-openlineage/1.14.0',
  dbt: 'https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/dbt',
  spark: 'https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/spark',
};

/**
 * Namespace -> domain (NAMESPACE_DOMAINS for the demo, as in apps/hub/hub.config.yaml): job namespaces route
 * posted events; dataset namespaces say who owns a table when no writer is in view. `*` ends a prefix.
 */
export const DEMO_NAMESPACE_DOMAINS: Record<string, string> = {
  'airflow-sales': 'sales',
  'dbt-sales': 'sales',
  'snowflake://acme-sales': 'sales',
  'postgres://*': 'sales',
  'spark-marketing': 'marketing',
  'dbt-marketing': 'marketing',
  bigquery: 'marketing',
  'kafka://*': 'marketing',
  'airflow-finance': 'finance',
  'dbt-finance': 'finance',
  'redshift://*': 'finance',
  's3://*': 'finance',
};

const PG = 'postgres://orders-db.sales.internal:5432';
const SF = 'snowflake://acme-sales';
const BQ = 'bigquery';
const RS = 'redshift://finance.abc123.us-east-1.redshift.amazonaws.com:5439';
const KAFKA = 'kafka://events.acme.internal:9092';
const S3 = 's3://acme-finance-exports';

type Col = [name: string, type: string];
interface Ds {
  namespace: string;
  name: string;
  fields: Col[];
}
/** outField -> [input dataset, input field, transformation subtype] */
type ColumnMap = Record<string, Array<[Ds, string, string]>>;

interface JobSpec {
  namespace: string;
  name: string;
  producer: string;
  inputs: Ds[];
  output: Ds;
  columns?: ColumnMap;
  sql?: string;
  /** Days (from the demo's start) on which the job ran; each run = START + COMPLETE. */
  days: number[];
}

const ds = (namespace: string, name: string, fields: Col[]): Ds => ({ namespace, name, fields });
const id: Col = ['id', 'NUMBER'];

// Sales: OLTP -> Snowflake raw -> dbt staging and marts
const pgOrders = ds(PG, 'shop.public.orders', [id, ['customer_id', 'integer'], ['status', 'text'], ['created_at', 'timestamp']]);
const pgCustomers = ds(PG, 'shop.public.customers', [id, ['email', 'text'], ['country', 'text']]);
const pgItems = ds(PG, 'shop.public.order_items', [id, ['order_id', 'integer'], ['price', 'numeric'], ['sku', 'text']]);
const rawOrders = ds(SF, 'RAW.SHOP.ORDERS', [['ID', 'NUMBER'], ['CUSTOMER_ID', 'NUMBER'], ['STATUS', 'VARCHAR'], ['CREATED_AT', 'TIMESTAMP_NTZ']]);
const rawCustomers = ds(SF, 'RAW.SHOP.CUSTOMERS', [['ID', 'NUMBER'], ['EMAIL', 'VARCHAR'], ['COUNTRY', 'VARCHAR']]);
const rawItems = ds(SF, 'RAW.SHOP.ORDER_ITEMS', [['ID', 'NUMBER'], ['ORDER_ID', 'NUMBER'], ['PRICE', 'NUMBER'], ['SKU', 'VARCHAR']]);
const stgOrders = ds(SF, 'ANALYTICS.PUBLIC.ORDERS', [['ORDER_ID', 'NUMBER'], ['CUSTOMER_ID', 'NUMBER'], ['STATUS', 'VARCHAR'], ['ORDERED_AT', 'TIMESTAMP_NTZ']]);
const fctOrders = ds(SF, 'ANALYTICS.MARTS.FCT_ORDERS', [['ORDER_ID', 'NUMBER'], ['CUSTOMER_ID', 'NUMBER'], ['AMOUNT', 'NUMBER'], ['ORDERED_AT', 'TIMESTAMP_NTZ']]);
const dimCustomers = ds(SF, 'ANALYTICS.MARTS.DIM_CUSTOMERS', [['CUSTOMER_ID', 'NUMBER'], ['COUNTRY', 'VARCHAR'], ['LIFETIME_AMOUNT', 'NUMBER']]);

// Marketing: clickstream -> BigQuery sessions; attribution joins Sales' orders (spelled in lower case)
const clicks = ds(KAFKA, 'web.clickstream', [['session_id', 'string'], ['user_email', 'string'], ['utm_source', 'string'], ['ts', 'timestamp']]);
const sessions = ds(BQ, 'acme-marketing.web.sessions', [['session_id', 'STRING'], ['user_email', 'STRING'], ['channel', 'STRING'], ['started_at', 'TIMESTAMP']]);
const fctOrdersDrift = ds(SF, 'analytics.marts.fct_orders', fctOrders.fields);
const rawOrdersDrift = ds('snowflake://ACME-SALES', 'raw.shop.orders', rawOrders.fields);
const attribution = ds(BQ, 'acme-marketing.attribution.channel_attribution', [['channel', 'STRING'], ['order_id', 'INT64'], ['attributed_amount', 'NUMERIC']]);
const dimCustomersDrift = ds('snowflake://ACME-SALES', '"ANALYTICS".marts.Dim_Customers', dimCustomers.fields);
const ltv = ds(BQ, 'acme-marketing.campaigns.customer_ltv', [['customer_id', 'INT64'], ['channel', 'STRING'], ['ltv', 'NUMERIC']]);

// Finance: Redshift copies of Sales' orders (drifted spelling), revenue, ROI on Marketing's attribution, board export
const stgOrdersDrift = ds(SF, 'analytics.public.orders', stgOrders.fields);
const ordersSnapshot = ds(RS, 'finance.public.orders_snapshot', [['order_id', 'bigint'], ['status', 'varchar'], ['ordered_at', 'timestamp']]);
const revenueDaily = ds(RS, 'finance.public.revenue_daily', [['day', 'date'], ['revenue', 'numeric']]);
const roi = ds(RS, 'finance.reporting.marketing_roi', [['channel', 'varchar'], ['revenue', 'numeric'], ['roi', 'numeric']]);
const board = ds(S3, 'reports/board/monthly.parquet', [['month', 'string'], ['revenue', 'double'], ['roi', 'double']]);

const all = [0, 1, 2, 3, 4, 5, 6];

const CORE_JOBS: JobSpec[] = [
  {
    namespace: 'airflow-sales', name: 'shop_extract.orders', producer: DEMO_PRODUCERS.airflow, inputs: [pgOrders], output: rawOrders, days: all,
    columns: { ID: [[pgOrders, 'id', 'IDENTITY']], CUSTOMER_ID: [[pgOrders, 'customer_id', 'IDENTITY']], STATUS: [[pgOrders, 'status', 'IDENTITY']], CREATED_AT: [[pgOrders, 'created_at', 'IDENTITY']] },
  },
  {
    namespace: 'airflow-sales', name: 'shop_extract.customers', producer: DEMO_PRODUCERS.airflow, inputs: [pgCustomers], output: rawCustomers, days: all,
    columns: { ID: [[pgCustomers, 'id', 'IDENTITY']], EMAIL: [[pgCustomers, 'email', 'IDENTITY']], COUNTRY: [[pgCustomers, 'country', 'IDENTITY']] },
  },
  {
    namespace: 'airflow-sales', name: 'shop_extract.order_items', producer: DEMO_PRODUCERS.airflow, inputs: [pgItems], output: rawItems, days: all,
    columns: { ID: [[pgItems, 'id', 'IDENTITY']], ORDER_ID: [[pgItems, 'order_id', 'IDENTITY']], PRICE: [[pgItems, 'price', 'IDENTITY']], SKU: [[pgItems, 'sku', 'IDENTITY']] },
  },
  {
    namespace: 'dbt-sales', name: 'acme_sales.stg_orders', producer: DEMO_PRODUCERS.dbt, inputs: [rawOrders], output: stgOrders, days: all,
    sql: 'select id as order_id, customer_id, status, created_at as ordered_at from raw.shop.orders',
    columns: { ORDER_ID: [[rawOrders, 'ID', 'IDENTITY']], CUSTOMER_ID: [[rawOrders, 'CUSTOMER_ID', 'IDENTITY']], STATUS: [[rawOrders, 'STATUS', 'IDENTITY']], ORDERED_AT: [[rawOrders, 'CREATED_AT', 'IDENTITY']] },
  },
  {
    namespace: 'dbt-sales', name: 'acme_sales.fct_orders', producer: DEMO_PRODUCERS.dbt, inputs: [stgOrders, rawItems], output: fctOrders, days: all,
    sql: 'select o.order_id, o.customer_id, sum(i.price) as amount, o.ordered_at from analytics.public.orders o join raw.shop.order_items i on i.order_id = o.order_id group by 1, 2, 4',
    columns: {
      ORDER_ID: [[stgOrders, 'ORDER_ID', 'IDENTITY']],
      CUSTOMER_ID: [[stgOrders, 'CUSTOMER_ID', 'IDENTITY']],
      AMOUNT: [[rawItems, 'PRICE', 'AGGREGATION']],
      ORDERED_AT: [[stgOrders, 'ORDERED_AT', 'IDENTITY']],
    },
  },
  {
    namespace: 'dbt-sales', name: 'acme_sales.dim_customers', producer: DEMO_PRODUCERS.dbt, inputs: [rawCustomers, fctOrders], output: dimCustomers, days: all,
    columns: { CUSTOMER_ID: [[rawCustomers, 'ID', 'IDENTITY']], COUNTRY: [[rawCustomers, 'COUNTRY', 'IDENTITY']], LIFETIME_AMOUNT: [[fctOrders, 'AMOUNT', 'AGGREGATION']] },
  },
  {
    namespace: 'spark-marketing', name: 'sessionize_clickstream', producer: DEMO_PRODUCERS.spark, inputs: [clicks], output: sessions, days: all,
    columns: { session_id: [[clicks, 'session_id', 'IDENTITY']], user_email: [[clicks, 'user_email', 'IDENTITY']], channel: [[clicks, 'utm_source', 'TRANSFORMATION']], started_at: [[clicks, 'ts', 'AGGREGATION']] },
  },
  // Until day 3 attribution read Sales' raw orders; since then it reads the fct_orders mart (as-of shows both).
  {
    namespace: 'spark-marketing', name: 'attribution.build', producer: DEMO_PRODUCERS.spark, inputs: [rawOrdersDrift, sessions], output: attribution, days: [0, 1, 2],
    columns: { channel: [[sessions, 'channel', 'IDENTITY']], order_id: [[rawOrdersDrift, 'ID', 'IDENTITY']], attributed_amount: [[rawOrdersDrift, 'ID', 'AGGREGATION']] },
  },
  {
    namespace: 'spark-marketing', name: 'attribution.build', producer: DEMO_PRODUCERS.spark, inputs: [fctOrdersDrift, sessions], output: attribution, days: [3, 4, 5, 6],
    columns: { channel: [[sessions, 'channel', 'IDENTITY']], order_id: [[fctOrdersDrift, 'ORDER_ID', 'IDENTITY']], attributed_amount: [[fctOrdersDrift, 'AMOUNT', 'AGGREGATION']] },
  },
  {
    namespace: 'dbt-marketing', name: 'acme_marketing.customer_ltv', producer: DEMO_PRODUCERS.dbt, inputs: [dimCustomersDrift, attribution], output: ltv, days: all,
    columns: { customer_id: [[dimCustomersDrift, 'CUSTOMER_ID', 'IDENTITY']], channel: [[attribution, 'channel', 'IDENTITY']], ltv: [[dimCustomersDrift, 'LIFETIME_AMOUNT', 'TRANSFORMATION']] },
  },
  {
    namespace: 'airflow-finance', name: 'finance_load.orders_snapshot', producer: DEMO_PRODUCERS.airflow, inputs: [stgOrdersDrift], output: ordersSnapshot, days: all,
    columns: { order_id: [[stgOrdersDrift, 'ORDER_ID', 'IDENTITY']], status: [[stgOrdersDrift, 'STATUS', 'IDENTITY']], ordered_at: [[stgOrdersDrift, 'ORDERED_AT', 'IDENTITY']] },
  },
  {
    namespace: 'dbt-finance', name: 'acme_finance.revenue_daily', producer: DEMO_PRODUCERS.dbt, inputs: [ordersSnapshot, fctOrdersDrift], output: revenueDaily, days: all,
    columns: { day: [[ordersSnapshot, 'ordered_at', 'TRANSFORMATION']], revenue: [[fctOrdersDrift, 'AMOUNT', 'AGGREGATION']] },
  },
  {
    namespace: 'dbt-finance', name: 'acme_finance.marketing_roi', producer: DEMO_PRODUCERS.dbt, inputs: [revenueDaily, attribution], output: roi, days: all,
    columns: { channel: [[attribution, 'channel', 'IDENTITY']], revenue: [[revenueDaily, 'revenue', 'AGGREGATION']], roi: [[attribution, 'attributed_amount', 'TRANSFORMATION'], [revenueDaily, 'revenue', 'TRANSFORMATION']] },
  },
  {
    namespace: 'airflow-finance', name: 'board_export.monthly', producer: DEMO_PRODUCERS.airflow, inputs: [roi, revenueDaily], output: board, days: [6],
    columns: { month: [[revenueDaily, 'day', 'TRANSFORMATION']], revenue: [[revenueDaily, 'revenue', 'AGGREGATION']], roi: [[roi, 'roi', 'AGGREGATION']] },
  },
];

/** Extra dbt models per domain hanging off each domain's marts, so the graph has some breadth. */
const fillerJobs = (perDomain: number): JobSpec[] => {
  const roots: Record<string, { namespace: string; warehouse: string; db: string; root: Ds }> = {
    sales: { namespace: 'dbt-sales', warehouse: SF, db: 'ANALYTICS.REPORTING', root: fctOrders },
    marketing: { namespace: 'dbt-marketing', warehouse: BQ, db: 'acme-marketing.reporting', root: attribution },
    finance: { namespace: 'dbt-finance', warehouse: RS, db: 'finance.reporting', root: revenueDaily },
  };
  const jobs: JobSpec[] = [];
  for (const [domain, r] of Object.entries(roots)) {
    const made: Ds[] = [r.root];
    for (let i = 0; i < perDomain; i++) {
      const parent = made[Math.floor(i / 2)];
      const upper = r.warehouse === SF;
      const name = `${r.db}.${upper ? `RPT_${domain.toUpperCase()}_${i}` : `rpt_${domain}_${i}`}`;
      const out = ds(r.warehouse, name, [[upper ? 'VALUE' : 'value', 'NUMBER']]);
      jobs.push({ namespace: r.namespace, name: `acme_${domain}.rpt_${i}`, producer: DEMO_PRODUCERS.dbt, inputs: [parent], output: out, days: [5, 6] });
      made.push(out);
    }
  }
  return jobs;
};

export const uuid = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const facet = (producer: string, schema: string, body: Record<string, unknown>) => ({
  _producer: producer,
  _schemaURL: `https://openlineage.io/spec/facets/${schema}`,
  ...body,
});

const datasetJson = (d: Ds, producer: string, columns?: ColumnMap) => ({
  namespace: d.namespace,
  name: d.name,
  facets: {
    schema: facet(producer, '1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet', { fields: d.fields.map(([name, type]) => ({ name, type })) }),
    ...(columns
      ? {
          columnLineage: facet(producer, '1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet', {
            fields: Object.fromEntries(
              Object.entries(columns).map(([out, inputs]) => [
                out,
                {
                  inputFields: inputs.map(([from, field, subtype]) => ({
                    namespace: from.namespace,
                    name: from.name,
                    field,
                    transformations: [{ type: subtype === 'IDENTITY' || subtype === 'TRANSFORMATION' || subtype === 'AGGREGATION' ? 'DIRECT' : 'INDIRECT', subtype, description: '', masking: false }],
                  })),
                },
              ]),
            ),
          }),
        }
      : {}),
  },
});

export interface DemoOptions {
  /** Start of the demo week (epoch ms); default 2026-11-01T00:00Z. */
  start?: number;
  /** Extra dbt models per domain (default 12). */
  filler?: number;
}

export const DEMO_START = Date.parse('2026-11-01T00:00:00Z');

/** Every OpenLineage event of the demo, in time order. */
export const demoEvents = (options: DemoOptions = {}): Array<Record<string, unknown>> => {
  const start = options.start ?? DEMO_START;
  const jobs = [...CORE_JOBS, ...fillerJobs(options.filler ?? 12)];
  const events: Array<{ at: number; event: Record<string, unknown> }> = [];
  jobs.forEach((job, j) => {
    for (const day of job.days) {
      // the default week keeps its historical run ids; a week placed elsewhere gets its own
      const runId = uuid(options.start === undefined ? `${job.namespace}/${job.name}/${day}` : `${job.namespace}/${job.name}/${day}@${start}`);
      const began = start + day * 86_400_000 + 3_600_000 + j * 60_000;
      const ended = began + 5 * 60_000;
      const jobJson = {
        namespace: job.namespace,
        name: job.name,
        facets: job.sql ? { sql: facet(job.producer, '1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet', { query: job.sql }) } : {},
      };
      const base = { producer: job.producer, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: jobJson };
      events.push({
        at: began,
        event: { ...base, eventType: 'START', eventTime: new Date(began).toISOString(), run: { runId }, inputs: job.inputs.map((i) => datasetJson(i, job.producer)), outputs: [datasetJson(job.output, job.producer)] },
      });
      events.push({
        at: ended,
        event: {
          ...base,
          eventType: 'COMPLETE',
          eventTime: new Date(ended).toISOString(),
          run: { runId },
          inputs: job.inputs.map((i) => datasetJson(i, job.producer)),
          outputs: [datasetJson(job.output, job.producer, job.columns)],
        },
      });
    }
  });
  return events.sort((a, b) => a.at - b.at).map((e) => e.event);
};

/** Queries worth showing a newcomer (ids in the canonical spelling). */
export const DEMO_QUERIES = {
  ordersTable: `dataset:${PG}:shop.public.orders`,
  snowflakeOrders: `dataset:${SF}:ANALYTICS.PUBLIC.ORDERS`,
  drifted: `dataset:${SF}:analytics.public.orders`,
  amountColumn: `datasetField:${SF}:ANALYTICS.MARTS.FCT_ORDERS:AMOUNT`,
  boardReport: `dataset:${S3}:reports/board/monthly.parquet`,
  /** A time before attribution switched from RAW.SHOP.ORDERS to FCT_ORDERS (day 2, noon). */
  beforeSwitch: new Date(DEMO_START + 2 * 86_400_000 + 12 * 3_600_000).toISOString(),
};
