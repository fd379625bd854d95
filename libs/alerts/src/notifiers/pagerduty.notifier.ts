/**
 * PagerDuty Events API v2 (POST /v2/enqueue): `routing_key`, `event_action` trigger|acknowledge|resolve, a
 * stable `dedup_key` (the alert id, so trigger, acknowledge and resolve address one incident), and for a
 * trigger a `payload` (summary at most 1,024 characters, source, severity, timestamp, component, group,
 * class, custom_details) plus `links` back to the hub. Answers: 202 accepted, 400 invalid, 429 throttled.
 */
import type { ReceiverConfig } from '../alert-routes.schema';
import { affectedByDomain, affectedCounts, alertUrl, truncate } from './alert-links';
import { postJson } from './http-delivery';
import type { DeliveryResult, NotificationMessage, Notifier, SecretResolver } from './notifier.port';

type PagerDutyReceiver = Extract<ReceiverConfig, { kind: 'pagerduty' }>;

export const PD_SUMMARY_MAX = 1024;
/** PagerDuty refuses events over 512 KB: custom_details lists this many affected datasets per domain, and counts all. */
export const PD_AFFECTED_PER_DOMAIN = 50;

export const pagerDutyBody = (message: NotificationMessage, routingKey: string) => {
  const { alert, action } = message;
  const base = { routing_key: routingKey, event_action: action, dedup_key: alert.id };
  if (action !== 'trigger') return base;
  return {
    ...base,
    payload: {
      summary: truncate(`[${alert.severity}] ${alert.summary}`, PD_SUMMARY_MAX),
      source: alert.asset,
      severity: alert.severity,
      timestamp: alert.openedAt,
      component: alert.asset,
      group: alert.domain,
      class: alert.kind,
      custom_details: {
        alert_key: alert.key,
        root_cause: { asset: alert.asset, domain: alert.domain, findings: alert.findings },
        affected: affectedByDomain(alert, PD_AFFECTED_PER_DOMAIN),
        affected_counts: affectedCounts(alert),
        blast_radius: alert.blastRadius,
        tags: alert.tags,
        owners: alert.owners,
      },
    },
    client: 'lineage-hub',
    client_url: alertUrl(message.hubUrl, alert),
    links: [{ href: alertUrl(message.hubUrl, alert), text: `Alert ${alert.id} in lineage-hub` }],
  };
};

export class PagerDutyNotifier implements Notifier<PagerDutyReceiver> {
  readonly kind = 'pagerduty' as const;

  async send(receiver: PagerDutyReceiver, message: NotificationMessage, secrets: SecretResolver): Promise<DeliveryResult> {
    const key = secrets(receiver.routingKey);
    if (!key) return { outcome: 'rejected', status: null, detail: `receiver ${receiver.name}: routingKey is not set` };
    return postJson(receiver.url, JSON.stringify(pagerDutyBody(message, key)));
  }
}
