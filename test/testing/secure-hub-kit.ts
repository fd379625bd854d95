/**
 * Test support: shards and a gateway in this process with authentication ON (a shared token file, the service
 * credential, one redaction key, an audit store per process), and tokens minted for the roles of the tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUTH_OFF, FileTokenStore, mintToken, type TokenRequest } from '@lineage-hub/auth';
import { parseNamespaceDomains } from '@lineage-hub/federation';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway-app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { freePort } from './hub-kit';

export interface SecureHub {
  dir: string;
  shards: Record<string, RunningShard>;
  gateway: RunningGateway;
  serviceToken: string;
  /** Mints a token in the shared file; returns the secret. */
  token(request: Partial<TokenRequest> & Pick<TokenRequest, 'roles'>): string;
  /** GET with a bearer token: status and parsed body. */
  get(url: string, token?: string): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

export const startSecureHub = async (domains: string[], namespaceDomains: string, gatewayEnv: Record<string, string> = {}): Promise<SecureHub> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-secure-'));
  const tokensFile = path.join(dir, 'tokens.json');
  const tokens = new FileTokenStore(tokensFile, 0);
  const serviceToken = randomBytes(32).toString('base64url');
  const redactionKey = randomBytes(32).toString('base64url');
  const shards: Record<string, RunningShard> = {};
  // RPC ports chosen up front: each shard knows the others (SHARDS) to ask how their datasets are classified
  const rpcPorts: Record<string, number> = {};
  for (const domain of domains) rpcPorts[domain] = await freePort();
  const peers = domains.map((d) => ({ domain: d, host: '127.0.0.1', port: rpcPorts[d] }));
  for (const domain of domains) {
    shards[domain] = await startShard(
      shardConfig({
        port: 0,
        rpcPort: rpcPorts[domain],
        peers: peers.filter((p) => p.domain !== domain),
        rpcHost: '127.0.0.1',
        domain,
        namespaceDomains: parseNamespaceDomains(namespaceDomains),
        storeUrl: `sqlite:${path.join(dir, domain, 'lineage.db')}`,
        logLevel: 'error',
        auth: { ...AUTH_OFF, enabled: true, tokensFile, serviceToken, redactionKey, auditStoreUrl: `sqlite:${path.join(dir, domain, 'audit.db')}`, rateLimitPerMinute: 0, metricsPublic: false },
      }),
    );
  }
  const gateway = await startGateway(
    loadGatewayConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SHARDS: domains.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(','),
      NAMESPACE_DOMAINS: namespaceDomains,
      LOG_LEVEL: 'error',
      AUTH: 'on',
      AUTH_TOKENS_FILE: tokensFile,
      AUTH_SERVICE_TOKEN: serviceToken,
      REDACTION_KEY: redactionKey,
      AUDIT_STORE_URL: `sqlite:${path.join(dir, 'gateway-audit.db')}`,
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      ...gatewayEnv,
    }),
  );
  return {
    dir,
    shards,
    gateway,
    serviceToken,
    token(request) {
      const { secret, record } = mintToken({ name: `t-${randomBytes(3).toString('hex')}`, owner: 'test', ...request });
      tokens.add(record);
      // FileTokenStore persists on add; the apps re-read the file by mtime
      return secret;
    },
    async get(url, token) {
      const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const text = await res.text();
      let body: any = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      return { status: res.status, body, text };
    },
    async close() {
      await gateway.close();
      for (const shard of Object.values(shards)) await shard.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
