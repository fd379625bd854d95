import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@lineage-hub/common';
import { loadWorkerConfig, SecretNotAllowedError, workerChildEnv } from './worker.config';

describe('worker secret references', () => {
  const env = { LINEAGE_SECRET_PW: 'pw', OTHER_PW: 'other', REDIS_URL: 'redis://user:hunter2@127.0.0.1:6379' };

  it('resolves only names on the default allow-list (LINEAGE_SECRET_*)', () => {
    const config = loadWorkerConfig(env);
    expect(config.secret('LINEAGE_SECRET_PW')).toBe('pw');
    expect(config.secret('LINEAGE_SECRET_UNSET')).toBeUndefined();
    expect(() => config.secret('OTHER_PW')).toThrow(SecretNotAllowedError);
    expect(() => config.secret('REDIS_URL')).toThrow(/REDIS_URL is not an allowed secret/);
  });

  it('takes exact names and prefixes from WORKER_SECRET_ENV_ALLOWLIST', () => {
    const config = loadWorkerConfig({ ...env, WORKER_SECRET_ENV_ALLOWLIST: 'OTHER_PW, VENDOR_*' });
    expect(config.secret('OTHER_PW')).toBe('other');
    expect(config.secret('VENDOR_TOKEN')).toBeUndefined();
    expect(() => config.secret('LINEAGE_SECRET_PW')).toThrow(SecretNotAllowedError);
    expect(() => loadWorkerConfig({ WORKER_SECRET_ENV_ALLOWLIST: 'lower,*' })).toThrow(ConfigError);
  });

  it('resolves names from WORKER_SECRETS_FILE whatever the allow-list says', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lh-secrets-')), 'secrets.yaml');
    writeFileSync(file, 'SNOWFLAKE_PASSWORD: from-file\n');
    const config = loadWorkerConfig({ ...env, WORKER_SECRETS_FILE: file });
    expect(config.secret('SNOWFLAKE_PASSWORD')).toBe('from-file');
    expect(() => config.secret('OTHER_PW')).toThrow(SecretNotAllowedError);
    writeFileSync(file, 'SNOWFLAKE_PASSWORD: [1, 2]\n');
    expect(() => loadWorkerConfig({ WORKER_SECRETS_FILE: file })).toThrow(/WORKER_SECRETS_FILE/);
    expect(() => loadWorkerConfig({ WORKER_SECRETS_FILE: `${file}.missing` })).toThrow(/WORKER_SECRETS_FILE/);
  });
});

describe('worker shard addresses', () => {
  it('reads SHARDS as the gateway does (domain=host:rpcPort), naming a bad entry', () => {
    expect(loadWorkerConfig({ SHARDS: 'sales=127.0.0.1:7101, finance=shard-f:7102' }).shards).toEqual([
      { domain: 'sales', host: '127.0.0.1', port: 7101 },
      { domain: 'finance', host: 'shard-f', port: 7102 },
    ]);
    expect(() => loadWorkerConfig({ SHARDS: 'sales=127.0.0.1' })).toThrow(/SHARDS/);
  });

  it('refuses the old SHARD_URLS with what to set instead (the worker no longer delivers over HTTP)', () => {
    expect(() => loadWorkerConfig({ SHARD_URLS: 'sales=http://127.0.0.1:4000' })).toThrow(/SHARD_URLS[\s\S]*SHARDS=domain=host:rpcPort/);
  });
});

describe('workerChildEnv', () => {
  it("passes a worker child only this process's PATH, then its own variables", () => {
    expect(workerChildEnv({ TZ: 'UTC', PATH: '/own' }, { PATH: '/usr/bin', SECRET: 's' })).toEqual({ PATH: '/own', TZ: 'UTC' });
    expect(workerChildEnv({ TZ: 'UTC' }, { PATH: '/usr/bin', SECRET: 's' })).toEqual({ PATH: '/usr/bin', TZ: 'UTC' });
    expect(workerChildEnv({}, {})).toEqual({ PATH: '' });
  });
});
