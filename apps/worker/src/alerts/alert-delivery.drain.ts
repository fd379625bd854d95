/**
 * Sends one alert's pending notifications to one receiver, oldest first, so a receiver sees an alert's
 * trigger before its resolve. A failure the vendor calls temporary (5xx, no answer, 429) stops the stream
 * and asks to be retried after the vendor's Retry-After or an exponential backoff; a permanent rejection
 * (other 4xx) goes to the dead-letter list and the stream goes on; nothing is dropped silently. The same
 * delivery id goes out on every attempt, so a receiver that dedupes (webhook-id, PagerDuty dedup_key) sees
 * a delivery repeated after a crash once.
 */
import type { NotifierRegistry, ReceiverConfig, SecretResolver } from '@lineage-hub/alerts';
import type { AlertStore } from './alert-store';
import type { AlertsMetrics } from './alerts.metrics';
import type { AlertsSettings } from './alerts.config';
import type { ReceiverRateWindow } from './receiver-rate.window';

export type DrainOutcome = { done: true } | { done: false; retryInMs: number };

export class AlertDeliveryDrain {
  constructor(
    private readonly store: AlertStore,
    private readonly notifiers: NotifierRegistry,
    private readonly rate: ReceiverRateWindow,
    private readonly metrics: AlertsMetrics,
    private readonly settings: AlertsSettings,
    private readonly secrets: SecretResolver,
  ) {}

  async drain(alertId: string, receiverName: string, receivers: ReceiverConfig[]): Promise<DrainOutcome> {
    for (;;) {
      const head = await this.store.pendingHead(alertId, receiverName);
      if (!head) return { done: true };
      const now = Date.now();
      const receiver = receivers.find((r) => r.name === receiverName);
      if (!receiver) {
        await this.store.recordAttempt(head, 'rejected', null, `receiver "${receiverName}" is no longer configured`, now, 'dead');
        this.metrics.deliveries.inc({ receiver_kind: 'unknown', outcome: 'dead' });
        continue;
      }
      if (now - head.createdAt > this.settings.deliveryMaxAgeMs) {
        await this.store.recordAttempt(head, 'expired', head.lastCode, `still failing after ${Math.round((now - head.createdAt) / 1000)} s: ${head.lastDetail ?? ''}`, now, 'dead');
        this.metrics.deliveries.inc({ receiver_kind: receiver.kind, outcome: 'dead' });
        continue;
      }
      if (receiver.kind === 'pagerduty') {
        const wait = await this.rate.take(receiver.name, receiver.ratePerMinute, now);
        if (wait > 0) return { done: false, retryInMs: wait };
      }
      const result = await this.notifiers.send(receiver, { action: head.action, alert: head.alert, hubUrl: this.settings.hubUrl, sentAt: new Date(now), deliveryId: head.id }, this.secrets);
      const at = Date.now();
      this.metrics.deliveries.inc({ receiver_kind: receiver.kind, outcome: result.outcome });
      if (result.outcome === 'delivered') {
        await this.store.recordAttempt(head, result.outcome, result.status, result.detail, at, 'delivered');
        this.metrics.latency.observe({ receiver_kind: receiver.kind }, (at - head.createdAt) / 1000);
        continue;
      }
      if (result.outcome === 'rejected') {
        await this.store.recordAttempt(head, result.outcome, result.status, result.detail, at, 'dead');
        this.metrics.deliveries.inc({ receiver_kind: receiver.kind, outcome: 'dead' });
        continue;
      }
      await this.store.recordAttempt(head, result.outcome, result.status, result.detail, at, 'pending');
      const backoff = Math.min(this.settings.backoffMaxMs, this.settings.backoffMs * 2 ** Math.min(20, head.attempts));
      return { done: false, retryInMs: result.retryAfterMs ?? backoff };
    }
  }
}
