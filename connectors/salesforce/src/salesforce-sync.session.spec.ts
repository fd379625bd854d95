/**
 * One sync's per-object work on answers shaped as Salesforce documents them (describe with `referenceTo`,
 * `relationshipName`, `calculatedFormula`; query and Tooling query pages with `done` / `nextRecordsUrl`;
 * datetimes with a `+0000` offset), through a stand-in for the jsforce Connection. Cases written from the
 * Salesforce docs, not from the connector's fixtures.
 */
import { testContext } from '@lineage-hub/connector-sdk/testing';
import { datasetId } from '@lineage-hub/model';
import type { Connection } from 'jsforce';
import { salesforceConfigSchema } from './salesforce.config';
import { SyncSession, type SyncState } from './salesforce-sync.session';
import type { FieldDescribe, SObjectDescribe } from './sobject.mapper';

const NS = 'salesforce://acme.my.salesforce.com';
const FROM = Date.parse('2025-06-01T00:00:00Z');
const TO = Date.parse('2025-06-02T00:00:00Z');

const f = (name: string, type = 'string', extra: Partial<FieldDescribe> = {}): FieldDescribe => ({ name, label: name, type, ...extra });
const lookup = (name: string, relationshipName: string, referenceTo: string[], extra: Partial<FieldDescribe> = {}) =>
  f(name, 'reference', { referenceTo, relationshipName, ...extra });
const formula = (name: string, calculatedFormula: string) => f(name, 'string', { calculated: true, calculatedFormula });
const audit = [f('LastModifiedDate', 'datetime'), lookup('LastModifiedById', 'LastModifiedBy', ['User'])];

const DESCRIBES: SObjectDescribe[] = [
  {
    name: 'Case',
    custom: false,
    fields: [
      f('Id', 'id'),
      // Case owner is polymorphic: a user or a queue (a Group record).
      lookup('OwnerId', 'Owner', ['Group', 'User']),
      formula('Owner_Email__c', 'IF( ISBLANK( Owner:User.Id ), Owner:Queue.Email, Owner:User.Email )'),
      formula('Owner_Manager__c', 'Owner:User.Manager.Name'),
      ...audit,
    ],
  },
  {
    name: 'Lead',
    fields: [f('Id', 'id'), lookup('OwnerId', 'Owner', ['Group', 'User']), formula('Mixed__c', 'Owner:Calendar.Name & Owner:User.Nickname__c & Owner:User.Email & Missing__r.Name')],
  },
  { name: 'User', fields: [f('Id', 'id'), f('Email', 'email'), f('Name'), lookup('ManagerId', 'Manager', ['User'])] },
  { name: 'Group', fields: [f('Id', 'id'), f('Email', 'email'), f('Name')] },
  {
    name: 'Account',
    fields: [f('Id', 'id'), f('Name'), f('Industry', 'picklist'), lookup('ParentId', 'Parent', ['Account']), lookup('OwnerId', 'Owner', ['User'])],
  },
  {
    name: 'Contact',
    fields: [f('Id', 'id'), lookup('AccountId', 'Account', ['Account']), formula('Ultimate_Parent__c', 'BLANKVALUE(Account.Parent.Parent.Name, Account.Parent.Name)')],
  },
  {
    name: 'acme__Invoice__c',
    custom: true,
    fields: [
      f('Id', 'id'),
      lookup('acme__Account__c', 'acme__Account__r', ['Account']),
      f('acme__Line_Total__c', 'currency', { calculated: true, calculatedFormula: null }),
      ...audit,
    ],
  },
  {
    name: 'acme__Invoice_Line__c',
    custom: true,
    fields: [
      f('Id', 'id'),
      lookup('acme__Invoice__c', 'acme__Invoice__r', ['acme__Invoice__c'], { cascadeDelete: true, relationshipOrder: 0 }),
      f('acme__Amount__c', 'currency'),
      // Formulas are case-insensitive; the lineage uses the describe spelling.
      formula('acme__Industry__c', 'TEXT(ACME__INVOICE__R.acme__account__r.industry)'),
    ],
  },
];

type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };

/** A jsforce Connection stand-in: describes by name, SOQL and Tooling answers in pages chained by nextRecordsUrl. */
const connection = (pages: Record<string, Page[]>) => {
  const calls: string[] = [];
  const byLocator = new Map<string, Page>();
  const first = (soql: string): Page => {
    const key = Object.keys(pages).find((k) => soql.includes(k));
    if (!key) throw Object.assign(new Error(`no answer for ${soql}`), { errorCode: 'MALFORMED_QUERY' });
    pages[key].forEach((page, i) => page.nextRecordsUrl && byLocator.set(page.nextRecordsUrl, pages[key][i + 1]));
    return pages[key][0];
  };
  const more = (url: string) => {
    calls.push(`queryMore ${url}`);
    const page = byLocator.get(url);
    if (!page) throw Object.assign(new Error('invalid query locator'), { errorCode: 'INVALID_QUERY_LOCATOR' });
    return page;
  };
  const conn = {
    limitInfo: { apiUsage: { used: 10, limit: 15000 } },
    async describe(name: string) {
      calls.push(`describe ${name}`);
      const d = DESCRIBES.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (!d) throw Object.assign(new Error(`The requested resource does not exist`), { errorCode: 'NOT_FOUND' });
      return d;
    },
    async query(soql: string) {
      calls.push(`query ${soql}`);
      return first(soql);
    },
    async queryMore(url: string) {
      return more(url);
    },
    tooling: {
      async query(soql: string) {
        calls.push(`tooling ${soql}`);
        return first(soql);
      },
      async queryMore(url: string) {
        return more(url);
      },
    },
  };
  return { conn: conn as unknown as Connection, calls };
};

const config = salesforceConfigSchema.parse({
  myDomain: 'acme.my.salesforce.com',
  auth: { kind: 'access-token', instanceUrl: 'https://acme.my.salesforce.com', accessToken: 'x' },
});
const sync: SyncState = { objects: [], next: 0, from: FROM, to: TO };

const lineageOf = async (object: string, pages: Record<string, Page[]> = {}) => {
  const { conn, calls } = connection(pages);
  const session = new SyncSession({ ...config, watchWrites: false }, testContext({ connectorId: 'sf' }), conn);
  const batch = await session.object(object, sync, NS);
  const fields = batch.events[0].outputs[0].facets.columnLineage?.fields ?? {};
  const of = (field: string) => (fields[field]?.inputFields ?? []).map((i: { name: string; field: string; transformations: Array<{ type: string }> }) => `${i.transformations[0].type} ${i.name}.${i.field}`);
  return { of, calls, batch };
};

describe('SyncSession on documented Salesforce answers', () => {
  it('follows Owner:User / Owner:Queue to the named parent type of a polymorphic owner (a queue is a Group)', async () => {
    const { of } = await lineageOf('Case');
    expect(of('Owner_Email__c')).toEqual(['INDIRECT Case.OwnerId', 'DIRECT User.Id', 'DIRECT Group.Email', 'DIRECT User.Email']);
    expect(of('Owner_Manager__c')).toEqual(['INDIRECT Case.OwnerId', 'INDIRECT User.ManagerId', 'DIRECT User.Name']);
  });

  it('resolves a managed-package __r chain case-insensitively and names objects and fields as describe spells them', async () => {
    const { of, batch } = await lineageOf('acme__Invoice_Line__c');
    expect(of('acme__Industry__c')).toEqual([
      'INDIRECT acme__Invoice_Line__c.acme__Invoice__c',
      'INDIRECT acme__Invoice__c.acme__Account__c',
      'DIRECT Account.Industry',
    ]);
    expect(batch.events[0].outputs[0].name).toBe('acme__Invoice_Line__c');
    expect(batch.events[0].inputs.map((i: { name: string }) => i.name).sort()).toEqual(['Account', 'acme__Invoice__c']);
  });

  it('walks a self-lookup hierarchy (Account.Parent.Parent) once per hop, without repeating shared hops', async () => {
    const { of } = await lineageOf('Contact');
    expect(of('Ultimate_Parent__c')).toEqual(['INDIRECT Contact.AccountId', 'INDIRECT Account.ParentId', 'DIRECT Account.Name']);
  });

  it('reads a namespaced roll-up summary from Tooling answers paged with nextRecordsUrl', async () => {
    const { of, calls } = await lineageOf('acme__Invoice__c', {
      'FROM CustomObject': [
        { totalSize: 2, done: true, records: [{ Id: '01I000000000001', DeveloperName: 'Invoice', NamespacePrefix: 'acme' }, { Id: '01I000000000002', DeveloperName: 'Invoice_Line', NamespacePrefix: 'acme' }] },
      ],
      'FROM CustomField': [
        { totalSize: 3, done: false, nextRecordsUrl: '/services/data/v62.0/tooling/query/01gT0000001-2000', records: [{ Id: '00N000000000001', DeveloperName: 'Line_Total', NamespacePrefix: 'acme', TableEnumOrId: '01I000000000001' }] },
        {
          totalSize: 3,
          done: true,
          records: [
            { Id: '00N000000000002', DeveloperName: 'Amount', NamespacePrefix: 'acme', TableEnumOrId: '01I000000000002' },
            { Id: '00N000000000003', DeveloperName: 'Invoice', NamespacePrefix: 'acme', TableEnumOrId: '01I000000000002' },
          ],
        },
      ],
      'FROM MetadataComponentDependency': [
        {
          totalSize: 2,
          done: true,
          records: [
            { MetadataComponentId: '00N000000000001', RefMetadataComponentId: '00N000000000002' },
            { MetadataComponentId: '00N000000000001', RefMetadataComponentId: '00N000000000003' },
          ],
        },
      ],
    });
    expect(of('acme__Line_Total__c')).toEqual(['DIRECT acme__Invoice_Line__c.acme__Amount__c', 'INDIRECT acme__Invoice_Line__c.acme__Invoice__c']);
    expect(calls.filter((c) => c.startsWith('queryMore'))).toEqual(['queryMore /services/data/v62.0/tooling/query/01gT0000001-2000']);
  });

  it('counts modified records per user across query pages (done=false, nextRecordsUrl) and reads +0000 datetimes as UTC', async () => {
    const rec = (id: string, user: string, at: string) => ({ attributes: { type: 'Case', url: `/services/data/v62.0/sobjects/Case/${id}` }, Id: id, LastModifiedById: user, LastModifiedDate: at });
    const { conn, calls } = connection({
      'FROM Case WHERE LastModifiedDate': [
        { totalSize: 5, done: false, nextRecordsUrl: '/services/data/v62.0/query/01gD0000000a-2', records: [rec('5001', '005A', '2025-06-01T08:00:00.000+0000'), rec('5002', '005B', '2025-06-01T09:30:00.000+0000')] },
        { totalSize: 5, done: false, nextRecordsUrl: '/services/data/v62.0/query/01gD0000000a-4', records: [rec('5003', '005A', '2025-06-01T10:45:10.000+0000'), rec('5004', '005A', '2025-06-01T11:00:00.000+0000')] },
        { totalSize: 5, done: true, records: [rec('5005', '005B', '2025-06-01T23:59:59.000+0000')] },
      ],
    });
    const session = new SyncSession(config, testContext({ connectorId: 'sf' }), conn);
    const batch = await session.object('Case', sync, NS);
    expect(batch.observedWrites.map((w) => [w.dataset, w.actor, w.rows, new Date(w.writtenAt).toISOString(), w.operation])).toEqual([
      [datasetId(NS, 'Case'), '005A', 3, '2025-06-01T11:00:00.000Z', 'UPDATE'],
      [datasetId(NS, 'Case'), '005B', 2, '2025-06-01T23:59:59.000Z', 'UPDATE'],
    ]);
    expect(calls.filter((c) => c.startsWith('queryMore'))).toHaveLength(2);
    expect(batch.coverage.rowsRead).toBe(6);
  });

  it('drops a formula path whose relationship or field the describes do not have, keeping the rest', async () => {
    const { of } = await lineageOf('Lead');
    expect(of('Mixed__c')).toEqual(['INDIRECT Lead.OwnerId', 'DIRECT User.Email']);
  });
});
