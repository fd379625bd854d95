/**
 * `npm start` is secure by default: authentication on in every process, with what they share kept under
 * `<dataDir>/auth/` (files 0600): the API token file (hashes only), the service credential the hub's own processes
 * use between themselves (and the demo loader with the gateway), the redaction key, the connector secrets key.
 * The first start mints a local admin token, writes it to `<dataDir>/auth/admin-token` and prints it once with
 * the lines to use it. `auth: off` in the hub config is accepted only while every listener is on loopback.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileTokenStore, isLoopbackHost, mintToken } from '@lineage-hub/auth';

export interface HubAuth {
  enabled: boolean;
  dir: string;
  tokensFile: string;
  serviceToken: string;
  redactionKey: string;
  secretsKey: string;
  adminTokenFile: string;
  /** The admin token, only on the start that created it (printed once). */
  createdAdminToken: string | null;
}

/** A 0600 file's content, created with `make()` on first use. */
const keep = (file: string, make: () => string): { value: string; created: boolean } => {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, created: true };
};
const key = () => randomBytes(32).toString('base64url');

export function prepareHubAuth(dataDir: string, enabled: boolean): HubAuth {
  const dir = path.join(dataDir, 'auth');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tokensFile = path.join(dir, 'tokens.json');
  const adminTokenFile = path.join(dir, 'admin-token');
  const admin = keep(adminTokenFile, () => {
    const { secret, record } = mintToken({ name: 'local-admin', owner: 'npm start', roles: ['admin'], expiresAt: null });
    new FileTokenStore(tokensFile, 0).add(record);
    return secret;
  });
  return {
    enabled,
    dir,
    tokensFile,
    serviceToken: keep(path.join(dir, 'service-token'), key).value,
    redactionKey: keep(path.join(dir, 'redaction.key'), key).value,
    secretsKey: keep(path.join(dir, 'secrets.key'), key).value,
    adminTokenFile,
    createdAdminToken: admin.created ? admin.value : null,
  };
}

/** Refuses `auth: off` when a listener is not on loopback (the apps refuse it too; the hub says it first). */
export function authOffRefusal(enabled: boolean, hosts: Array<{ name: string; host: string }>): string | null {
  if (enabled) return null;
  const exposed = hosts.filter((h) => !isLoopbackHost(h.host));
  return exposed.length
    ? `auth: off is allowed only while every listener is on loopback, but ${exposed.map((h) => `${h.name} listens on ${h.host}`).join(', ')}; set auth: on`
    : null;
}

/** The authentication variables of one child process (`audit` names its audit store file). */
export function authEnv(auth: HubAuth, audit: string): Record<string, string> {
  if (!auth.enabled) return { AUTH: 'off' };
  return {
    AUTH: 'on',
    AUTH_TOKENS_FILE: auth.tokensFile,
    AUTH_SERVICE_TOKEN: auth.serviceToken,
    REDACTION_KEY: auth.redactionKey,
    AUDIT_STORE_URL: `sqlite:${path.join(auth.dir, `audit-${audit}.db`)}`,
  };
}

/** Headers for the hub's own requests (demo loader, banner checks): the service credential. */
export const serviceHeaders = (auth: HubAuth): Record<string, string> => (auth.enabled ? { authorization: `Bearer ${auth.serviceToken}` } : {});

/** The lines printed once, on the start that created the admin token. */
export function adminTokenLines(auth: HubAuth, gatewayUrl: string, sampleNodeId: string): string[] {
  if (!auth.enabled) return ['authentication is OFF (auth: off in the hub config; loopback only)'];
  if (!auth.createdAdminToken) return [`authentication is on; the local admin token is in ${auth.adminTokenFile}`];
  const token = auth.createdAdminToken;
  return [
    'authentication is on. A local admin token was created (shown this once; kept in ' + auth.adminTokenFile + '):',
    `  ${token}`,
    'Use it:',
    `  curl -H 'Authorization: Bearer ${token}' '${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(sampleNodeId)}&depth=10'`,
    `  export OPENLINEAGE__TRANSPORT__TYPE=http OPENLINEAGE__TRANSPORT__URL=${gatewayUrl} OPENLINEAGE__TRANSPORT__AUTH__TYPE=api_key OPENLINEAGE__TRANSPORT__AUTH__API_KEY=${token}`,
    `  Tokens for producers and readers: POST ${gatewayUrl}/api/v1/tokens (admin), e.g. {"name":"airflow","owner":"data-eng","roles":["writer"],"domains":["sales"]}`,
  ];
}
