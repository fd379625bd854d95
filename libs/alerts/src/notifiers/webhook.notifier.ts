/** Generic webhook: the alert as JSON (`{type, timestamp, data}`), signed per Standard Webhooks when a secret is set. */
import type { ReceiverConfig } from '../alert-routes.schema';
import { alertUrl } from './alert-links';
import { postJson } from './http-delivery';
import type { DeliveryResult, NotificationMessage, Notifier, SecretResolver } from './notifier.port';
import { webhookHeaders } from './standard-webhooks';

type WebhookReceiver = Extract<ReceiverConfig, { kind: 'webhook' }>;

export const webhookBody = (message: NotificationMessage) => ({
  type: `alert.${message.action}`,
  timestamp: message.sentAt.toISOString(),
  data: { ...message.alert, url: alertUrl(message.hubUrl, message.alert) },
});

export class WebhookNotifier implements Notifier<WebhookReceiver> {
  readonly kind = 'webhook' as const;

  async send(receiver: WebhookReceiver, message: NotificationMessage, secrets: SecretResolver): Promise<DeliveryResult> {
    const body = JSON.stringify(webhookBody(message));
    const secret = receiver.secret ? secrets(receiver.secret) : undefined;
    if (receiver.secret && !secret) return { outcome: 'rejected', status: null, detail: `receiver ${receiver.name}: its secret is not set` };
    const headers = webhookHeaders(secret, message.deliveryId, Math.floor(message.sentAt.getTime() / 1000), body);
    return postJson(receiver.url, body, headers);
  }
}
