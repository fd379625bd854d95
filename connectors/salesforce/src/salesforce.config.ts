/** Settings of one Salesforce connector instance (one org). */
import { z } from 'zod';

const auth = z.discriminatedUnion('kind', [
  /** A session or OAuth access token (from a secret); no refresh: an expired token is auth-failed. */
  z.object({ kind: z.literal('access-token'), instanceUrl: z.url(), accessToken: z.string().min(1) }),
  /** OAuth 2.0 username-password flow against `loginUrl`; jsforce logs in again when the session expires. */
  z.object({
    kind: z.literal('password'),
    loginUrl: z.url().default('https://login.salesforce.com'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    username: z.string().min(1),
    password: z.string().min(1),
  }),
]);

export const salesforceConfigSchema = z.object({
  /** The org's My Domain host, e.g. "acme.my.salesforce.com": the dataset namespace salesforce://<myDomain>. */
  myDomain: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.(salesforce|force|site)\.com$/i, 'a My Domain host such as "acme.my.salesforce.com"'),
  /** The pinned REST API version (jsforce defaults to 50.0, which is being retired). */
  apiVersion: z.string().regex(/^\d{2,3}\.0$/, 'an API version such as "62.0"').default('62.0'),
  auth,
  /** sObjects to read (API names, case-insensitive); default: every queryable sObject not excluded. */
  include: z.array(z.string().min(1)).optional(),
  /** sObject name suffixes never read (history, share and feed objects carry no lineage). */
  excludeSuffixes: z.array(z.string()).default(['History', 'Share', 'Feed', 'ChangeEvent', '__Tag']),
  /** Read roll-up summary definitions through the Tooling API (3 paged queries per sync) as column lineage. */
  rollups: z.boolean().default(true),
  /** Observe who wrote which sObject (LastModifiedDate/LastModifiedById), per object, each sync. */
  watchWrites: z.boolean().default(true),
  /** The most of the org's rolling 24 h API allocation one sync may spend (0-1]. */
  maxBudgetShare: z.number().gt(0).max(1).default(0.1),
  initialLookbackMs: z.number().int().positive().default(24 * 3600_000),
});

export type SalesforceConfig = z.infer<typeof salesforceConfigSchema>;
