/**
 * The Salesforce connector through the unmodified jsforce against a wire-level fake on 127.0.0.1.
 */
import { type ConnectorError, type PullBatch, toConnectorError } from '@lineage-hub/connector-sdk';
import { collectPull, runConnectorConformance, testContext } from '@lineage-hub/connector-sdk/testing';
import { salesforceConnectorFactory, type SalesforceConfig } from '@lineage-hub/connector-salesforce';
import { canonicalDataset, createEventValidator, datasetId } from '@lineage-hub/model';
import { SalesforceFake, type SalesforceFakeOptions } from '@lineage-hub/connector-salesforce/testing';

const NOW = Date.parse('2024-03-02T00:00:00Z');
const NS = 'salesforce://acme.my.salesforce.com';

const configFor = (fake: SalesforceFake, overrides: Partial<SalesforceConfig> = {}): SalesforceConfig =>
  salesforceConnectorFactory.configSchema.parse({
    myDomain: 'acme.my.salesforce.com',
    apiVersion: '62.0',
    auth: {
      kind: 'password',
      loginUrl: fake.url,
      clientId: 'fake-client-id',
      clientSecret: 'fake-client-secret',
      username: 'integration@acme.com',
      password: 'fake-password',
    },
    ...overrides,
  });

const pullAll = async (fake: SalesforceFake, cursor: Record<string, unknown> | null = null, overrides: Partial<SalesforceConfig> = {}) => {
  const connector = salesforceConnectorFactory.create(configFor(fake, overrides));
  const ctx = testContext({ connectorId: 'sf-org-test', now: NOW });
  try {
    return { ...(await collectPull(connector, cursor, ctx)), ctx };
  } finally {
    await connector.close?.();
  }
};

runConnectorConformance<SalesforceConfig>({
  name: 'salesforce',
  factory: salesforceConnectorFactory,
  async setup() {
    const fake = await SalesforceFake.start({ pageSize: 2 });
    return {
      config: configFor(fake),
      namespace: NS,
      canonicalName: (name) => canonicalDataset(NS, name).name,
      now: NOW,
      minWrites: 3,
      failures: {
        'rate-limited': () => fake.injectRequestLimitExceeded(1),
        transient: () => fake.injectError(400, 'QUERY_TIMEOUT', 'Your query request was running for too long.'),
        'auth-failed': () => {
          fake.server.injectFailure({ status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } }, 1, (r) => r.path === '/services/oauth2/token');
        },
        'not-found': () => fake.injectError(404, 'NOT_FOUND', 'The requested resource does not exist'),
      },
      clearFailures: () => fake.server.clearInjections(),
      requestCount: () => fake.count(),
      teardown: () => fake.stop(),
    };
  },
});

describe('salesforce connector against the wire-level fake', () => {
  let fake: SalesforceFake;
  const start = async (options: SalesforceFakeOptions = {}) => {
    fake = await SalesforceFake.start({ pageSize: 2, ...options });
  };
  afterEach(async () => {
    await fake?.stop();
  });

  const eventFor = (events: Record<string, any>[], name: string): Record<string, any> => {
    const found = events.find((e) => e.outputs[0].name === name);
    if (!found) throw new Error(`no event writes ${name}`);
    return found;
  };

  it('reads every queryable sObject with its fields, lookups and master-detail relations', async () => {
    await start();
    const { events } = await pullAll(fake);
    expect(events.map((e) => e.outputs[0].name).sort()).toEqual(['Account', 'Contact', 'Invoice_Line__c', 'Invoice__c', 'Opportunity', 'User']);
    const contact = eventFor(events, 'Contact');
    expect(contact.outputs[0].namespace).toBe(NS);
    expect(contact.outputs[0].facets.schema.fields.map((f: any) => f.name)).toEqual(['Id', 'LastName', 'AccountId', 'Account_Owner_Name__c', 'LastModifiedDate', 'LastModifiedById']);
    expect(contact.outputs[0].facets.columnLineage.fields.AccountId.inputFields).toEqual([
      { namespace: NS, name: 'Account', field: 'Id', transformations: [{ type: 'INDIRECT', subtype: 'JOIN', description: 'lookup' }] },
    ]);
    const line = eventFor(events, 'Invoice_Line__c');
    expect(line.outputs[0].facets.columnLineage.fields.Invoice__c.inputFields[0]).toEqual(
      expect.objectContaining({ name: 'Invoice__c', field: 'Id', transformations: [expect.objectContaining({ description: 'master-detail' })] }),
    );
    expect(line.inputs).toEqual(expect.arrayContaining([{ namespace: NS, name: 'Invoice__c' }]));
    // Audit lookups (LastModifiedById) are not relations.
    expect(contact.outputs[0].facets.columnLineage.fields.LastModifiedById).toBeUndefined();
  });

  it('turns formula references into column lineage inside the org, across relationship hops', async () => {
    await start();
    const { events } = await pullAll(fake);
    const owner = eventFor(events, 'Contact').outputs[0].facets.columnLineage.fields.Account_Owner_Name__c.inputFields;
    expect(owner).toEqual([
      expect.objectContaining({ name: 'Contact', field: 'AccountId', transformations: [expect.objectContaining({ type: 'INDIRECT' })] }),
      expect.objectContaining({ name: 'Account', field: 'OwnerId', transformations: [expect.objectContaining({ type: 'INDIRECT' })] }),
      expect.objectContaining({ name: 'User', field: 'Name', transformations: [expect.objectContaining({ type: 'DIRECT', description: 'formula' })] }),
    ]);
    const expected = eventFor(events, 'Opportunity').outputs[0].facets.columnLineage.fields.Expected_Revenue__c.inputFields;
    expect(expected.filter((i: any) => i.transformations[0].type === 'DIRECT').map((i: any) => `${i.name}.${i.field}`)).toEqual([
      'Opportunity.Amount',
      'Opportunity.Probability',
      'Account.Discount__c',
    ]);
    const industry = eventFor(events, 'Invoice_Line__c').outputs[0].facets.columnLineage.fields.Invoice_Account_Industry__c.inputFields;
    expect(industry.map((i: any) => `${i.name}.${i.field}`)).toEqual(['Invoice_Line__c.Invoice__c', 'Invoice__c.Account__c', 'Account.Industry']);
  });

  it('reads roll-up summary sources through the Tooling API (paged) as aggregation column lineage', async () => {
    await start();
    const { events } = await pullAll(fake);
    const rollup = eventFor(events, 'Invoice__c').outputs[0].facets.columnLineage.fields.Line_Total__c.inputFields;
    expect(rollup).toEqual([
      { namespace: NS, name: 'Invoice_Line__c', field: 'Amount__c', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: 'roll-up summary' }] },
      { namespace: NS, name: 'Invoice_Line__c', field: 'Invoice__c', transformations: [{ type: 'INDIRECT', subtype: 'JOIN', description: 'roll-up summary relationship' }] },
    ]);
    expect(fake.count('tooling-query')).toBe(3);
    expect(fake.count('tooling-queryMore')).toBeGreaterThan(0);
    // A formula field's own dependencies stay formula lineage, not roll-ups.
    const net = eventFor(events, 'Invoice__c').outputs[0].facets.columnLineage.fields.Net_Total__c.inputFields;
    expect(net.every((i: any) => i.transformations[0].description !== 'roll-up summary')).toBe(true);
  });

  it('observes who wrote each sObject in the window, paging with nextRecordsUrl', async () => {
    await start();
    const { writes } = await pullAll(fake);
    expect(writes.map((w) => [w.dataset, w.actor, w.rows])).toEqual([
      [datasetId(NS, 'Account'), '005000000000001AAA', 3],
      [datasetId(NS, 'Account'), '005000000000002AAA', 2],
      [datasetId(NS, 'Invoice__c'), '005000000000003AAA', 2],
    ]);
    expect(writes[0].writtenAt).toBe(Date.parse('2024-03-01T12:15:00Z'));
    expect(fake.count('queryMore')).toBeGreaterThan(0);
    const writeQueries = fake.soql.filter((q) => !/FROM (CustomObject|CustomField|MetadataComponentDependency)\b/.test(q));
    expect(writeQueries).toHaveLength(6);
    expect(writeQueries.every((q) => q.includes('LastModifiedDate >= 2024-03-01T00:00:00Z AND LastModifiedDate < 2024-03-02T00:00:00Z'))).toBe(true);
  });

  it('feeds Sforce-Limit-Info to the limiter and stops a sync at its share of the org budget, resuming next run', async () => {
    await start({ limit: 40, used: 10 });
    const full = await pullAll(fake, null, { maxBudgetShare: 1 });
    expect(full.ctx.budgets.length).toBeGreaterThan(0);
    expect(full.ctx.budgets[full.ctx.budgets.length - 1]).toEqual({ used: fake.used, max: 40 });

    const share = 0.3; // 12 of 40 calls per sync
    const runs: PullBatch[][] = [];
    let cursor: Record<string, unknown> | null = null;
    for (let run = 0; run < 8; run++) {
      fake.used = 10; // the rolling 24 h allocation frees up between syncs
      const before = fake.apiCalls();
      const result = await pullAll(fake, cursor, { maxBudgetShare: share });
      expect(fake.apiCalls() - before).toBeLessThanOrEqual(12);
      runs.push(result.batches);
      cursor = result.cursor;
      if (!result.batches.some((b) => b.coverage.gaps.some((g) => g.kind === 'cap-hit'))) break;
    }
    const gaps = runs.flat().flatMap((b) => b.coverage.gaps);
    expect(gaps.some((g) => g.kind === 'cap-hit' && /share is 0.3/.test(g.reason))).toBe(true);
    expect(runs.length).toBeGreaterThan(1);
    const objects = runs.flat().flatMap((b) => b.events.map((e) => e.outputs[0].name));
    expect(new Set(objects)).toEqual(new Set(full.events.map((e) => e.outputs[0].name)));
    const writes = runs.flat().flatMap((b) => b.observedWrites.map((w) => `${w.dataset}|${w.actor}|${w.rows}`));
    expect(writes.sort()).toEqual(full.writes.map((w) => `${w.dataset}|${w.actor}|${w.rows}`).sort());
  });

  it('stops before the org allocation itself is spent, whatever the share allows', async () => {
    await start({ limit: 100, used: 95 });
    const before = fake.apiCalls();
    const result = await pullAll(fake, null, { maxBudgetShare: 1 });
    expect(fake.used).toBeLessThanOrEqual(100);
    expect(fake.apiCalls() - before).toBeLessThanOrEqual(5);
    expect(result.batches.flatMap((b) => b.coverage.gaps).some((g) => g.kind === 'cap-hit')).toBe(true);
  });

  it('skips (and reports) an object that alone needs more calls than a sync may spend, so later syncs move on', async () => {
    await start({ limit: 40, used: 10 });
    let cursor: Record<string, unknown> | null = null;
    const gaps: string[] = [];
    const names: string[] = [];
    for (let run = 0; run < 12 && !(cursor && !('sync' in cursor) && run > 0); run++) {
      fake.used = 10;
      const before = fake.apiCalls();
      const result = await pullAll(fake, cursor, { maxBudgetShare: 0.2 });
      expect(fake.apiCalls() - before).toBeLessThanOrEqual(8);
      gaps.push(...result.batches.flatMap((b) => b.coverage.gaps.map((g) => g.reason)));
      names.push(...result.events.map((e) => e.outputs[0].name));
      cursor = result.cursor;
    }
    expect(gaps.some((r) => /^Invoice__c alone needs more API calls/.test(r))).toBe(true);
    expect(names).not.toContain('Invoice__c');
    expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Invoice_Line__c', 'Opportunity', 'User']));
    expect(cursor).toEqual({ v: 1, writesFrom: NOW });
  });

  it('rides out REQUEST_LIMIT_EXCEEDED: rate-limited for hours, and the last cursor resumes without losing an object', async () => {
    await start();
    const full = await pullAll(fake);
    const connector = salesforceConnectorFactory.create(configFor(fake));
    const delivered: PullBatch[] = [];
    let error: ConnectorError | undefined;
    try {
      for await (const batch of connector.pull(null, testContext({ connectorId: 'sf-org-test', now: NOW }))) {
        delivered.push(batch);
        if (delivered.length === 2) fake.injectRequestLimitExceeded(1);
      }
    } catch (err) {
      error = toConnectorError(err, salesforceConnectorFactory.mapError);
    }
    expect(error?.code).toBe('rate-limited');
    expect(error?.retryAfterMs).toBeGreaterThanOrEqual(3600_000);
    const rest = await pullAll(fake, delivered[delivered.length - 1].cursor);
    const names = [...delivered, ...rest.batches].flatMap((b) => b.events.map((e) => e.outputs[0].name));
    expect(names).toEqual(full.events.map((e) => e.outputs[0].name));
    expect([...delivered, ...rest.batches].flatMap((b) => b.observedWrites)).toEqual(full.writes);
  });

  it('logs in again through jsforce when the session expires mid-sync', async () => {
    await start();
    const connector = salesforceConnectorFactory.create(configFor(fake));
    let expired = false;
    const names: string[] = [];
    for await (const batch of connector.pull(null, testContext({ connectorId: 'sf-org-test', now: NOW }))) {
      names.push(...batch.events.map((e) => e.outputs[0].name));
      if (!expired) {
        fake.expireSession();
        expired = true;
      }
    }
    expect(names).toHaveLength(6);
    expect(fake.count('oauth-token')).toBe(2);
  });

  it('emits valid OpenLineage RunEvents whose standard facets the shard keeps', async () => {
    await start();
    const { events } = await pullAll(fake);
    const validator = createEventValidator();
    for (const event of events) expect(validator.validate(event)).toEqual(expect.objectContaining({ ok: true, warnings: [] }));
  });

  it('refuses a cursor it cannot read as cursor-invalid', async () => {
    await start();
    let caught: unknown;
    await pullAll(fake, { v: 1, sync: { objects: 'Account', next: 0 } }).catch((err) => (caught = err));
    expect(toConnectorError(caught, salesforceConnectorFactory.mapError).code).toBe('cursor-invalid');
  });

  it('maps a stale access token to auth-failed and a retired API version to not-found', async () => {
    await start();
    let caught: unknown;
    await pullAll(fake, null, { auth: { kind: 'access-token', instanceUrl: fake.url, accessToken: 'stale' } }).catch((e) => (caught = e));
    expect(toConnectorError(caught, salesforceConnectorFactory.mapError).code).toBe('auth-failed');
    caught = undefined;
    await pullAll(fake, null, { apiVersion: '30.0' }).catch((e) => (caught = e));
    expect(toConnectorError(caught, salesforceConnectorFactory.mapError).code).toBe('not-found');
  });
});
