/**
 * One evaluation: read the open findings through the gateway, group them by root cause (federated upstream),
 * size each root's blast radius (federated downstream, consumers' tags and owners), set severity, advance the
 * lifecycle, decide who is told (routes; a resolve or acknowledge also goes to whoever got the trigger), add
 * Alertmanager re-sends, and write the new state with its deliveries in one transaction.
 */
import {
  advanceAlerts,
  alertId,
  blastRadius,
  groupByRootCause,
  routeAlert,
  severityFor,
  type Alert,
  type AlertCandidate,
  type AlertNotification,
  type AlertRoutes,
  type Consumer,
  type RankedBlastRadius,
} from '@lineage-hub/alerts';
import type { AlertStore } from './alert-store';
import type { DeliveryRecord, NewDelivery } from './delivery.record';
import type { GatewayClient } from './gateway.client';

/** Consumers whose tags and owners are read per root (the rest still count in the blast radius). */
const MAX_LABELLED_CONSUMERS = 200;

export interface EvaluationResult {
  findings: number;
  alerts: number;
  notifications: AlertNotification[];
  deliveries: DeliveryRecord[];
  complete: boolean;
}

const mapLimited = async <T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
};

export class AlertEvaluator {
  constructor(
    private readonly gateway: GatewayClient,
    private readonly store: AlertStore,
  ) {}

  private async radiusOf(asset: string, domain: string, routes: AlertRoutes): Promise<RankedBlastRadius & { tags: string[]; owners: string[] }> {
    const impact = await this.gateway.impact(asset, 'downstream');
    const datasets = impact.nodes.filter((n) => n.id !== asset && n.id.startsWith('dataset:'));
    const labelled = datasets.slice(0, MAX_LABELLED_CONSUMERS);
    const labels = await mapLimited([asset, ...labelled.map((n) => n.id)], 8, (id) => this.gateway.datasetLabels(id));
    const consumers: Consumer[] = datasets.map((n, i) => ({ id: n.id, domains: n.domains ?? [], ...(n.domain ? { domain: n.domain } : {}), ...(i < labelled.length ? labels[i + 1] : {}) }));
    const own: Consumer = { id: asset, domains: [domain], ...labels[0] };
    const radius = blastRadius(own, consumers, routes.settings, impact.complete);
    return { ...radius, tags: own.tags ?? [], owners: own.owners ?? [] };
  }

  async evaluate(routes: AlertRoutes, now = new Date()): Promise<EvaluationResult> {
    const read = await this.gateway.openFindings();
    const groups = await groupByRootCause(read.findings, (asset) => this.gateway.upstream(asset));
    const settings = routes.settings;

    const roots = groups.filter((g) => g.rootKey === null);
    const radii = await mapLimited(roots, 4, (g) => this.radiusOf(g.asset, g.domain, routes));
    const byKey = new Map<string, AlertCandidate>();
    roots.forEach((group, i) => {
      const { tags, owners, ...radius } = radii[i];
      byKey.set(group.key, { group, severity: severityFor(group.kind, radius, settings.severityRules), blastRadius: radius, tags, owners, pages: true });
    });
    // A downstream domain's own alert shares its root's severity and blast radius; it pages only if configured.
    for (const group of groups) {
      if (group.rootKey === null) continue;
      const root = byKey.get(group.rootKey)!;
      byKey.set(group.key, { ...root, group, pages: settings.downstream === 'page' });
    }

    const active = await this.store.activeAlerts();
    // A shard that did not answer: its domains' alerts are neither cleared nor resolved on missing data.
    const missing = new Set(read.complete ? [] : read.missingDomains);
    const judged = active.filter((a) => !missing.has(a.domain) && !a.affected.some((x) => missing.has(x.domain)));
    const candidates = [...byKey.values()];
    const { changed, notifications } = advanceAlerts(judged, candidates, await this.store.silences(), now, {
      repeatIntervalMs: settings.repeatInterval,
      flapWindowMs: settings.flapWindow,
      groupIntervalMs: settings.groupInterval,
      groupWaitMs: settings.groupWait,
    });

    const changedById = new Map(changed.map((a) => [a.id, a]));
    const deliveries: NewDelivery[] = [];
    for (const n of notifications) {
      const alert = changedById.get(n.alertId)!;
      const receivers = new Set(routeAlert(alert, routes));
      if (n.action !== 'trigger') for (const r of await this.store.receiversOf(alert.id)) receivers.add(r);
      for (const receiver of [...receivers].sort()) deliveries.push({ alert, receiver, action: n.action, reason: n.reason });
    }
    deliveries.push(...(await this.alertmanagerResends(routes, [...active.filter((a) => !changedById.has(a.id)), ...changed], deliveries, now)));

    const findingsOf = new Map(candidates.map((c) => [alertId(c.group.key), c.group.findings]));
    const records = await this.store.commit(
      changed.map((alert) => ({ alert, findings: findingsOf.get(alert.id) })),
      deliveries,
      now.getTime(),
    );
    return { findings: read.findings.length, alerts: candidates.length, notifications, deliveries: records, complete: read.complete };
  }

  /** Alertmanager forgets an alert not re-sent within its resolve_timeout: active paged alerts are re-sent. */
  private async alertmanagerResends(routes: AlertRoutes, alerts: Alert[], planned: NewDelivery[], now: Date): Promise<NewDelivery[]> {
    const kinds = new Map(routes.receivers.map((r) => [r.name, r.kind]));
    const out: NewDelivery[] = [];
    for (const alert of alerts) {
      if (alert.status === 'resolved' || !alert.pages || alert.silencedBy.length || !alert.lastNotifiedAt) continue;
      for (const receiver of routeAlert(alert, routes)) {
        if (kinds.get(receiver) !== 'alertmanager' || planned.some((d) => d.alert.id === alert.id && d.receiver === receiver)) continue;
        const last = await this.store.lastDeliveryAt(alert.id, receiver);
        if (last === null || now.getTime() - last >= routes.settings.alertmanagerResend) out.push({ alert, receiver, action: 'trigger', reason: 'resend' });
      }
    }
    return out;
  }
}
