/**
 * The worker's own alert API is redacted like the gateway's (auth on, real shards, real Redis): an alert about
 * domain b's restricted dataset shows a reader of domain a only the opaque id, with the hidden count; the alert
 * about a's own dataset stays readable; an admin sees both.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sampleFinding } from '@lineage-hub/alerts/testing';
import { FakeGateway } from '../../apps/worker/src/alerts/testing/fake-gateway.server';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, uniquePrefix, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';
import { startSecureHub, type SecureHub } from '../testing/secure-hub-kit';

jest.setTimeout(120_000);

const PRODUCER = 'https://github.com/lineage-hub/tests';
const SECRET = 'dataset:b-ns:crm.customers_secret';
const ORDERS = 'dataset:a-ns:mart.orders';
const event = (job: string, ns: string, outputs: unknown[]) => ({
  eventType: 'COMPLETE',
  eventTime: new Date().toISOString(),
  producer: PRODUCER,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: randomUUID() },
  job: { namespace: ns, name: job },
  inputs: [],
  outputs,
});

describe("the worker's alert API is redacted", () => {
  const prefix = uniquePrefix('alert-redaction');
  let hub: SecureHub;
  let gateway: FakeGateway;
  let worker: RunningWorker;
  let readerOfA: string;
  let admin: string;

  beforeAll(async () => {
    hub = await startSecureHub(['a', 'b'], 'a-ns=a,b-ns=b');
    readerOfA = hub.token({ roles: ['reader'], domains: ['a'] });
    admin = hub.token({ roles: ['admin'] });
    const writer = hub.token({ roles: ['writer'], domains: ['a', 'b'] });
    await new Promise((r) => setTimeout(r, 1100)); // the apps re-read the token file by mtime
    const tags = { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json', tags: [{ key: 'classification', value: 'restricted' }] };
    for (const e of [event('b_builds', 'b-ns', [{ namespace: 'b-ns', name: 'crm.customers_secret', facets: { tags } }]), event('a_builds', 'a-ns', [{ namespace: 'a-ns', name: 'mart.orders' }])]) {
      const res = await fetch(`${hub.gateway.url}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${writer}` }, body: JSON.stringify(e) });
      expect(res.status).toBe(200);
    }
    gateway = await new FakeGateway().start();
    gateway.dataset({ id: SECRET, domain: 'b' }).dataset({ id: ORDERS, domain: 'a' });
    gateway.findings = [sampleFinding('f-secret', SECRET, 'b'), sampleFinding('f-orders', ORDERS, 'a')];
    worker = await startWorker(
      workerTestConfig({
        REDIS_PREFIX: prefix,
        GATEWAY_URL: gateway.url,
        SHARDS: `a=127.0.0.1:${hub.shards.a.rpcPort},b=127.0.0.1:${hub.shards.b.rpcPort}`,
        AUTH: 'on',
        AUTH_TOKENS_FILE: path.join(hub.dir, 'tokens.json'),
        AUTH_SERVICE_TOKEN: hub.serviceToken,
        AUTH_RATE_LIMIT_PER_MINUTE: '0',
      }),
    );
    const evaluated = await fetch(`${worker.url}/api/v1/alerts/evaluate`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(evaluated.status).toBe(200);
  });

  afterAll(async () => {
    await worker?.close();
    await gateway?.stop();
    await hub?.close();
    await dropPrefix(prefix);
  });

  const get = async (url: string, token: string) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) };
  };

  it('a reader of a sees the alert about b\'s restricted dataset only by its opaque id, with the count', async () => {
    const asAdmin = await get(`${worker.url}/api/v1/alerts`, admin);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.text).toContain('customers_secret');
    expect(asAdmin.body.hiddenCount).toBe(0);

    const asReader = await get(`${worker.url}/api/v1/alerts`, readerOfA);
    expect(asReader.status).toBe(200);
    expect(asReader.text).not.toContain('customers_secret');
    expect(asReader.text).toContain('mart.orders');
    expect(asReader.body.hiddenCount).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(asReader.body.alerts.map((a: any) => a.asset))).toMatch(/hidden:/);

    const secretAlert = asAdmin.body.alerts.find((a: any) => a.asset === SECRET);
    const detail = await get(`${worker.url}/api/v1/alerts/${encodeURIComponent(secretAlert.id)}`, readerOfA);
    expect(detail.text).not.toContain('customers_secret');
    expect(detail.body.hiddenCount).toBeGreaterThanOrEqual(1);
  });
});
