/**
 * Reads an org's sObjects through the unmodified jsforce: describeGlobal, then per object its describe
 * (fields, lookups, master-detail relations, formulas; formula paths resolved through the describes they
 * cross) and, when watching writes, who modified its records in the sync's window (SOQL on
 * LastModifiedDate, paged with nextRecordsUrl). One batch per object, so a sync resumes at the next object.
 * Every answer's Sforce-Limit-Info goes to the limiter (ctx.reportBudget), and a sync stops, recording a
 * cap-hit gap, before it spends more than `maxBudgetShare` of the org's 24 h allocation.
 */
import { type Connector, type ConnectorContext, type Cursor, cursorInvalid, type PullBatch } from '@lineage-hub/connector-sdk';
import { canonicalDataset } from '@lineage-hub/model';
// The package root (not jsforce/core) also registers conn.tooling (connectors/VENDOR-FORMATS.md 4.B).
import { Connection } from 'jsforce';
import type { SalesforceConfig } from './salesforce.config';
import { BudgetSpent, type SalesforceCursor, SyncSession } from './salesforce-sync.session';

const parseCursor = (cursor: Cursor | null): SalesforceCursor => {
  if (!cursor) return { v: 1 };
  const c = cursor as Partial<SalesforceCursor>;
  const syncOk =
    c.sync === undefined ||
    (Array.isArray(c.sync.objects) && Number.isInteger(c.sync.next) && Number.isFinite(c.sync.from) && Number.isFinite(c.sync.to));
  if (c.v !== 1 || (c.writesFrom !== undefined && !Number.isFinite(c.writesFrom)) || !syncOk) {
    throw cursorInvalid(`unreadable Salesforce cursor ${JSON.stringify(cursor)}`);
  }
  return c as SalesforceCursor;
};

export class SalesforceConnector implements Connector {
  private conn: Connection | null = null;
  readonly namespace: string;

  constructor(private readonly config: SalesforceConfig) {
    this.namespace = canonicalDataset(`salesforce://${config.myDomain}`, 'X').namespace;
  }

  async *pull(cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<PullBatch> {
    // An explicit window re-reads exactly [from, to) of every sObject; the cursor it yields is not kept.
    const state = ctx.window ? parseCursor(null) : parseCursor(cursor);
    const session = new SyncSession(this.config, ctx, await this.connect(ctx));
    let sync = state.sync;
    try {
      if (ctx.window) sync = { objects: await session.objectNames(), next: 0, from: ctx.window.from, to: ctx.window.to };
      else if (!sync) {
        const to = Math.floor(ctx.now() / 1000) * 1000;
        const from = state.writesFrom ?? to - this.config.initialLookbackMs;
        sync = { objects: await session.objectNames(), next: 0, from, to };
      }
    } catch (err) {
      if (!(err instanceof BudgetSpent)) throw err;
      yield session.capHit(state, ctx.now(), ctx.now());
      return;
    }
    if (sync.objects.length === 0) {
      yield { events: [], observedWrites: [], cursor: { v: 1, writesFrom: sync.to }, coverage: { windowStart: sync.from, windowEnd: sync.to, rowsRead: 0, gaps: [] } };
      return;
    }
    const firstInThisPull = sync.next;
    for (let i = sync.next; i < sync.objects.length; i++) {
      let batch: PullBatch;
      try {
        batch = await session.object(sync.objects[i], sync, this.namespace);
      } catch (err) {
        if (!(err instanceof BudgetSpent)) throw err;
        // An object that alone needs more than the sync's share would stop every sync at the same place:
        // it is skipped (and said so) so that the next sync moves on.
        const skip = i === firstInThisPull;
        const cursor: SalesforceCursor =
          skip && i + 1 === sync.objects.length ? { v: 1, writesFrom: sync.to } : { v: 1, writesFrom: state.writesFrom, sync: { ...sync, next: skip ? i + 1 : i } };
        yield session.capHit(cursor, sync.from, sync.to, skip ? sync.objects[i] : undefined);
        return;
      }
      const done = i + 1 === sync.objects.length;
      batch.cursor = done ? { v: 1, writesFrom: sync.to } : { v: 1, ...(state.writesFrom !== undefined ? { writesFrom: state.writesFrom } : {}), sync: { ...sync, next: i + 1 } };
      yield batch;
    }
  }

  async close(): Promise<void> {
    this.conn = null;
  }

  private async connect(ctx: ConnectorContext): Promise<Connection> {
    if (this.conn) return this.conn;
    const auth = this.config.auth;
    if (auth.kind === 'access-token') {
      this.conn = new Connection({ instanceUrl: auth.instanceUrl, accessToken: auth.accessToken, version: this.config.apiVersion });
      return this.conn;
    }
    const conn = new Connection({
      loginUrl: auth.loginUrl,
      oauth2: { loginUrl: auth.loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret },
      version: this.config.apiVersion,
    });
    // login() also installs jsforce's own re-login on 401 (expired session).
    await ctx.schedule(() => conn.login(auth.username, auth.password));
    this.conn = conn;
    return conn;
  }
}
