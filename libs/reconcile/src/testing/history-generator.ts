/**
 * A seeded generator of shard histories: weeks of declared runs and observed writes across several domains,
 * with noise (start jitter, variable durations), weekly seasonality (hourly on weekdays only, daily, every 6 h,
 * weekday mornings), pipeline outages and connector outages that a later run backfilled, every attribution
 * route (externalQueryId, dbt query comment, Airflow labels, actor map, time), and planted truths of every
 * finding kind. Its oracle is `planted`: exactly those keys must be open at `now`, nothing else.
 */
import type { FindingKind, FreshnessPolicy, NodeId } from '@lineage-hub/model';
import type { ActorMapping, CoverageFact, RunFact, WriteFact, WriteHints } from '../reconcile.types';
import type { HistoryFacts } from '../history-snapshot';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

export interface PlantedFinding {
  domain: string;
  kind: FindingKind;
  key: string;
}

export interface GeneratedHistory {
  now: number;
  domains: HistoryFacts[];
  actors: Record<string, ActorMapping>;
  planted: PlantedFinding[];
}

/** mulberry32: small, fast, seeded. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Cadence = 'hourly-weekdays' | 'daily' | 'every-6h' | 'weekday-mornings';
type Route = 'queryId' | 'dbt' | 'airflow-labels' | 'time' | 'label';

/** Scheduled start times of a cadence in [from, to). */
const schedule = (cadence: Cadence, from: number, to: number, hourOffset: number): number[] => {
  const out: number[] = [];
  for (let day = Math.floor(from / D) * D; day < to; day += D) {
    const weekday = (Math.floor(day / D) + 3) % 7; // 0 = Monday
    const hours =
      cadence === 'hourly-weekdays' ? (weekday < 5 ? Array.from({ length: 11 }, (_, i) => 8 + i) : [])
      : cadence === 'daily' ? [2 + hourOffset]
      : cadence === 'every-6h' ? [0, 6, 12, 18].map((h) => h + hourOffset)
      : weekday < 5 ? [5 + hourOffset] : [];
    for (const h of hours) {
      const t = day + h * H;
      if (t >= from && t < to) out.push(t);
    }
  }
  return out;
};

interface JobSpec {
  name: string;
  cadence: Cadence;
  hourOffset?: number;
  route: Route;
  output: string;
  inputs: string[];
  /** A sometimes-read input: read in every third run only (never "usual"). */
  optionalInput?: string;
  /** A day without runs, `outageDay` days before now (a pipeline outage in history). */
  outageDay?: number;
  /** Planted truths on this job (see plant()). */
  plant?: 'stalled' | 'failed' | 'missing-input' | 'undeclared-read' | 'unobserved-output' | 'stale-learned' | 'stale-policy';
}

interface DomainSpec {
  domain: string;
  platform: string;
  namespace: string;
  connectorId: string;
  jobNamespace: string;
  jobs: JobSpec[];
  policies: FreshnessPolicy[];
  tags?: Record<string, string[]>;
  /** A loader account (mapped to the domain) writing raw tables hourly, no declared run. */
  loader: { actor: string; tables: string[] };
}

const ns = (d: DomainSpec, table: string) => `dataset:${d.namespace}:${table}` as NodeId;
const jobOf = (d: DomainSpec, name: string) => `job:${d.jobNamespace}:${name}` as NodeId;

const DOMAINS: DomainSpec[] = [
  {
    domain: 'sales',
    platform: 'snowflake',
    namespace: 'snowflake://acme',
    connectorId: 'sf-sales',
    jobNamespace: 'airflow-sales',
    loader: { actor: 'SVC_FIVETRAN_SALES', tables: ['RAW.PUBLIC.ORDERS', 'RAW.PUBLIC.CUSTOMERS'] },
    policies: [{ tag: 'finance-close', deadline: { cron: '0 6 * * *', timeZone: 'Europe/Berlin' } }],
    tags: { 'MART.PUBLIC.REVENUE': ['finance-close'] },
    jobs: [
      { name: 'sales_daily.orders_clean', cadence: 'hourly-weekdays', route: 'queryId', output: 'STG.PUBLIC.ORDERS', inputs: ['RAW.PUBLIC.ORDERS'], optionalInput: 'RAW.PUBLIC.CUSTOMERS' },
      { name: 'sales_daily.revenue', cadence: 'daily', route: 'queryId', output: 'MART.PUBLIC.REVENUE', inputs: ['STG.PUBLIC.ORDERS', 'RAW.PUBLIC.CUSTOMERS'], outageDay: 9 },
      { name: 'sales_daily.customers', cadence: 'every-6h', route: 'label', output: 'STG.PUBLIC.CUSTOMERS', inputs: ['RAW.PUBLIC.CUSTOMERS'] },
      { name: 'sales_daily.forecast', cadence: 'daily', hourOffset: 1, route: 'queryId', output: 'MART.PUBLIC.FORECAST', inputs: ['MART.PUBLIC.REVENUE'], plant: 'stalled' },
      { name: 'sales_daily.pipeline', cadence: 'daily', hourOffset: 3, route: 'queryId', output: 'MART.PUBLIC.PIPELINE', inputs: ['STG.PUBLIC.ORDERS', 'STG.PUBLIC.CUSTOMERS'], plant: 'missing-input' },
      { name: 'sales_daily.targets', cadence: 'every-6h', hourOffset: 1, route: 'time', output: 'MART.PUBLIC.TARGETS', inputs: ['STG.PUBLIC.ORDERS'], plant: 'stale-policy' },
    ],
  },
  {
    domain: 'marketing',
    platform: 'bigquery',
    namespace: 'bigquery',
    connectorId: 'bq-mkt',
    jobNamespace: 'dbt-marketing',
    loader: { actor: 'svc-segment@mkt.iam.gserviceaccount.com', tables: ['mkt-prod.raw.events', 'mkt-prod.raw.campaigns'] },
    policies: [],
    jobs: [
      { name: 'mkt.sessions', cadence: 'hourly-weekdays', route: 'dbt', output: 'mkt-prod.mart.sessions', inputs: ['mkt-prod.raw.events'] },
      { name: 'campaign_dag.attribution', cadence: 'daily', route: 'airflow-labels', output: 'mkt-prod.mart.attribution', inputs: ['mkt-prod.mart.sessions', 'mkt-prod.raw.campaigns'], plant: 'undeclared-read' },
      { name: 'mkt.campaign_daily', cadence: 'daily', hourOffset: 2, route: 'dbt', output: 'mkt-prod.mart.campaign_daily', inputs: ['mkt-prod.raw.campaigns'], plant: 'failed' },
      { name: 'mkt.audiences', cadence: 'every-6h', route: 'dbt', output: 'mkt-prod.mart.audiences', inputs: ['mkt-prod.mart.sessions'], plant: 'stale-learned' },
      { name: 'campaign_dag.export', cadence: 'daily', hourOffset: 4, route: 'airflow-labels', output: 'mkt-prod.mart.export', inputs: ['mkt-prod.mart.attribution'], plant: 'unobserved-output' },
    ],
  },
  {
    domain: 'finance',
    platform: 'redshift',
    namespace: 'redshift://fin.abc.eu-west-1.redshift.amazonaws.com:5439',
    connectorId: 'rs-fin',
    jobNamespace: 'airflow-finance',
    loader: { actor: 'svc_fin_loader', tables: ['dev.raw.ledger', 'dev.raw.fx'] },
    policies: [{ namespace: 'redshift://fin.abc.eu-west-1.redshift.amazonaws.com:5439', warnAfter: '3d' }],
    jobs: [
      { name: 'fin.ledger_clean', cadence: 'weekday-mornings', route: 'queryId', output: 'dev.stg.ledger', inputs: ['dev.raw.ledger', 'dev.raw.fx'] },
      { name: 'fin.pnl', cadence: 'daily', hourOffset: 4, route: 'label', output: 'dev.mart.pnl', inputs: ['dev.stg.ledger'], outageDay: 12 },
      { name: 'fin.fx_rates', cadence: 'every-6h', hourOffset: 2, route: 'time', output: 'dev.stg.fx', inputs: ['dev.raw.fx'] },
    ],
  },
];

/** A Snowflake account whose connector has fallen behind (only a loader writes there). */
const BEHIND = { domain: 'sales', namespace: 'snowflake://acme-eu', connectorId: 'sf-eu', platform: 'snowflake', table: 'RAW.PUBLIC.EU_ORDERS', actor: 'SVC_FIVETRAN_SALES' };

export interface GeneratorOptions {
  seed: number;
  weeks: number;
}

export const generateHistory = ({ seed, weeks }: GeneratorOptions): GeneratedHistory => {
  const rnd = prng(seed);
  const jitter = (max: number) => Math.floor(rnd() * max);
  // a Saturday, 12:20 UTC: hourly-on-weekdays datasets have been quiet since Friday evening
  const now = Date.UTC(2026, 10, 7 + 7 * weeks, 12, 20) + jitter(10 * M);
  const start = now - weeks * 7 * D;
  const actors: Record<string, ActorMapping> = {};
  const planted: PlantedFinding[] = [];
  const domains: HistoryFacts[] = [];
  let q = 0;
  const qid = (prefix: string) => `${prefix}-${(++q).toString(36)}-${Math.floor(rnd() * 1e9).toString(36)}`;

  for (const d of DOMAINS) {
    actors[d.loader.actor] = { domain: d.domain };
    const writes: WriteFact[] = [];
    const runs: RunFact[] = [];
    const coverage: CoverageFact[] = [];
    const plant = (kind: FindingKind, key: string) => planted.push({ domain: d.domain, kind, key });
    // connector outage three days ago, backfilled later by a run covering it (its writes were read then): not a finding
    const outage = { from: now - 3 * D - 5 * H, to: now - 3 * D - 2 * H };
    // a recent gap no run filled: a finding, and no write in it was observed
    const openGap = d.domain === 'finance' ? { from: now - 30 * H, to: now - 28 * H } : null;
    const unseen = (t: number) => openGap !== null && t >= openGap.from && t < openGap.to;
    const observe = (w: WriteFact) => {
      if (!unseen(w.at)) writes.push(w);
    };

    // loader writes: hourly into raw tables, attributed through the actor map
    for (const table of d.loader.tables)
      for (let t = start + jitter(H); t < now - 20 * M; t += H + jitter(5 * M) - 2 * M)
        observe({ dataset: ns(d, table), at: t, operation: 'COPY', actor: d.loader.actor, queryId: qid('load'), connectorId: d.connectorId, sources: [], rows: 100 + jitter(900) });

    for (const job of d.jobs) {
      const J = jobOf(d, job.name);
      const out = ns(d, job.output);
      let starts = schedule(job.cadence, start, now, job.hourOffset ?? 0);
      if (job.outageDay !== undefined) {
        const day = Math.floor((now - job.outageDay * D) / D) * D;
        starts = starts.filter((t) => t < day || t >= day + D);
      }
      if (job.plant === 'stale-learned') starts = starts.filter((t) => t < now - 2 * D); // every 6 h, silent for 2 days
      if (job.plant === 'stale-policy') starts = starts.filter((t) => t < now - 10 * H); // warnAfter 8h passed
      starts.forEach((scheduled, i) => {
        const last = i === starts.length - 1;
        const startedAt = scheduled + jitter(10 * M);
        const duration = 3 * M + jitter(12 * M);
        const inputs = job.inputs.map((t) => ns(d, t));
        if (job.optionalInput && i % 3 === 0) inputs.push(ns(d, job.optionalInput));
        const outputs = [out];
        const r: RunFact = { runId: `${d.domain}-${job.name}-${i}`, job: J, state: 'COMPLETE', startedAt, endedAt: startedAt + duration, inputs, outputs, externalQueryIds: [] };
        if (job.plant === 'unobserved-output' && i >= starts.length - 4) outputs.push(ns(d, 'mkt-prod.mart.export_audit'));
        if (last && job.plant === 'missing-input') r.inputs = inputs.slice(0, 1);
        if (last && job.plant === 'failed') {
          r.state = 'FAIL';
          runs.push(r);
          return;
        }
        if (last && job.plant === 'stalled' && now - startedAt > 6 * H) {
          r.state = 'START';
          r.endedAt = null;
          runs.push(r);
          return;
        }
        // a failure retried successfully an hour later in history: nothing open
        if (i === 3) runs.push({ ...r, runId: `${r.runId}-try1`, state: 'FAIL', endedAt: startedAt + M, startedAt: startedAt - H });
        const id = qid('q');
        const w: WriteFact = { dataset: out, at: startedAt + Math.floor(duration * 0.8), operation: i % 7 === 0 ? 'MERGE' : 'INSERT', queryId: id, connectorId: d.connectorId, sources: r.inputs, rows: 10 + jitter(5000) };
        let hints: WriteHints | undefined;
        if (job.route === 'queryId') r.externalQueryIds.push(id);
        if (job.route === 'dbt') hints = { dbtNode: `model.${job.name}` };
        if (job.route === 'airflow-labels') {
          const [dag, task] = job.name.split('.');
          hints = { airflowDag: dag, airflowTask: task, labels: { 'airflow-dag': dag, 'airflow-task': task } };
        }
        if (job.route === 'label') hints = { queryLabel: job.name };
        if (job.route === 'time') w.actor = 'SVC_SHARED_RUNNER';
        if (hints) w.hints = hints;
        if (last && job.plant === 'undeclared-read') w.sources = [...w.sources, ns(d, 'mkt-prod.raw.crm_contacts')];
        runs.push(r);
        observe(w);
      });
      if (job.plant === 'stalled') plant('stalled-run', `stalled-run|${J}|${runs.filter((r) => r.job === J && r.state === 'START')[0]?.runId}`);
      if (job.plant === 'failed') plant('failed-run', `failed-run|${J}`);
      if (job.plant === 'missing-input') plant('missing-input', `missing-input|${J}|${ns(d, job.inputs[1])}`);
      if (job.plant === 'undeclared-read') plant('undeclared-read', `undeclared-read|${J}|${ns(d, 'mkt-prod.raw.crm_contacts')}`);
      if (job.plant === 'unobserved-output') plant('unobserved-output', `unobserved-output|${J}|${ns(d, 'mkt-prod.mart.export_audit')}`);
      if (job.plant === 'stale-learned') plant('stale', `stale|${out}`);
      if (job.plant === 'stale-policy') {
        d.policies.push({ dataset: out, warnAfter: '8h', errorAfter: '1d' });
        plant('stale', `stale|${out}`);
      }
    }

    // planted direct writes: an analyst's INSERT late on Wednesday evening, far from any run, an admin's DELETE
    const target = ns(d, d.jobs[0].output);
    const analyst = { dataset: target, at: now - 2 * D - 13 * H - 17 * M, operation: 'INSERT', actor: `analyst_${d.domain}`, queryId: qid('adhoc'), connectorId: d.connectorId, sources: [], rows: 12, queryText: `insert into ${d.jobs[0].output} values (...)` };
    observe(analyst);
    plant('undeclared-write', `undeclared-write|${target}|${analyst.queryId}`);
    if (d.domain !== 'marketing') {
      const del = { dataset: ns(d, d.jobs[1].output), at: now - 4 * D - 7 * H - 40 * M, operation: d.domain === 'sales' ? 'DELETE' : 'TRUNCATE', actor: 'dba_admin', queryId: qid('del'), connectorId: d.connectorId, sources: [] };
      observe(del);
      plant('undeclared-delete', `undeclared-delete|${del.dataset}|${del.queryId}`);
    }

    // coverage: hourly connector runs up to a normal lag, the outage recorded then backfilled
    const lag = d.platform === 'snowflake' ? 2 * H : 10 * M;
    for (let t = start - H; t < now - lag; t += H) {
      const to = Math.min(t + H, now - lag);
      const gaps = t <= outage.from && to > outage.from ? [{ from: outage.from, to: outage.to, kind: 'window-not-read', reason: 'vendor API unavailable' }] : [];
      if (openGap && t <= openGap.from && to > openGap.from) gaps.push({ from: openGap.from, to: openGap.to, kind: 'cap-hit', reason: 'row cap hit' });
      coverage.push({ connectorId: d.connectorId, platform: d.platform, namespace: d.namespace, from: t, to, gaps, recordedAt: to + 5 * M });
    }
    coverage.push({ connectorId: d.connectorId, platform: d.platform, namespace: d.namespace, from: outage.from - H, to: outage.to + H, gaps: [], recordedAt: now - 2 * D });
    if (openGap) plant('coverage-gap', `coverage-gap|${d.connectorId}|gap:${openGap.from}-${openGap.to}`);

    if (d.domain === BEHIND.domain) {
      // the EU account: a loader writes hourly, but the connector stopped reading 7 hours ago; its table's
      // staleness is suppressed (the coverage gap is the finding)
      const coveredUntil = now - 7 * H;
      for (let t = start + 20 * M; t < coveredUntil; t += H)
        writes.push({ dataset: `dataset:${BEHIND.namespace}:${BEHIND.table}` as NodeId, at: t, operation: 'COPY', actor: BEHIND.actor, queryId: qid('eu'), connectorId: BEHIND.connectorId, sources: [] });
      for (let t = start; t < coveredUntil; t += H)
        coverage.push({ connectorId: BEHIND.connectorId, platform: BEHIND.platform, namespace: BEHIND.namespace, from: t, to: Math.min(t + H, coveredUntil), gaps: [], recordedAt: t + H + 5 * M });
      planted.push({ domain: d.domain, kind: 'coverage-gap', key: `coverage-gap|${BEHIND.connectorId}|behind` });
    }

    const tags = new Map<NodeId, string[]>(Object.entries(d.tags ?? {}).map(([t, v]) => [ns(d, t), v]));
    domains.push({ domain: d.domain, writes, runs, coverage, policies: d.policies, tags });
  }
  return { now, domains, actors, planted };
};
