/** One notification to one receiver, as the delivery log keeps it. */
import type { Alert, AlertAction } from '@lineage-hub/alerts';

export interface NewDelivery {
  /** The alert as it was when the notification was decided (what the receiver is told). */
  alert: Alert;
  receiver: string;
  action: AlertAction;
  reason: string;
}

export interface DeliveryRecord {
  /** dl_{alert}_{receiver}_{seq}: the receiver's idempotency key (webhook-id), the same on every attempt. */
  id: string;
  alertId: string;
  receiver: string;
  seq: number;
  action: AlertAction;
  reason: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  createdAt: number;
  finishedAt: number | null;
  lastCode: number | null;
  lastDetail: string | null;
  alert: Alert;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  outcome: string;
  code: number | null;
  detail: string;
}
