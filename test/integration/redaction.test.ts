/**
 * Redaction through every read path (gateway and shard, auth on): domain b's dataset tagged
 * `classification:restricted` and domain b's job are hidden from a reader of domain a, as per-viewer opaque ids
 * that still connect the graph, with the count; a direct read of them is a 404; a column tagged `pii` leaves its
 * dataset for viewers not cleared for the domain; an admin sees everything, and the restricted read is audited.
 */
import { randomUUID } from 'node:crypto';
import { startSecureHub, type SecureHub } from '../testing/secure-hub-kit';

const PRODUCER = 'https://github.com/lineage-hub/tests';
const facet = (name: string, body: Record<string, unknown>) => ({ _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json#/$defs/${name}`, ...body });
const event = (job: { namespace: string; name: string }, inputs: unknown[], outputs: unknown[]) => ({
  eventType: 'COMPLETE',
  eventTime: new Date().toISOString(),
  producer: PRODUCER,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: randomUUID() },
  job: { ...job, facets: { sql: facet('SQLJobFacet', { query: `insert into ${(outputs[0] as { name: string }).name} select * from ${(inputs[0] as { name: string }).name}` }) } },
  inputs,
  outputs,
});

const SECRET_NAME = 'crm.customers_secret';
const B_JOB = 'b_builds_customers';
const RESTRICTED = { namespace: 'b-ns', name: SECRET_NAME, facets: { tags: facet('TagsDatasetFacet', { tags: [{ key: 'classification', value: 'restricted', source: 'MANUAL' }] }) } };
const PII_COLUMN = 'email_address';
const WITH_PII = {
  namespace: 'b-ns',
  name: 'crm.contacts',
  facets: {
    schema: facet('SchemaDatasetFacet', { fields: [{ name: 'id', type: 'int' }, { name: PII_COLUMN, type: 'string' }] }),
    tags: facet('TagsDatasetFacet', { tags: [{ key: 'pii', value: 'true', field: PII_COLUMN, source: 'MANUAL' }] }),
  },
};

describe('redaction on every read path (auth on, gateway and shards)', () => {
  let hub: SecureHub;
  let readerOfA: string;
  let reader: string;
  let readerOfB: string;
  let admin: string;
  // the unqualified last segment too: a visible job's SQL names the hidden table without its schema
  const leaks = (text: string) => [SECRET_NAME, 'customers_secret', B_JOB, PII_COLUMN].filter((s) => text.toLowerCase().includes(s.toLowerCase()));

  beforeAll(async () => {
    hub = await startSecureHub(['a', 'b'], 'a-ns=a,b-ns=b');
    readerOfA = hub.token({ roles: ['reader'], domains: ['a'] });
    readerOfB = hub.token({ roles: ['reader'], domains: ['b'] });
    reader = hub.token({ roles: ['reader'] });
    admin = hub.token({ roles: ['admin'] });
    const writerA = hub.token({ roles: ['writer'], domains: ['a'] });
    const writerB = hub.token({ roles: ['writer'], domains: ['b'] });
    await new Promise((r) => setTimeout(r, 1100)); // the apps re-read the token file by mtime
    const post = async (token: string, body: unknown) => {
      const res = await fetch(`${hub.gateway.url}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    };
    await post(writerB, event({ namespace: 'b-ns', name: B_JOB }, [{ namespace: 'b-ns', name: 'crm.raw' }, WITH_PII], [RESTRICTED]));
    await post(writerA, event({ namespace: 'a-ns', name: 'a_reads_customers' }, [{ namespace: 'b-ns', name: SECRET_NAME }], [{ namespace: 'a-ns', name: 'mart.orders' }]));
    await post(writerA, event({ namespace: 'a-ns', name: 'a_reads_contacts' }, [{ namespace: 'b-ns', name: 'crm.contacts' }], [{ namespace: 'a-ns', name: 'mart.contacts' }]));
    // a job of a whose SQL names the hidden table unqualified and quoted, though it is not among its inputs
    const joins = event({ namespace: 'a-ns', name: 'a_joins_orders' }, [{ namespace: 'a-ns', name: 'mart.orders' }], [{ namespace: 'a-ns', name: 'mart.enriched' }]);
    (joins.job.facets.sql as unknown as { query: string }).query = 'insert into mart.enriched select o.* from mart.orders o join "Customers_Secret" c on c.id = o.customer_id';
    await post(writerA, joins);
  }, 60_000);
  afterAll(() => hub?.close());

  const gw = (path: string) => `${hub.gateway.url}${path}`;

  it('lineage graph (gateway): hidden nodes are opaque, connected and counted; nothing of them leaks', async () => {
    const { status, body, text } = await hub.get(gw('/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5'), readerOfA);
    expect(status).toBe(200);
    expect(leaks(text)).toEqual([]);
    const hidden = body.graph.filter((n: any) => n.type === 'RESTRICTED');
    expect(hidden.length).toBeGreaterThanOrEqual(2); // the restricted dataset and b's job
    expect(body.hiddenCount).toBe(hidden.length);
    for (const node of hidden) {
      expect(node.id).toMatch(/^hidden:/);
      expect(node.data).toBeNull();
    }
    const job = body.graph.find((n: any) => n.id === 'job:a-ns:a_reads_customers');
    expect(hidden.map((n: any) => n.id)).toContain(job.inEdges[0].origin);

    const asAdmin = await hub.get(gw('/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5'), admin);
    expect(asAdmin.text).toContain(SECRET_NAME);
    expect(asAdmin.body.hiddenCount).toBe(0);
  });

  it('opaque ids are per viewer', async () => {
    const a = await hub.get(gw('/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5'), readerOfA);
    const r = await hub.get(gw('/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5'), reader);
    const ids = (body: any) => body.graph.filter((n: any) => n.type === 'RESTRICTED').map((n: any) => n.id);
    expect(ids(r.body).length).toBeGreaterThanOrEqual(1);
    for (const id of ids(r.body)) expect(ids(a.body)).not.toContain(id);
  });

  it('impact: hidden nodes counted, query of a hidden node is 404', async () => {
    const up = await hub.get(gw('/api/v1/impact?nodeId=dataset:a-ns:mart.orders&direction=upstream&depth=5'), readerOfA);
    expect(up.status).toBe(200);
    expect(leaks(up.text)).toEqual([]);
    expect(up.body.hiddenCount).toBeGreaterThanOrEqual(2);
    for (const id of [`dataset:b-ns:${SECRET_NAME}`, `job:b-ns:${B_JOB}`]) {
      expect((await hub.get(gw(`/api/v1/impact?nodeId=${encodeURIComponent(id)}`), readerOfA)).status).toBe(404);
      expect((await hub.get(gw(`/api/v1/lineage?nodeId=${encodeURIComponent(id)}`), readerOfA)).status).toBe(404);
    }
    expect((await hub.get(gw(`/api/v1/impact?nodeId=${encodeURIComponent(`dataset:b-ns:${SECRET_NAME}`)}`), admin)).status).toBe(200);
  });

  it('Marquez reads: direct reads 404, lists and search leave hidden records out, events are redacted', async () => {
    const ns = encodeURIComponent('b-ns');
    for (const path of [`/api/v1/namespaces/${ns}/datasets/${SECRET_NAME}`, `/api/v1/namespaces/${ns}/datasets/${SECRET_NAME}/versions`, `/api/v1/namespaces/${ns}/jobs/${B_JOB}`, `/api/v1/namespaces/${ns}/jobs/${B_JOB}/runs`]) {
      const res = await hub.get(gw(path), readerOfA);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(leaks(res.text).filter((s) => s !== SECRET_NAME && s !== 'customers_secret' && s !== B_JOB)).toEqual([]); // the 404 names only what was asked
      expect((await hub.get(gw(path), readerOfB)).status).toBe(200);
    }
    for (const path of [`/api/v1/namespaces/${ns}/datasets`, `/api/v1/namespaces/${ns}/jobs`, '/api/v1/search?q=crm', '/api/v1/search?q=customers', '/api/v1/events/lineage?limit=100', '/api/v1/findings', '/api/v1/column-lineage?nodeId=dataset:a-ns:mart.contacts&depth=5']) {
      const res = await hub.get(gw(path), readerOfA);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect({ path, leaks: leaks(res.text) }).toEqual({ path, leaks: [] });
      expect(typeof res.body.hiddenCount).toBe('number');
    }
  });

  it('a restricted column leaves a visible dataset for a viewer not cleared for its domain', async () => {
    const path = `/api/v1/namespaces/b-ns/datasets/crm.contacts`;
    for (const base of [hub.gateway.url, hub.shards.b.httpUrl]) {
      const asReader = await hub.get(`${base}${path}`, reader);
      expect(asReader.status).toBe(200);
      expect(leaks(asReader.text)).toEqual([]);
    }
    const onB = await hub.get(`${hub.shards.b.httpUrl}${path}`, reader);
    expect(onB.body.fields.map((f: any) => f.name)).toEqual(['id']);
    expect(onB.body.hiddenCount).toBe(1);
    const asB = await hub.get(`${hub.shards.b.httpUrl}${path}`, readerOfB);
    expect(asB.body.fields.map((f: any) => f.name)).toEqual(['id', PII_COLUMN]);
  });

  it("the shard's own HTTP reads apply the same rule: another domain's dataset is visible to whoever may read it, hidden when its owner restricts it", async () => {
    const shardA = hub.shards.a.httpUrl;
    const contacts = `${shardA}/api/v1/lineage?nodeId=dataset:a-ns:mart.contacts&depth=5`;
    const asReader = await hub.get(contacts, reader);
    expect(asReader.status).toBe(200);
    expect(asReader.body.graph.map((n: any) => n.id)).toContain('dataset:b-ns:crm.contacts');
    expect(asReader.body.hiddenCount).toBe(0);
    const viaGateway = await hub.get(gw('/api/v1/lineage?nodeId=dataset:a-ns:mart.contacts&depth=1'), reader);
    expect(viaGateway.body.graph.map((n: any) => n.id)).toContain('dataset:b-ns:crm.contacts');
    // a reader of a may not read domain b at all: hidden at the shard as at the gateway
    const asReaderOfA = await hub.get(contacts, readerOfA);
    expect(asReaderOfA.text).not.toContain('crm.contacts');
    expect(asReaderOfA.body.hiddenCount).toBeGreaterThanOrEqual(1);
    // shard a's copy of b's restricted dataset carries no tag: b, its owner, says it is restricted
    const orders = await hub.get(`${shardA}/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5`, reader);
    expect(leaks(orders.text)).toEqual([]);
    expect(orders.body.graph.filter((n: any) => n.type === 'RESTRICTED')).toHaveLength(1);
    expect((await hub.get(`${shardA}/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5`, admin)).text).toContain(SECRET_NAME);
  });

  it("the shard's own HTTP reads hide what the gateway hides", async () => {
    const shardB = hub.shards.b.httpUrl;
    expect((await hub.get(`${shardB}/api/v1/namespaces/b-ns/datasets/${SECRET_NAME}`, readerOfA)).status).toBe(404);
    expect((await hub.get(`${shardB}/api/v1/namespaces/b-ns/datasets/${SECRET_NAME}`, readerOfB)).status).toBe(200);
    const graph = await hub.get(`${hub.shards.a.httpUrl}/api/v1/lineage?nodeId=dataset:a-ns:mart.orders&depth=5`, reader);
    expect(graph.status).toBe(200);
    expect(leaks(graph.text)).toEqual([]);
    expect(graph.body.hiddenCount).toBeGreaterThanOrEqual(1);
  });

  it('a restricted read by a cleared viewer is on the audit chain', async () => {
    await hub.get(gw(`/api/v1/namespaces/b-ns/datasets/${SECRET_NAME}`), readerOfB);
    await new Promise((r) => setTimeout(r, 1300)); // tallies are flushed each second
    const audit = await hub.get(gw('/api/v1/audit?action=read.restricted'), admin);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain(SECRET_NAME);
  });
});
