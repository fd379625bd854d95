/**
 * The alerting part of the worker's environment, validated with the rest of it (worker.config.ts calls this on
 * the same snapshot): where findings and impact come from (the gateway), where alert state lives (its own SQL
 * store), the routes file, and timing.
 */
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '@lineage-hub/common';

const ms = (fallback: number, min = 1, max = 7 * 86_400_000) => z.coerce.number().int().min(min).max(max).default(fallback);
const url = z.string().regex(/^https?:\/\/[^/]+/, 'must be http://host:port');

export const alertsConfigSchema = z.object({
  /** The gateway: GET /api/v1/findings (federated) and /api/v1/impact (federated traversal). */
  GATEWAY_URL: url.default('http://127.0.0.1:4000'),
  /** Base of links in notifications (the gateway's public URL); defaults to GATEWAY_URL. */
  HUB_URL: url.optional(),
  /** sqlite:<file> (default under the data folder) or postgres://... */
  ALERTS_STORE_URL: z.string().regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file> or postgres://...').optional(),
  DATA_DIR: z.string().min(1).optional(),
  /** Receivers, routes and settings (YAML kept in git); loaded at start, then editable through the API. */
  ALERTS_FILE: z.string().min(1).optional(),
  /** How often findings are read and alerts evaluated; 0 = only on demand (POST /api/v1/alerts/evaluate). */
  ALERTS_INTERVAL_MS: ms(30_000, 0),
  /** First retry delay of a failed delivery (doubles per attempt up to ALERTS_BACKOFF_MAX_MS) unless Retry-After says otherwise. */
  ALERTS_BACKOFF_MS: ms(1_000),
  ALERTS_BACKOFF_MAX_MS: ms(300_000),
  /** A delivery still failing after this long goes to the dead-letter list. */
  ALERTS_DELIVERY_MAX_AGE_MS: ms(86_400_000),
  ALERTS_HTTP_TIMEOUT_MS: ms(10_000, 100, 120_000),
  /**
   * How long an evaluation reuses a lineage answer (upstream/downstream of an asset, a dataset's tags and owners)
   * read by an earlier one; 0 reads everything anew each time. Findings are always read fresh.
   */
  ALERTS_LINEAGE_CACHE_MS: ms(30_000, 0, 3_600_000),
});

export const alertsSettingsFrom = (env: z.infer<typeof alertsConfigSchema>) => ({
  gatewayUrl: env.GATEWAY_URL.replace(/\/+$/, ''),
  hubUrl: (env.HUB_URL ?? env.GATEWAY_URL).replace(/\/+$/, ''),
  storeUrl: env.ALERTS_STORE_URL ?? `sqlite:${path.join(env.DATA_DIR ?? path.join(repoRoot(), 'data'), 'worker', 'alerts.db')}`,
  routesFile: env.ALERTS_FILE,
  intervalMs: env.ALERTS_INTERVAL_MS,
  backoffMs: env.ALERTS_BACKOFF_MS,
  backoffMaxMs: env.ALERTS_BACKOFF_MAX_MS,
  deliveryMaxAgeMs: env.ALERTS_DELIVERY_MAX_AGE_MS,
  httpTimeoutMs: env.ALERTS_HTTP_TIMEOUT_MS,
  lineageCacheMs: env.ALERTS_LINEAGE_CACHE_MS,
});

export type AlertsSettings = ReturnType<typeof alertsSettingsFrom>;
