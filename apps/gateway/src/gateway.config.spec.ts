import { ConfigError } from '@lineage-hub/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadGatewayConfig } from './gateway.config';

describe('gateway config', () => {
  it('has defaults and reads SHARDS, NAMESPACE_DOMAINS and the timeouts', () => {
    const config = loadGatewayConfig({
      SHARDS: 'sales=127.0.0.1:5101',
      NAMESPACE_DOMAINS: 'dbt-sales=sales',
      SHARD_TIMEOUT_MS: '250',
      QUERY_BUDGET_MS: '1000',
      REDIS_URL: '',
    });
    expect(config.port).toBe(4000);
    expect(config.shards).toEqual([{ domain: 'sales', host: '127.0.0.1', port: 5101 }]);
    expect(config.namespaceDomains).toEqual([{ pattern: 'dbt-sales', domain: 'sales' }]);
    expect(config.shardTimeoutMs).toBe(250);
    expect(config.queryBudgetMs).toBe(1000);
    expect(config.redisUrl).toBeUndefined();
  });

  it('reads NAMESPACE_DOMAINS from a file, one rule a line', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-config-')), 'domains.txt');
    writeFileSync(file, '# owners\nsnowflake://acme-sales=sales\nbigquery=marketing\n');
    expect(loadGatewayConfig({ NAMESPACE_DOMAINS: file }).namespaceDomains.map((r) => r.domain)).toEqual(['sales', 'marketing']);
  });

  it('names every bad variable at once', () => {
    try {
      loadGatewayConfig({ PORT: 'x', SHARDS: 'sales', SHARD_TIMEOUT_MS: '0', REDIS_URL: 'localhost:6379', NAMESPACE_DOMAINS: '/no/such/file' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['NAMESPACE_DOMAINS', 'PORT', 'REDIS_URL', 'SHARDS', 'SHARD_TIMEOUT_MS']);
    }
  });
});
