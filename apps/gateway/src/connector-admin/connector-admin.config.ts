/** Where the gateway finds the connector worker's admin API (WORKER_URL; default the worker's default port). */
import { z } from 'zod';
import { loadConfig } from '@lineage-hub/common';

export const connectorAdminConfigSchema = z
  .object({
    WORKER_URL: z.string().regex(/^https?:\/\/[^/]+/, 'must be http://host:port').default('http://127.0.0.1:4100'),
    WORKER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  })
  .transform((env) => ({ workerUrl: env.WORKER_URL.replace(/\/+$/, ''), timeoutMs: env.WORKER_TIMEOUT_MS }));

export type ConnectorAdminConfig = z.infer<typeof connectorAdminConfigSchema>;

export const CONNECTOR_ADMIN_CONFIG = Symbol('CONNECTOR_ADMIN_CONFIG');

export const loadConnectorAdminConfig = (env: Record<string, string | undefined> = process.env): ConnectorAdminConfig =>
  loadConfig(connectorAdminConfigSchema, Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
