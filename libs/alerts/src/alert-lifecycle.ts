/**
 * The alert lifecycle, pure: given the alerts as stored, this evaluation's candidates (one per finding group,
 * enriched with severity and blast radius), the silences and the time, it returns the alerts that changed and
 * what to notify.
 * - new key -> firing, `trigger` once it has been a root for the group wait (so the root cause, found by a shard
 *   that evaluates a little later, can claim it first: a downstream alert linked within the wait never pages; and
 *   a downstream alert left alone when its root clears first, as recovery runs upstream first, pages only if
 *   it is still there after the wait);
 * - severity changed -> `trigger` again; evidence (root findings, affected assets) changed -> `trigger` again at
 *   most once per group interval (an acknowledged alert: only on a severity change); nothing changed -> quiet
 *   until the repeat interval (firing only);
 * - findings gone -> held open for the flapping window (`clearingSince`); back within it -> same alert, no
 *   notification (counted in `flaps`); still gone after it -> resolved, `resolve` (if anything was sent);
 * - silenced -> state kept, nothing sent; once the silence ends the pending change goes out;
 * - linked downstream alerts (`pages: false`) are tracked and shown, never sent.
 */
import { createHash } from 'node:crypto';
import type { Alert, AlertNotification, BlastRadius, Severity } from './alert.types';
import { alertId } from './alert-key';
import { assetNamespace } from './finding-input.types';
import type { FindingGroup } from './root-cause.grouper';
import { silencedBy, type Silence } from './silence';

export interface AlertCandidate {
  group: FindingGroup;
  severity: Severity;
  blastRadius: BlastRadius;
  tags: string[];
  owners: string[];
  pages: boolean;
}

export interface LifecycleSettings {
  repeatIntervalMs: number;
  flapWindowMs: number;
  /** Evidence-only changes (more affected datasets) re-notify at most this often; a storm is one page plus updates. */
  groupIntervalMs?: number;
  /** A new alert's first page waits this long after it opened (Alertmanager's group_wait). */
  groupWaitMs?: number;
}

export interface LifecycleResult {
  changed: Alert[];
  notifications: AlertNotification[];
}

export const alertFingerprint = (alert: Pick<Alert, 'severity' | 'findings' | 'affected'>): string => {
  const evidence = JSON.stringify([[...alert.findings].sort(), alert.affected.map((a) => `${a.asset}|${a.kind}`).sort()]);
  return `${alert.severity}:${createHash('sha256').update(evidence).digest('hex').slice(0, 16)}`;
};

const summaryOf = (c: AlertCandidate): string => {
  const { group, blastRadius } = c;
  const domains = Object.entries(blastRadius.domains)
    .map(([d, n]) => `${d} ${n}`)
    .join(', ');
  const hurt = group.affected.length ? `; ${group.affected.length} downstream finding(s) grouped here` : '';
  const radius = blastRadius.datasets ? `; ${blastRadius.datasets} downstream dataset(s) (${domains})` : '';
  return `${group.kind} on ${group.asset} [${group.domain}]${hurt}${radius}`;
};

const open = (prev: Alert | undefined): prev is Alert => prev !== undefined && prev.status !== 'resolved';

const fromCandidate = (c: AlertCandidate, prev: Alert | undefined, rootAlertId: string | null, nowIso: string): Alert => ({
  id: alertId(c.group.key),
  key: c.group.key,
  kind: c.group.kind,
  asset: c.group.asset,
  rule: c.group.rule,
  domain: c.group.domain,
  namespace: assetNamespace(c.group.asset),
  status: prev && prev.status !== 'resolved' ? prev.status : 'firing',
  severity: c.severity,
  summary: summaryOf(c),
  findings: c.group.findings.map((f) => f.id).sort(),
  affected: [...c.group.affected].sort((a, b) => a.asset.localeCompare(b.asset) || a.findingId.localeCompare(b.findingId)),
  rootAlertId,
  pages: c.pages,
  pagesSince: !c.pages ? null : open(prev) && prev.pages ? (prev.pagesSince ?? prev.openedAt) : nowIso,
  blastRadius: c.blastRadius,
  tags: c.tags,
  owners: c.owners,
  openedAt: prev && prev.status !== 'resolved' ? prev.openedAt : nowIso,
  updatedAt: nowIso,
  resolvedAt: null,
  acknowledgedAt: prev && prev.status !== 'resolved' ? prev.acknowledgedAt : null,
  acknowledgedBy: prev && prev.status !== 'resolved' ? prev.acknowledgedBy : null,
  clearingSince: null,
  notifiedFingerprint: prev && prev.status !== 'resolved' ? prev.notifiedFingerprint : null,
  lastNotifiedAt: prev && prev.status !== 'resolved' ? prev.lastNotifiedAt : null,
  flaps: (prev?.flaps ?? 0) + (prev?.clearingSince ? 1 : 0),
  silencedBy: [],
});

const sinceNotified = (alert: Alert, now: Date): number => (alert.lastNotifiedAt ? now.getTime() - Date.parse(alert.lastNotifiedAt) : Infinity);

export const advanceAlerts = (
  stored: Alert[],
  candidates: AlertCandidate[],
  silences: Silence[],
  now: Date,
  settings: LifecycleSettings,
): LifecycleResult => {
  const nowIso = now.toISOString();
  const byId = new Map(stored.map((a) => [a.id, a]));
  const changed: Alert[] = [];
  const notifications: AlertNotification[] = [];
  const seen = new Set<string>();

  for (const candidate of candidates) {
    const id = alertId(candidate.group.key);
    seen.add(id);
    const prev = byId.get(id);
    const rootAlertId = candidate.group.rootKey ? alertId(candidate.group.rootKey) : null;
    const next = fromCandidate(candidate, prev, rootAlertId, nowIso);
    next.silencedBy = silencedBy(next, silences, now);
    const fingerprint = alertFingerprint(next);
    let reason: string | null = null;
    if (next.pages && next.silencedBy.length === 0) {
      const sent = next.notifiedFingerprint;
      const severityChanged = sent !== null && !sent.startsWith(`${next.severity}:`);
      if (sent === null) reason = now.getTime() - Date.parse(next.pagesSince ?? next.openedAt) >= (settings.groupWaitMs ?? 0) ? 'new' : null;
      else if (next.status === 'acknowledged') reason = severityChanged ? 'severity-changed' : null;
      else if (severityChanged) reason = 'severity-changed';
      else if (sent !== fingerprint) reason = sinceNotified(next, now) >= (settings.groupIntervalMs ?? 0) ? 'evidence-changed' : null;
      else if (sinceNotified(next, now) >= settings.repeatIntervalMs) reason = 'repeat';
    }
    if (reason) {
      if (next.status === 'acknowledged') next.status = 'firing';
      next.notifiedFingerprint = fingerprint;
      next.lastNotifiedAt = nowIso;
      notifications.push({ alertId: id, action: 'trigger', reason });
    }
    if (!prev || reason || JSON.stringify({ ...prev, updatedAt: '' }) !== JSON.stringify({ ...next, updatedAt: '' })) changed.push(next);
  }

  for (const alert of stored) {
    if (seen.has(alert.id) || alert.status === 'resolved') continue;
    const clearingSince = alert.clearingSince ?? nowIso;
    if (now.getTime() - Date.parse(clearingSince) < settings.flapWindowMs) {
      if (!alert.clearingSince) changed.push({ ...alert, clearingSince, updatedAt: nowIso });
      continue;
    }
    changed.push({ ...alert, status: 'resolved', resolvedAt: clearingSince, clearingSince: null, updatedAt: nowIso, silencedBy: [] });
    if (alert.lastNotifiedAt) notifications.push({ alertId: alert.id, action: 'resolve', reason: 'resolved' });
  }
  return { changed, notifications };
};

/** On-call acknowledges: the alert stops repeating; receivers that know acknowledgement are told. */
export const acknowledgeAlert = (alert: Alert, who: string, now: Date): LifecycleResult => {
  if (alert.status !== 'firing') return { changed: [], notifications: [] };
  const next: Alert = { ...alert, status: 'acknowledged', acknowledgedAt: now.toISOString(), acknowledgedBy: who, updatedAt: now.toISOString() };
  return { changed: [next], notifications: alert.lastNotifiedAt ? [{ alertId: alert.id, action: 'acknowledge', reason: 'acknowledged' }] : [] };
};
