/**
 * POST /api/v1/lineage/batch answers as the OpenLineage spec says, on a shard and on the gateway: the project's own
 * events (test/fixtures/openlineage) in one batch with broken ones mixed in; exactly the good events are stored (the
 * gateway routes each to its domain's shard); a bad event, or one no domain owns, fails alone. The same JSON-only
 * content-type rule on both edges. Two real shards (SQLite) and a real gateway, in this process.
 */
import { brokenEvents, expectJsonOnly, expectSpecBatchAnswer, type MiniHub, mixBatch, startMiniHub, storedEvents } from '../testing/lineage-batch-kit';
import { getJson, loadManifestFixtures, postJson } from '../testing/shard-test-kit';

const good = loadManifestFixtures()
  .filter((f) => f.kind === 'complete')
  .flatMap((f) => f.events);
const template = good.find((e) => e.run && e.job)!;
const jobNamespaces = (events: any[]) => events.map((e) => e.job?.namespace ?? e.dataset?.namespace);
const NAMESPACE_DOMAINS = 'airflow-prod=sales,spark-cluster-1=sales,snowflake://*=sales,dbt://acme-analytics=finance,postgres://*=finance';
const domainOf = (ns: string) => (/^(airflow-prod|spark-cluster-1|snowflake:\/\/)/.test(ns) ? 'sales' : 'finance');

describe('the OpenLineage batch answer', () => {
  let hub: MiniHub;
  beforeAll(async () => {
    hub = await startMiniHub(['sales', 'finance'], NAMESPACE_DOMAINS);
  });
  afterAll(() => hub?.close());

  it('a shard stores exactly the good events of a mixed batch and answers in the spec shape', async () => {
    const { batch, badIndexes } = mixBatch(good, brokenEvents(template));
    const res = await postJson(`${hub.shards.sales.httpUrl}/api/v1/lineage/batch`, batch);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expectSpecBatchAnswer(body, batch.length, badIndexes);
    expect(body.failed_events.find((f: any) => f.index === badIndexes[1]).reason).toMatch(/run\.runId/);
    expect(await storedEvents(hub.shards.sales)).toBe(good.length);
    // the same batch again: everything stored before is a duplicate, nothing new
    const again = (await (await postJson(`${hub.shards.sales.httpUrl}/api/v1/lineage/batch`, batch)).json()) as any;
    expect(again.duplicates).toBe(good.length);
    expect(await storedEvents(hub.shards.sales)).toBe(good.length);
    // a body that is not an array is refused whole, naming it
    const notArray = await postJson(`${hub.shards.sales.httpUrl}/api/v1/lineage/batch`, template);
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as any).field).toBe('body');
  });

  it('the gateway answers the same shape, routes each good event to its domain, and fails a bad or unroutable event alone', async () => {
    const before = { sales: await storedEvents(hub.shards.sales), finance: await storedEvents(hub.shards.finance) };
    const fresh = good.map((e) => (e.run ? { ...e, run: { ...e.run, runId: e.run.runId.replace(/^0190/, '0290') } } : { ...e, eventTime: e.eventTime.replace('2024', '2025') }));
    const unroutable = { ...template, run: { runId: '0290a1b2-c3d4-7e5f-8a9b-0000000000ff' }, job: { namespace: 'nobody-owns-this', name: 'x' } };
    const { batch, badIndexes } = mixBatch(fresh, [...brokenEvents(template), unroutable]);
    const res = await postJson(`${hub.gateway.url}/api/v1/lineage/batch`, batch);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expectSpecBatchAnswer(body, batch.length, badIndexes);
    const routingFailure = body.failed_events.find((f: any) => f.index === batch.indexOf(unroutable));
    expect(routingFailure.reason).toMatch(/nobody-owns-this/);
    expect(routingFailure.field).toMatch(/job\.namespace$/);
    const expected = { sales: 0, finance: 0 };
    for (const ns of jobNamespaces(fresh)) expected[domainOf(ns)]++;
    expect({ sales: (await storedEvents(hub.shards.sales)) - before.sales, finance: (await storedEvents(hub.shards.finance)) - before.finance }).toEqual(expected);
    expect(expected.sales).toBeGreaterThan(0);
    expect(expected.finance).toBeGreaterThan(0);
    // a routed event is where its domain's shard serves it
    const dbtJob = await getJson(`${hub.shards.finance.httpUrl}/api/v1/namespaces/${encodeURIComponent('dbt://acme-analytics')}/jobs/shop.fct_orders`);
    expect(dbtJob.status).toBe(200);
  });

  it('takes JSON content types only, on the shard and on the gateway alike', async () => {
    const event = (runId: string) => ({ ...template, run: { runId } });
    await expectJsonOnly(hub.shards.sales.httpUrl, event('0390a1b2-c3d4-7e5f-8a9b-000000000001'), [hub.shards.sales]);
    await expectJsonOnly(hub.gateway.url, event('0390a1b2-c3d4-7e5f-8a9b-000000000002'), [hub.shards.sales, hub.shards.finance]);
  });
});
