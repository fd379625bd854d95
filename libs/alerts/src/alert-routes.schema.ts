/**
 * The alerting document: receivers, routes, per-domain default receivers and settings. The same shape comes
 * from ALERTS_FILE (YAML kept in git) and from PUT /api/v1/alert-routes (JSON). Validation names the field
 * (`routes[2].receivers[0]: unknown receiver "pd"`); a document that fails is not applied at all.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { invalidArgument } from '@lineage-hub/model';
import { SEVERITIES } from './alert.types';
import { parseDuration } from './duration';
import { DEFAULT_SEVERITY_RULES } from './severity.rules';

export const RECEIVER_KINDS = ['webhook', 'slack', 'pagerduty', 'alertmanager'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

/** A secret: a literal, or `{env: NAME}` resolved by the worker's config. */
const secret = z.union([z.string().min(1), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name') }).strict()]);
export type SecretRef = z.infer<typeof secret>;

const httpUrl = z.string().regex(/^https?:\/\/[^/\s]+/, 'must be an http(s) URL');
const duration = (fallback: string) =>
  z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (e.g. 30s, 10m, 4h)` });
        return z.NEVER;
      }
      return ms;
    });

const receiver = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1), kind: z.literal('webhook'), url: httpUrl, secret: secret.optional() }).strict(),
  z.object({ name: z.string().min(1), kind: z.literal('slack'), url: httpUrl }).strict(),
  z
    .object({
      name: z.string().min(1),
      kind: z.literal('pagerduty'),
      url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
      routingKey: secret,
      /** Events per minute allowed for this key (PagerDuty: about 120). */
      ratePerMinute: z.number().int().min(1).max(10_000).default(120),
    })
    .strict(),
  z.object({ name: z.string().min(1), kind: z.literal('alertmanager'), url: httpUrl }).strict(),
]);
export type ReceiverConfig = z.infer<typeof receiver>;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.infer<T>>);

const match = z
  .object({
    domain: oneOrMany(z.string().min(1)).optional(),
    namespace: oneOrMany(z.string().min(1)).optional(),
    tag: oneOrMany(z.string().min(1)).optional(),
    owner: oneOrMany(z.string().min(1)).optional(),
    kind: oneOrMany(z.string().min(1)).optional(),
    severity: oneOrMany(z.enum(SEVERITIES)).optional(),
  })
  .strict();
export type RouteMatch = z.infer<typeof match>;

const route = z
  .object({
    name: z.string().min(1).optional(),
    match: match.default({}),
    receivers: z.array(z.string().min(1)).min(1),
    /** Keep evaluating later routes after this one matched. */
    continue: z.boolean().default(false),
  })
  .strict();

const severityRule = z
  .object({
    severity: z.enum(SEVERITIES),
    kinds: z.array(z.string().min(1)).optional(),
    maxTier: z.number().int().min(0).optional(),
    minDatasets: z.number().int().min(0).optional(),
    minDomains: z.number().int().min(0).optional(),
    minCritical: z.number().int().min(0).optional(),
  })
  .strict();

const settings = z
  .object({
    /** Re-notify a firing, unacknowledged alert after this long even when nothing changed. */
    repeatInterval: duration('4h'),
    /**
     * A new alert pages only after it has been open this long (as Alertmanager's group_wait): shards evaluate
     * findings on their own schedules, so a downstream domain may report first; within the wait the root's
     * finding arrives, the downstream alert is linked to it, and only the root pages.
     */
    groupWait: duration('30s'),
    /** An alert whose evidence grows (more affected datasets) is re-sent at most this often. */
    groupInterval: duration('5m'),
    /** A condition that clears and returns within this window stays one alert (resolve waits this long). */
    flapWindow: duration('5m'),
    /** Downstream domains' own alerts: `link` (listed under the root, no page) or `page` (page separately). */
    downstream: z.enum(['link', 'page']).default('link'),
    criticalDatasets: z.array(z.string().min(1)).default([]),
    criticalOwners: z.array(z.string().min(1)).default([]),
    severityRules: z.array(severityRule).default(DEFAULT_SEVERITY_RULES),
    /** Alertmanager drops an alert not re-sent within its resolve_timeout (5m by default): re-send this often. */
    alertmanagerResend: duration('1m'),
  })
  .strict();
export type AlertSettings = z.infer<typeof settings>;

export const alertRoutesSchema = z
  .object({
    receivers: z.array(receiver).default([]),
    routes: z.array(route).default([]),
    /** domain -> receiver name, used when no route matches an alert of that domain. */
    domainReceivers: z.record(z.string(), z.string().min(1)).default({}),
    defaultReceiver: z.string().min(1).optional(),
    settings: settings.default(settings.parse({})),
  })
  .strict();

export type AlertRoutes = z.infer<typeof alertRoutesSchema>;

/** `routes[0].match.severity[1]` from a zod path. */
export const fieldPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(root)';

/** Validates a document (parsed JSON or YAML); throws an invalid-argument DomainError naming the first bad field. */
export const parseAlertRoutes = (input: unknown): AlertRoutes => {
  const parsed = alertRoutesSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidArgument(fieldPath(issue.path), issue.message, parsed.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })));
  }
  const doc = parsed.data;
  const names = new Set<string>();
  doc.receivers.forEach((r, i) => {
    if (names.has(r.name)) throw invalidArgument(`receivers[${i}].name`, `duplicate receiver "${r.name}"`);
    names.add(r.name);
  });
  const known = (name: string, field: string) => {
    if (!names.has(name)) throw invalidArgument(field, `unknown receiver "${name}"`);
  };
  doc.routes.forEach((r, i) => r.receivers.forEach((name, j) => known(name, `routes[${i}].receivers[${j}]`)));
  for (const [domain, name] of Object.entries(doc.domainReceivers)) known(name, `domainReceivers.${domain}`);
  if (doc.defaultReceiver) known(doc.defaultReceiver, 'defaultReceiver');
  return doc;
};

/** Parses YAML text (ALERTS_FILE) and validates it; a YAML syntax error names the line. */
export const parseAlertRoutesYaml = (text: string): AlertRoutes => {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw invalidArgument('(yaml)', (err as Error).message.split('\n')[0]);
  }
  return parseAlertRoutes(data);
};
