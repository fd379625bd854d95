/**
 * The worker's own alert store: alert state, silences, the routes document, and the delivery log (an outbox:
 * one row per notification per receiver, in order per alert and receiver, with every attempt). SQLite by
 * default, PostgreSQL in production, through libs/store's drivers and migrations; every change that belongs together is one
 * transaction, so an evaluation's state and the deliveries it asks for are written all or nothing.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Alert, AlertAction, AlertRoutes, DeliveryOutcome, Silence } from '@lineage-hub/alerts';
import { DomainError } from '@lineage-hub/model';
import { migrateSchema, parseStoreUrl, PostgresDriver, SqliteDriver, type SqlDriver, type SqlExecutor } from '@lineage-hub/store';
import { ALERT_MIGRATIONS } from './alert-store.schema';
import type { DeliveryAttempt, DeliveryRecord, NewDelivery } from './delivery.record';

interface DeliveryRow {
  id: string;
  alert_id: string;
  receiver: string;
  seq: number;
  action: AlertAction;
  reason: string;
  status: DeliveryRecord['status'];
  attempts: number;
  created_at: number;
  finished_at: number | null;
  last_code: number | null;
  last_detail: string | null;
  snapshot: string;
}

const toRecord = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  alertId: r.alert_id,
  receiver: r.receiver,
  seq: Number(r.seq),
  action: r.action,
  reason: r.reason,
  status: r.status,
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  lastCode: r.last_code === null ? null : Number(r.last_code),
  lastDetail: r.last_detail,
  alert: JSON.parse(r.snapshot) as Alert,
});

export interface AlertFilter {
  status?: string;
  severity?: string;
  domain?: string;
}

export class AlertStore {
  private constructor(readonly driver: SqlDriver) {}

  static async open(url: string): Promise<AlertStore> {
    const parsed = parseStoreUrl(url);
    let driver: SqlDriver;
    if (parsed.kind === 'sqlite') {
      if (parsed.file !== ':memory:') mkdirSync(path.dirname(parsed.file), { recursive: true });
      driver = SqliteDriver.open(parsed.file);
    } else {
      driver = PostgresDriver.open(parsed.url);
    }
    try {
      await migrateSchema(driver, Date.now, ALERT_MIGRATIONS);
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw new DomainError('unavailable', `ALERTS_STORE_URL: the alert store could not be opened: ${(err as Error).message}`, 'ALERTS_STORE_URL');
    }
    return new AlertStore(driver);
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  /* ------------------------------------------------------------ alerts */

  async alerts(filter: AlertFilter = {}): Promise<Alert[]> {
    const where: string[] = [];
    const params: string[] = [];
    for (const [column, value] of [['status', filter.status], ['severity', filter.severity], ['domain', filter.domain]] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const rows = await this.driver.query<{ body: string }>(`SELECT body FROM alert_state${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id`, params);
    return rows.map((r) => JSON.parse(r.body) as Alert);
  }

  /** Alerts not yet resolved (what the lifecycle works on). */
  async activeAlerts(): Promise<Alert[]> {
    const rows = await this.driver.query<{ body: string }>(`SELECT body FROM alert_state WHERE status <> 'resolved'`);
    return rows.map((r) => JSON.parse(r.body) as Alert);
  }

  async alertsByIds(ids: string[]): Promise<Alert[]> {
    const out: Alert[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows = await this.driver.query<{ body: string }>(`SELECT body FROM alert_state WHERE id IN (${part.map(() => '?').join(',')})`, part);
      out.push(...rows.map((r) => JSON.parse(r.body) as Alert));
    }
    return out;
  }

  async alert(id: string): Promise<{ alert: Alert; findings: unknown[] } | null> {
    const [row] = await this.driver.query<{ body: string; findings: string }>('SELECT body, findings FROM alert_state WHERE id = ?', [id]);
    return row ? { alert: JSON.parse(row.body) as Alert, findings: JSON.parse(row.findings) as unknown[] } : null;
  }

  /** Saves alerts (with the findings behind each) and appends their deliveries, in one transaction. */
  async commit(alerts: Array<{ alert: Alert; findings?: unknown[] }>, deliveries: NewDelivery[], now: number): Promise<DeliveryRecord[]> {
    return this.driver.transaction(async (tx) => {
      for (const { alert, findings } of alerts) {
        await tx.execute(
          `INSERT INTO alert_state (id, status, severity, domain, updated_at, body, findings) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, severity = excluded.severity, domain = excluded.domain,
             updated_at = excluded.updated_at, body = excluded.body${findings ? ', findings = excluded.findings' : ''}`,
          [alert.id, alert.status, alert.severity, alert.domain, Date.parse(alert.updatedAt), JSON.stringify(alert), JSON.stringify(findings ?? [])],
        );
      }
      const out: DeliveryRecord[] = [];
      for (const d of deliveries) out.push(await this.appendDelivery(tx, d, now));
      return out;
    });
  }

  private async appendDelivery(tx: SqlExecutor, d: NewDelivery, now: number): Promise<DeliveryRecord> {
    const [{ seq }] = await tx.query<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM alert_delivery WHERE alert_id = ? AND receiver = ?', [d.alert.id, d.receiver]);
    const next = Number(seq) + 1;
    const row: DeliveryRow = {
      id: `dl_${d.alert.id.slice(3)}_${d.receiver}_${next}`,
      alert_id: d.alert.id,
      receiver: d.receiver,
      seq: next,
      action: d.action,
      reason: d.reason,
      status: 'pending',
      attempts: 0,
      created_at: now,
      finished_at: null,
      last_code: null,
      last_detail: null,
      snapshot: JSON.stringify(d.alert),
    };
    await tx.execute(
      `INSERT INTO alert_delivery (id, alert_id, receiver, seq, action, reason, status, attempts, created_at, snapshot) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      [row.id, row.alert_id, row.receiver, row.seq, row.action, row.reason, row.created_at, row.snapshot],
    );
    return toRecord(row);
  }

  /* ------------------------------------------------------------ deliveries */

  /** The oldest pending delivery of one alert to one receiver (deliveries go out in this order). */
  async pendingHead(alertId: string, receiver: string): Promise<DeliveryRecord | null> {
    const [row] = await this.driver.query<DeliveryRow>(`SELECT * FROM alert_delivery WHERE alert_id = ? AND receiver = ? AND status = 'pending' ORDER BY seq LIMIT 1`, [alertId, receiver]);
    return row ? toRecord(row) : null;
  }

  /** Every (alert, receiver) with something pending. */
  async pendingStreams(): Promise<Array<{ alertId: string; receiver: string }>> {
    const rows = await this.driver.query<{ alert_id: string; receiver: string }>(`SELECT DISTINCT alert_id, receiver FROM alert_delivery WHERE status = 'pending'`);
    return rows.map((r) => ({ alertId: r.alert_id, receiver: r.receiver }));
  }

  /** Receivers an alert was sent to (a resolve or acknowledge goes to them too, whatever the routes say now). */
  async receiversOf(alertId: string): Promise<string[]> {
    const rows = await this.driver.query<{ receiver: string }>(`SELECT DISTINCT receiver FROM alert_delivery WHERE alert_id = ? AND action = 'trigger'`, [alertId]);
    return rows.map((r) => r.receiver).sort();
  }

  /** When the last delivery of this alert to this receiver was created (epoch ms), null if none. */
  async lastDeliveryAt(alertId: string, receiver: string): Promise<number | null> {
    const [row] = await this.driver.query<{ at: number | null }>('SELECT MAX(created_at) AS at FROM alert_delivery WHERE alert_id = ? AND receiver = ?', [alertId, receiver]);
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  async recordAttempt(delivery: DeliveryRecord, outcome: DeliveryOutcome | 'expired', code: number | null, detail: string, now: number, status: DeliveryRecord['status']): Promise<void> {
    await this.driver.transaction(async (tx) => {
      const attempt = delivery.attempts + 1;
      await tx.execute('INSERT INTO alert_attempt (delivery_id, attempt, at, outcome, code, detail) VALUES (?, ?, ?, ?, ?, ?)', [delivery.id, attempt, now, outcome, code, detail.slice(0, 500)]);
      await tx.execute('UPDATE alert_delivery SET attempts = ?, status = ?, finished_at = ?, last_code = ?, last_detail = ? WHERE id = ?', [
        attempt,
        status,
        status === 'pending' ? null : now,
        code,
        detail.slice(0, 500),
        delivery.id,
      ]);
    });
  }

  async deliveriesOf(alertId: string): Promise<Array<DeliveryRecord & { attemptLog: DeliveryAttempt[] }>> {
    const rows = await this.driver.query<DeliveryRow>('SELECT * FROM alert_delivery WHERE alert_id = ? ORDER BY created_at, receiver, seq', [alertId]);
    const attempts = await this.driver.query<{ delivery_id: string; attempt: number; at: number; outcome: string; code: number | null; detail: string }>(
      'SELECT a.* FROM alert_attempt a JOIN alert_delivery d ON d.id = a.delivery_id WHERE d.alert_id = ? ORDER BY a.delivery_id, a.attempt',
      [alertId],
    );
    return rows.map((r) => ({
      ...toRecord(r),
      attemptLog: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({ attempt: Number(a.attempt), at: new Date(Number(a.at)).toISOString(), outcome: a.outcome, code: a.code === null ? null : Number(a.code), detail: a.detail })),
    }));
  }

  async deadLetters(limit = 500): Promise<DeliveryRecord[]> {
    const rows = await this.driver.query<DeliveryRow>(`SELECT * FROM alert_delivery WHERE status = 'dead' ORDER BY finished_at DESC LIMIT ${Math.max(1, Math.floor(limit))}`);
    return rows.map(toRecord);
  }

  async deliveryCounts(): Promise<Array<{ status: string; n: number }>> {
    const rows = await this.driver.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM alert_delivery GROUP BY status');
    return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
  }

  /* ------------------------------------------------------------ silences */

  async silences(): Promise<Silence[]> {
    const rows = await this.driver.query<{ body: string }>('SELECT body FROM alert_silence ORDER BY ends_at DESC');
    return rows.map((r) => JSON.parse(r.body) as Silence);
  }

  async putSilence(silence: Silence): Promise<void> {
    await this.driver.execute('INSERT INTO alert_silence (id, ends_at, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET ends_at = excluded.ends_at, body = excluded.body', [
      silence.id,
      Date.parse(silence.endsAt),
      JSON.stringify(silence),
    ]);
  }

  /* ------------------------------------------------------------ routes */

  async routes(): Promise<{ doc: unknown; updatedAt: number } | null> {
    const [row] = await this.driver.query<{ body: string; updated_at: number }>(`SELECT body, updated_at FROM alert_routes WHERE id = 'current'`);
    return row ? { doc: JSON.parse(row.body), updatedAt: Number(row.updated_at) } : null;
  }

  async putRoutes(doc: unknown, now: number): Promise<void> {
    await this.driver.execute(
      `INSERT INTO alert_routes (id, body, updated_at) VALUES ('current', ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      [JSON.stringify(doc), now],
    );
  }
}

export type { AlertRoutes };
