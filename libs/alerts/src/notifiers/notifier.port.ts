/**
 * One interface for every receiver kind. A notifier turns a notification into the vendor's request, sends
 * it, and classifies the answer into a neutral outcome the worker turns into done, retry (with the vendor's
 * Retry-After) or dead letter. It never throws for a vendor's answer.
 */
import type { Alert, AlertAction } from '../alert.types';
import type { ReceiverConfig, ReceiverKind, SecretRef } from '../alert-routes.schema';

export interface NotificationMessage {
  action: AlertAction;
  alert: Alert;
  /** Where links point (the gateway's public URL). */
  hubUrl: string;
  sentAt: Date;
  /** Stable per notification (retries reuse it): the receiver's idempotency key (webhook-id). */
  deliveryId: string;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'rate-limited' | 'rejected';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** HTTP status, null when nothing answered. */
  status: number | null;
  /** From Retry-After on 429/503. */
  retryAfterMs?: number;
  detail: string;
}

/** Resolves `{env: NAME}` references; undefined when unset. */
export type SecretResolver = (ref: SecretRef) => string | undefined;

export interface Notifier<R extends ReceiverConfig = ReceiverConfig> {
  readonly kind: ReceiverKind;
  send(receiver: R, message: NotificationMessage, secrets: SecretResolver): Promise<DeliveryResult>;
}

export const literalSecrets: SecretResolver = (ref) => (typeof ref === 'string' ? ref : undefined);
