/** The alerting API's logic: reads, acknowledgement, silences, routes, receiver tests, dead letters. */
import { Injectable } from '@nestjs/common';
import {
  ALERT_STATUSES,
  acknowledgeAlert,
  parseAlertRoutes,
  parseSilence,
  routeAlert,
  SEVERITIES,
  type Alert,
  type AlertRoutes,
} from '@lineage-hub/alerts';
import { invalidArgument, notFound } from '@lineage-hub/model';
import type { AlertFilter } from './alert-store';
import type { NewDelivery } from './delivery.record';
import { AlertsRuntime } from './alerts.runtime';
import { AlertsScheduler } from './alerts.scheduler';
import { testAlert } from './test-alert';

const oneOf = (field: string, value: unknown, allowed: readonly string[]): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) throw invalidArgument(field, `must be one of ${allowed.join(', ')}`);
  return value;
};

@Injectable()
export class AlertsService {
  constructor(
    private readonly runtime: AlertsRuntime,
    private readonly scheduler: AlertsScheduler,
  ) {}

  async list(query: Record<string, unknown>): Promise<{ alerts: Alert[] }> {
    const filter: AlertFilter = {
      status: oneOf('status', query.status, ALERT_STATUSES),
      severity: oneOf('severity', query.severity, SEVERITIES),
      domain: typeof query.domain === 'string' && query.domain ? query.domain : undefined,
    };
    return { alerts: await this.runtime.store.alerts(filter) };
  }

  async get(id: string) {
    const found = await this.runtime.store.alert(id);
    if (!found) throw notFound(`alert ${id}`);
    const { alert, findings } = found;
    return {
      ...alert,
      findingDetails: findings,
      rootCause: { asset: alert.rootAlertId ? null : alert.asset, domain: alert.rootAlertId ? null : alert.domain, alertId: alert.rootAlertId ?? alert.id },
      deliveries: await this.runtime.store.deliveriesOf(id),
    };
  }

  async acknowledge(id: string, body: unknown): Promise<Alert> {
    const by = (body as { by?: unknown } | undefined)?.by;
    if (by !== undefined && (typeof by !== 'string' || !by.trim())) throw invalidArgument('by', 'must be a non-empty string (who acknowledges)');
    const found = await this.runtime.store.alert(id);
    if (!found) throw notFound(`alert ${id}`);
    const { changed, notifications } = acknowledgeAlert(found.alert, (by as string | undefined)?.trim() ?? 'api', new Date());
    if (!changed.length) return found.alert;
    const routes = await this.runtime.routes();
    const deliveries: NewDelivery[] = [];
    for (const n of notifications) {
      const receivers = new Set([...routeAlert(changed[0], routes), ...(await this.runtime.store.receiversOf(id))]);
      for (const receiver of [...receivers].sort()) deliveries.push({ alert: changed[0], receiver, action: n.action, reason: n.reason });
    }
    const records = await this.runtime.store.commit([{ alert: changed[0] }], deliveries, Date.now());
    for (const d of records) await this.runtime.enqueueDrain(d.alertId, d.receiver);
    return changed[0];
  }

  evaluate() {
    return this.scheduler.evaluate().then((r) => ({ findings: r.findings, alerts: r.alerts, notifications: r.notifications, deliveries: r.deliveries.length, complete: r.complete }));
  }

  async silences(query: Record<string, unknown>) {
    const now = Date.now();
    const all = await this.runtime.store.silences();
    const state = oneOf('state', query.state, ['active', 'pending', 'expired']);
    const stateOf = (s: { startsAt: string; endsAt: string }) => (Date.parse(s.endsAt) <= now ? 'expired' : Date.parse(s.startsAt) > now ? 'pending' : 'active');
    return { silences: all.map((s) => ({ ...s, state: stateOf(s) })).filter((s) => !state || s.state === state) };
  }

  async createSilence(body: unknown) {
    const silence = parseSilence(body, new Date());
    await this.runtime.store.putSilence(silence);
    return silence;
  }

  /** Expires the silence now (kept for the record). */
  async deleteSilence(id: string): Promise<void> {
    const silence = (await this.runtime.store.silences()).find((s) => s.id === id);
    if (!silence) throw notFound(`silence ${id}`);
    if (Date.parse(silence.endsAt) > Date.now()) await this.runtime.store.putSilence({ ...silence, endsAt: new Date().toISOString() });
  }

  routes(): Promise<AlertRoutes> {
    return this.runtime.routes();
  }

  /** Validates the whole document first: a bad one changes nothing. */
  async putRoutes(body: unknown): Promise<AlertRoutes> {
    const doc = parseAlertRoutes(body);
    await this.runtime.store.putRoutes(body ?? {}, Date.now());
    return doc;
  }

  async testReceiver(name: string) {
    const routes = await this.runtime.routes();
    const receiver = routes.receivers.find((r) => r.name === name);
    if (!receiver) throw notFound(`receiver ${name}`);
    const now = new Date();
    const result = await this.runtime.notifiers.send(receiver, { action: 'trigger', alert: testAlert(now), hubUrl: this.runtime.config.alerts.hubUrl, sentAt: now, deliveryId: `test_${now.getTime()}` }, this.runtime.secrets);
    this.runtime.metrics.deliveries.inc({ receiver_kind: receiver.kind, outcome: result.outcome });
    return { receiver: name, kind: receiver.kind, ...result };
  }

  async deadLetters() {
    return { deliveries: await this.runtime.store.deadLetters() };
  }
}
