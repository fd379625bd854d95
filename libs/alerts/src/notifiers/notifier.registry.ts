/** One notifier per receiver kind; a receiver is sent through the notifier of its kind. */
import type { ReceiverConfig, ReceiverKind } from '../alert-routes.schema';
import { AlertmanagerNotifier } from './alertmanager.notifier';
import type { DeliveryResult, NotificationMessage, Notifier, SecretResolver } from './notifier.port';
import { PagerDutyNotifier } from './pagerduty.notifier';
import { SlackNotifier } from './slack.notifier';
import { WebhookNotifier } from './webhook.notifier';

export class NotifierRegistry {
  private readonly byKind = new Map<ReceiverKind, Notifier<any>>();

  constructor(notifiers: Notifier<any>[] = [new WebhookNotifier(), new SlackNotifier(), new PagerDutyNotifier(), new AlertmanagerNotifier()]) {
    for (const notifier of notifiers) {
      if (this.byKind.has(notifier.kind)) throw new Error(`two notifiers for receiver kind "${notifier.kind}"`);
      this.byKind.set(notifier.kind, notifier);
    }
  }

  send(receiver: ReceiverConfig, message: NotificationMessage, secrets: SecretResolver): Promise<DeliveryResult> {
    const notifier = this.byKind.get(receiver.kind);
    if (!notifier) return Promise.resolve({ outcome: 'rejected', status: null, detail: `no notifier for receiver kind "${receiver.kind}"` });
    return notifier.send(receiver, message, secrets);
  }
}
