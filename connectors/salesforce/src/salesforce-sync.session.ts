/**
 * One pull of the Salesforce connector (salesforce.connector.ts): its API spending under the limiter and within its
 * share of the org's allocation, the describe cache, and each sObject's batch (describe, formula and roll-up sources,
 * who modified its records in the sync's window).
 */
import type { ConnectorContext, PullBatch } from '@lineage-hub/connector-sdk';
import { canonicalDataset, datasetId, type ObservedWrite } from '@lineage-hub/model';
import type { Connection } from 'jsforce';
import { formulaFieldPaths } from './formula-references';
import type { SalesforceConfig } from './salesforce.config';
import { mapSObject, type ResolvedReference, type RollupSource, type SObjectDescribe } from './sobject.mapper';

export interface SyncState {
  /** sObjects of this sync, in order; `next` is the first not yet delivered. */
  objects: string[];
  next: number;
  /** Writes window [from, to) and the sync's clock. */
  from: number;
  to: number;
}

export interface SalesforceCursor {
  v: 1;
  /** Writes before this instant have been observed by a finished sync. */
  writesFrom?: number;
  sync?: SyncState;
}

/** This sync's share of the org's API allocation is spent. */
export class BudgetSpent extends Error {}

/** SOQL dateTime literal (no fraction). */
const soqlTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sfTime = (text: string) => Date.parse(String(text).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/** One pull's API spending, describe cache and per-object work. */
export class SyncSession {
  private spent = 0;
  private cap: number | null = null;
  private orgLeft = Number.POSITIVE_INFINITY;
  private readonly describes = new Map<string, Promise<SObjectDescribe | null>>();
  /** "object.field" (lower case) -> the custom fields it depends on, from the Tooling API; read once per pull. */
  private fieldDependencies: Promise<Map<string, Array<{ object: string; field: string }>>> | null = null;

  constructor(
    private readonly config: SalesforceConfig,
    private readonly ctx: ConnectorContext,
    private readonly conn: Connection,
  ) {}

  /** One REST call under the limiter, within this sync's share of the org's allocation. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    // Within this sync's share, and never past the org's whole allocation (other integrations share it).
    if (this.cap !== null && (this.spent >= this.cap || this.orgLeft <= 0)) throw new BudgetSpent();
    this.spent += 1;
    const result = await this.ctx.schedule(fn);
    const usage = this.conn.limitInfo?.apiUsage;
    if (usage && usage.limit > 0) {
      this.cap = Math.floor(usage.limit * this.config.maxBudgetShare);
      this.orgLeft = usage.limit - usage.used;
      this.ctx.reportBudget?.({ used: usage.used, max: usage.limit });
    }
    return result;
  }

  capHit(cursor: SalesforceCursor, from: number, to: number, skipped?: string): PullBatch {
    const usage = this.conn.limitInfo?.apiUsage;
    const share = `its share is ${this.config.maxBudgetShare} of the org's ${usage?.limit ?? '?'} daily calls (${usage?.used ?? '?'} used)`;
    return {
      events: [],
      observedWrites: [],
      cursor: { ...cursor },
      coverage: {
        windowStart: from,
        windowEnd: to,
        rowsRead: 0,
        gaps: [
          {
            kind: 'cap-hit',
            from,
            to,
            reason: skipped
              ? `${skipped} alone needs more API calls than this sync may spend (${share}); it was skipped and the next run moves on`
              : `sync stopped after ${this.spent} API calls: ${share}; it resumes at the next object next run`,
          },
        ],
      },
    };
  }

  async objectNames(): Promise<string[]> {
    const global = await this.call(() => this.conn.describeGlobal());
    const include = this.config.include?.map((n) => n.toLowerCase());
    return global.sobjects
      .filter((s) => s.queryable && !s.deprecatedAndHidden)
      .filter((s) => (include ? include.includes(s.name.toLowerCase()) : !this.config.excludeSuffixes.some((suffix) => s.name.endsWith(suffix))))
      .map((s) => s.name)
      .sort();
  }

  private describe(name: string): Promise<SObjectDescribe | null> {
    const key = name.toLowerCase();
    let pending = this.describes.get(key);
    if (!pending) {
      pending = this.call(() => this.conn.describe(name) as Promise<unknown>).then(
        (d) => d as SObjectDescribe,
        (err: { errorCode?: string }) => {
          if (err?.errorCode === 'NOT_FOUND' || err?.errorCode === 'INVALID_TYPE') return null;
          this.describes.delete(key);
          throw err;
        },
      );
      this.describes.set(key, pending);
    }
    return pending;
  }

  /** Resolves `Account.Owner.Name` from `describe`: relationship names to their parent objects, then the field. */
  private async resolve(describe: SObjectDescribe, path: string[]): Promise<ResolvedReference | null> {
    let current: SObjectDescribe | null = describe;
    const hops: ResolvedReference['hops'] = [];
    for (const part of path.slice(0, -1)) {
      // `Owner:User` names the parent type of a polymorphic relationship; a queue is a Group record.
      const [relationship, type] = part.split(':');
      const lookup: SObjectDescribe['fields'][number] | undefined = current.fields.find(
        (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === relationship.toLowerCase(),
      );
      if (!lookup?.referenceTo?.length) return null;
      const wanted = type === undefined ? undefined : type.toLowerCase() === 'queue' ? 'group' : type.toLowerCase();
      const parent = wanted === undefined ? lookup.referenceTo[0] : lookup.referenceTo.find((r) => r.toLowerCase() === wanted);
      if (!parent) return null;
      hops.push({ object: current.name, field: lookup.name });
      current = await this.describe(parent);
      if (!current) return null;
    }
    const last = path[path.length - 1].toLowerCase();
    const field = current.fields.find((f) => f.name.toLowerCase() === last);
    return field ? { hops, target: { object: current.name, field: field.name } } : null;
  }

  async object(name: string, sync: SyncState, namespace: string): Promise<PullBatch> {
    const describe = await this.describe(name);
    if (!describe) {
      return { events: [], observedWrites: [], cursor: {}, coverage: { windowStart: sync.from, windowEnd: sync.to, rowsRead: 0, gaps: [] } };
    }
    const formulas = new Map<string, ResolvedReference[]>();
    for (const field of describe.fields) {
      if (!field.calculated || !field.calculatedFormula) continue;
      const refs: ResolvedReference[] = [];
      for (const path of formulaFieldPaths(field.calculatedFormula)) {
        const resolved = await this.resolve(describe, path);
        if (resolved) refs.push(resolved);
      }
      formulas.set(field.name, refs);
    }
    const rollups = await this.rollups(describe);
    const event = mapSObject(describe, { namespace, syncTime: sync.to, formulas, rollups });
    const { writes, records } = await this.observedWrites(describe, sync, namespace);
    return { events: [event], observedWrites: writes, cursor: {}, coverage: { windowStart: sync.from, windowEnd: sync.to, rowsRead: 1 + records, gaps: [] } };
  }

  /**
   * Roll-up summary fields (calculated, no formula text) aggregate a child field over a master-detail relation;
   * their definition is metadata, so their sources come from the Tooling API's field dependencies.
   */
  private async rollups(describe: SObjectDescribe): Promise<Map<string, RollupSource[]>> {
    const out = new Map<string, RollupSource[]>();
    const rollupFields = describe.fields.filter((f) => f.calculated && !f.calculatedFormula);
    if (!this.config.rollups || rollupFields.length === 0) return out;
    this.fieldDependencies ??= this.readFieldDependencies().catch((err) => {
      this.fieldDependencies = null;
      throw err;
    });
    const dependencies = await this.fieldDependencies;
    for (const field of rollupFields) {
      const sources: RollupSource[] = [];
      for (const dep of dependencies.get(`${describe.name}.${field.name}`.toLowerCase()) ?? []) {
        const child = await this.describe(dep.object);
        const childField = child?.fields.find((f) => f.name.toLowerCase() === dep.field.toLowerCase());
        if (!child || !childField) continue;
        sources.push({ object: child.name, field: childField.name, relationship: childField.type === 'reference' });
      }
      if (sources.length) out.set(field.name, sources);
    }
    return out;
  }

  /** Three paged Tooling queries: custom objects, custom fields, and field -> field dependencies. */
  private async readFieldDependencies(): Promise<Map<string, Array<{ object: string; field: string }>>> {
    const objects = new Map<string, string>();
    for (const o of await this.toolingAll('SELECT Id, DeveloperName, NamespacePrefix FROM CustomObject')) {
      objects.set(String(o.Id), `${o.NamespacePrefix ? `${o.NamespacePrefix}__` : ''}${o.DeveloperName}__c`);
    }
    const fields = new Map<string, { object: string; field: string }>();
    for (const f of await this.toolingAll('SELECT Id, DeveloperName, NamespacePrefix, TableEnumOrId FROM CustomField')) {
      const table = String(f.TableEnumOrId);
      fields.set(String(f.Id), { object: objects.get(table) ?? table, field: `${f.NamespacePrefix ? `${f.NamespacePrefix}__` : ''}${f.DeveloperName}__c` });
    }
    const dependencies = new Map<string, Array<{ object: string; field: string }>>();
    const pairs = await this.toolingAll(
      "SELECT MetadataComponentId, RefMetadataComponentId FROM MetadataComponentDependency WHERE MetadataComponentType = 'CustomField' AND RefMetadataComponentType = 'CustomField'",
    );
    if (pairs.length >= 2000) this.ctx.log('warn', 'MetadataComponentDependency answered its 2,000-record maximum; some roll-up sources may be missing');
    for (const pair of pairs) {
      const from = fields.get(String(pair.MetadataComponentId));
      const to = fields.get(String(pair.RefMetadataComponentId));
      if (!from || !to) continue;
      const key = `${from.object}.${from.field}`.toLowerCase();
      dependencies.set(key, [...(dependencies.get(key) ?? []), to]);
    }
    return dependencies;
  }

  private async toolingAll(soql: string): Promise<Array<Record<string, unknown>>> {
    type Page = { done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };
    const records: Array<Record<string, unknown>> = [];
    let page: Page = await this.call(async () => (await this.conn.tooling.query<Record<string, unknown>>(soql, { autoFetch: false })) as Page);
    records.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
      const next = page.nextRecordsUrl;
      page = await this.call(async () => (await this.conn.tooling.queryMore<Record<string, unknown>>(next)) as Page);
      records.push(...page.records);
    }
    return records;
  }

  /** Who modified records of this sObject in [from, to): one observed write per user, with the count. */
  private async observedWrites(describe: SObjectDescribe, sync: SyncState, namespace: string): Promise<{ writes: ObservedWrite[]; records: number }> {
    const has = (f: string) => describe.fields.some((x) => x.name === f);
    if (!this.config.watchWrites || describe.queryable === false || !has('LastModifiedDate') || !has('LastModifiedById')) return { writes: [], records: 0 };
    const soql = `SELECT Id, LastModifiedById, LastModifiedDate FROM ${describe.name} WHERE LastModifiedDate >= ${soqlTime(sync.from)} AND LastModifiedDate < ${soqlTime(sync.to)} ORDER BY LastModifiedDate, Id`;
    const byUser = new Map<string, { last: number; rows: number }>();
    let records = 0;
    type Page = { done: boolean; nextRecordsUrl?: string; records: Array<Record<string, string>> };
    let page: Page = await this.call(async () => (await this.conn.query<Record<string, string>>(soql, { autoFetch: false })) as Page);
    for (;;) {
      for (const r of page.records) {
        records += 1;
        const user = String(r.LastModifiedById);
        const at = sfTime(r.LastModifiedDate);
        const seen = byUser.get(user) ?? { last: 0, rows: 0 };
        byUser.set(user, { last: Math.max(seen.last, at), rows: seen.rows + 1 });
      }
      if (page.done || !page.nextRecordsUrl) break;
      const next = page.nextRecordsUrl;
      page = await this.call(async () => (await this.conn.queryMore<Record<string, string>>(next)) as Page);
    }
    const dataset = canonicalDataset(namespace, describe.name);
    const writes = [...byUser.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([user, { last, rows }]) => ({
        dataset: datasetId(dataset.namespace, dataset.name),
        sources: [],
        writtenAt: last,
        // LastModifiedDate moves on create and on update alike: the records were written (never a delete).
        operation: 'UPDATE' as const,
        actor: user,
        queryId: `${describe.name}:${user}:${sync.from}-${sync.to}`,
        queryText: soql,
        rows,
        connectorId: this.ctx.connectorId,
      }));
    return { writes, records };
  }
}
