/**
 * Prometheus Alertmanager API v2: POST {url}/api/v2/alerts with a list of alerts, each `labels` (with
 * `alertname`; label names match [a-zA-Z_][a-zA-Z0-9_]*), `annotations`, `startsAt`, `generatorURL`, and
 * `endsAt` once resolved. Without `endsAt` Alertmanager keeps an alert active for its resolve_timeout only,
 * so the worker re-sends active alerts more often than that. Acknowledgement has no Alertmanager
 * equivalent: an acknowledged alert is sent as still active.
 */
import type { ReceiverConfig } from '../alert-routes.schema';
import { affectedByDomain, alertUrl, domainCounts } from './alert-links';
import { postJson } from './http-delivery';
import type { DeliveryResult, NotificationMessage, Notifier, SecretResolver } from './notifier.port';

/** Annotations stay readable: this many affected datasets per domain are named (the blast radius counts all). */
export const AM_AFFECTED_PER_DOMAIN = 20;

type AlertmanagerReceiver = Extract<ReceiverConfig, { kind: 'alertmanager' }>;

export const alertmanagerBody = (message: NotificationMessage) => {
  const { alert, action } = message;
  const affected = affectedByDomain(alert, AM_AFFECTED_PER_DOMAIN);
  return [
    {
      labels: {
        alertname: alert.kind,
        severity: alert.severity,
        domain: alert.domain,
        namespace: alert.namespace,
        asset: alert.asset,
        rule: alert.rule,
        alert_id: alert.id,
      },
      annotations: {
        summary: alert.summary,
        root_cause: alert.asset,
        affected: Object.entries(affected)
          .map(([domain, assets]) => `${domain}: ${assets.join(', ')}`)
          .join('; '),
        blast_radius: `${alert.blastRadius.datasets} dataset(s)${alert.blastRadius.datasets ? ` (${domainCounts(alert)})` : ''}`,
        status: alert.status,
      },
      startsAt: alert.openedAt,
      ...(action === 'resolve' ? { endsAt: alert.resolvedAt ?? message.sentAt.toISOString() } : {}),
      generatorURL: alertUrl(message.hubUrl, alert),
    },
  ];
};

export class AlertmanagerNotifier implements Notifier<AlertmanagerReceiver> {
  readonly kind = 'alertmanager' as const;

  send(receiver: AlertmanagerReceiver, message: NotificationMessage, _secrets?: SecretResolver): Promise<DeliveryResult> {
    return postJson(`${receiver.url.replace(/\/+$/, '')}/api/v2/alerts`, JSON.stringify(alertmanagerBody(message)));
  }
}
