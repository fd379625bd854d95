/**
 * The alert model. An alert is one root cause seen by on-call: a stable key (kind, asset, rule), the findings
 * behind it, the downstream datasets it hurts, a severity from that blast radius, and a lifecycle state.
 * Plain data only (it is stored as JSON and sent over HTTP).
 */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** What a notifier is asked to do (PagerDuty's event_action; the others map it). */
export type AlertAction = 'trigger' | 'acknowledge' | 'resolve';

/** A downstream consumer that counts as critical, and why. */
export interface CriticalConsumer {
  id: string;
  domain: string;
  reason: string;
}

export interface BlastRadius {
  /** Downstream datasets (the asset itself excluded). */
  datasets: number;
  /** Downstream datasets per domain. */
  domains: Record<string, number>;
  /** The most critical consumers first (at most 10). */
  critical: CriticalConsumer[];
  /** False when the impact answer was partial (a shard did not answer). */
  complete: boolean;
}

export interface AffectedAsset {
  asset: string;
  domain: string;
  findingId: string;
  kind: string;
}

export interface Alert {
  /** `al_` + a hash of the key: stable across restarts and re-evaluations. */
  id: string;
  /** kind|asset|rule */
  key: string;
  kind: string;
  /** The root cause's node id (dataset:ns:name or job:ns:name). */
  asset: string;
  rule: string;
  domain: string;
  namespace: string;
  status: AlertStatus;
  severity: Severity;
  summary: string;
  /** Finding ids at the root (open ones while firing). */
  findings: string[];
  /** Downstream findings grouped under this root (their datasets and domains). */
  affected: AffectedAsset[];
  /** For a downstream domain's own alert: the root cause's alert id (it does not page separately). */
  rootAlertId: string | null;
  /** False for linked downstream alerts when grouping says they do not page. */
  pages: boolean;
  /** Since when it is a paging root (null when linked): the group wait counts from here. */
  pagesSince?: string | null;
  blastRadius: BlastRadius;
  tags: string[];
  owners: string[];
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** Set while the findings have cleared but the flapping guard still holds the alert open. */
  clearingSince: string | null;
  /** What was last notified (severity + evidence), to re-notify only on change. */
  notifiedFingerprint: string | null;
  lastNotifiedAt: string | null;
  /** How many times the condition cleared and returned within the flapping window. */
  flaps: number;
  /** Ids of the silences muting it right now. */
  silencedBy: string[];
}

/** One thing to tell the receivers: produced by the lifecycle, delivered by the worker. */
export interface AlertNotification {
  alertId: string;
  action: AlertAction;
  /** Why: new, severity-changed, evidence-changed, repeat, acknowledged, resolved, test. */
  reason: string;
}
