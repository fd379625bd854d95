/**
 * Silences, shaped like Alertmanager's: matchers over an alert's labels, from `startsAt` until `endsAt`,
 * with who (`createdBy`) and why (`comment`). A silenced alert keeps its state but notifies nobody.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { invalidArgument } from '@lineage-hub/model';
import type { Alert } from './alert.types';
import { fieldPath } from './alert-routes.schema';

export const SILENCE_LABELS = ['alertname', 'kind', 'asset', 'domain', 'namespace', 'severity', 'rule', 'tag', 'owner', 'id'] as const;

const matcher = z
  .object({
    name: z.enum(SILENCE_LABELS),
    value: z.string().min(1),
    isRegex: z.boolean().default(false),
    isEqual: z.boolean().default(true),
  })
  .strict();

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 time');

const silenceInput = z
  .object({
    matchers: z.array(matcher).min(1),
    startsAt: isoTime.optional(),
    endsAt: isoTime,
    createdBy: z.string().trim().min(1),
    comment: z.string().trim().min(1),
  })
  .strict();

export type SilenceMatcher = z.infer<typeof matcher>;

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
}

/** Validates a silence from the API; throws naming the field. */
export const parseSilence = (input: unknown, now: Date): Silence => {
  const parsed = silenceInput.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidArgument(fieldPath(issue.path), issue.message);
  }
  const s = parsed.data;
  s.matchers.forEach((m, i) => {
    if (!m.isRegex) return;
    try {
      new RegExp(m.value);
    } catch (err) {
      throw invalidArgument(`matchers[${i}].value`, `not a regular expression: ${(err as Error).message}`);
    }
  });
  const startsAt = s.startsAt ? new Date(s.startsAt) : now;
  const endsAt = new Date(s.endsAt);
  if (endsAt <= now) throw invalidArgument('endsAt', 'must be in the future');
  if (endsAt <= startsAt) throw invalidArgument('endsAt', 'must be after startsAt');
  return {
    id: randomUUID(),
    matchers: s.matchers,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: s.createdBy,
    comment: s.comment,
    createdAt: now.toISOString(),
  };
};

/** An alert's labels as silences see them (tags and owners are multi-valued). */
export const alertLabels = (alert: Pick<Alert, 'id' | 'kind' | 'asset' | 'domain' | 'namespace' | 'severity' | 'rule' | 'tags' | 'owners'>): Record<string, string[]> => ({
  alertname: [alert.kind],
  kind: [alert.kind],
  asset: [alert.asset],
  domain: [alert.domain],
  namespace: [alert.namespace],
  severity: [alert.severity],
  rule: [alert.rule],
  tag: alert.tags,
  owner: alert.owners,
  id: [alert.id],
});

const matcherHolds = (m: SilenceMatcher, values: string[]): boolean => {
  const test = m.isRegex ? (v: string) => new RegExp(`^(?:${m.value})$`).test(v) : (v: string) => v === m.value;
  const any = values.some(test);
  return m.isEqual ? any : !any;
};

export const silenceActive = (silence: Silence, now: Date): boolean => new Date(silence.startsAt) <= now && now < new Date(silence.endsAt);

/** Ids of the active silences that mute the alert. */
export const silencedBy = (alert: Parameters<typeof alertLabels>[0], silences: Silence[], now: Date): string[] => {
  const labels = alertLabels(alert);
  return silences.filter((s) => silenceActive(s, now) && s.matchers.every((m) => matcherHolds(m, labels[m.name] ?? []))).map((s) => s.id);
};
