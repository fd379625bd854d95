/**
 * The connector admin API and the YAML file: a config that fails validation is refused with the field
 * named (400, or a startup error naming file, entry and field), before anything is scheduled. Real Redis.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, TEST_REDIS_URL, uniquePrefix, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';
import { QUEUES, schedulerId } from '../../apps/worker/src/queue-names';

jest.setTimeout(60_000);

const redshift = (overrides: Record<string, unknown> = {}) => ({
  id: 'rs-main',
  kind: 'redshift',
  domain: 'finance',
  schedule: { every: '15m' },
  rateLimit: { requestsPerSecond: 5 },
  settings: {
    host: 'analytics.abc123.eu-west-1.redshift.amazonaws.com',
    database: 'dev',
    user: 'lineage_reader',
    password: { env: 'LH_ADMIN_TEST_PASSWORD' },
    clusterIdentifier: 'analytics',
    region: 'eu-west-1',
  },
  ...overrides,
});

describe('connector admin API', () => {
  const prefix = uniquePrefix('admin');
  let worker: RunningWorker;
  let queue: Queue;

  beforeAll(async () => {
    // finance has a shard (never contacted here: nothing runs against a vendor); no other domain does
    worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix, LH_ADMIN_TEST_PASSWORD: 's3cret', SHARDS: 'finance=127.0.0.1:9' }));
    queue = new Queue(QUEUES.connectorRuns, { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${prefix}-bull` });
  });

  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await dropPrefix(prefix);
  });

  it.each([
    ['a missing domain', { domain: undefined }, 'domain'],
    ['a bad id', { id: 'Has Spaces' }, 'id'],
    ['an unknown kind', { kind: 'oracle' }, 'kind'],
    ['a schedule that is neither every nor cron', { schedule: { at: 'noon' } }, 'schedule'],
    ['a too-short interval', { schedule: { every: '10ms' } }, 'schedule.every'],
    ['a non-positive rate limit', { rateLimit: { requestsPerSecond: 0 } }, 'rateLimit.requestsPerSecond'],
    ['an unknown top-level field', { colour: 'blue' }, ''],
    ['a vendor setting of the wrong type', { settings: { ...redshift().settings, port: 'fifty' } }, 'settings.port'],
    ['a bad region', { settings: { ...redshift().settings, region: 'mars' } }, 'settings.region'],
    ['a missing vendor setting', { settings: { ...redshift().settings, database: undefined } }, 'settings.database'],
    ['a secret whose variable is not set', { settings: { ...redshift().settings, password: { env: 'LH_NOT_SET_ANYWHERE' } } }, 'settings.password'],
    // Exfiltration: a reference to any worker variable off the allow-list (PATH, REDIS_URL) is never read.
    ['a secret naming a variable off the allow-list', { settings: { ...redshift().settings, password: { env: 'PATH' } } }, 'settings.password'],
    ['a secret naming the worker REDIS_URL', { settings: { ...redshift().settings, user: { env: 'REDIS_URL' } } }, 'settings.user'],
  ])('refuses %s with the field named, and schedules nothing', async (_what, overrides, field) => {
    const body = JSON.parse(JSON.stringify(redshift(overrides)));
    const res = await http('POST', `${worker.url}/api/v1/connectors`, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid-argument');
    if (field) expect(res.body.field).toBe(field);
    expect(res.body.message).toEqual(expect.any(String));
    expect((await http('GET', `${worker.url}/api/v1/connectors`)).body.connectors).toEqual([]);
    expect(await queue.getJobSchedulers()).toEqual([]);
  });

  it('refuses a connector for a domain that has no shard, naming the domain, and stores nothing', async () => {
    const res = await http('POST', `${worker.url}/api/v1/connectors`, redshift({ domain: 'nowhere' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid-argument', field: 'domain' });
    expect(res.body.message).toContain('"nowhere"');
    expect(res.body.message).toContain('hub.config.yaml');
    expect((await http('GET', `${worker.url}/api/v1/connectors`)).body.connectors).toEqual([]);
    expect(await queue.getJobSchedulers()).toEqual([]);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${worker.url}/api/v1/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
  });

  it('creates, reads, replaces and deletes an instance, keeping its scheduler in step', async () => {
    const created = await http('POST', `${worker.url}/api/v1/connectors`, redshift());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'rs-main', kind: 'redshift', enabled: true, status: { scheduled: true, watermark: null, lastRun: null } });
    // Secrets are stored as references, never values.
    expect(JSON.stringify(created.body)).not.toContain('s3cret');
    const scheduler = await queue.getJobScheduler(schedulerId('rs-main'));
    expect(scheduler?.every).toBe(15 * 60_000);

    expect((await http('POST', `${worker.url}/api/v1/connectors`, redshift())).status).toBe(409);

    const replaced = await http('PUT', `${worker.url}/api/v1/connectors/rs-main`, { ...redshift(), id: undefined, schedule: { cron: '0 * * * *' } });
    expect(replaced.status).toBe(200);
    expect((await queue.getJobScheduler(schedulerId('rs-main')))?.pattern).toBe('0 * * * *');

    const mismatched = await http('PUT', `${worker.url}/api/v1/connectors/rs-main`, redshift({ id: 'other' }));
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.field).toBe('id');

    const badCron = await http('PUT', `${worker.url}/api/v1/connectors/rs-main`, redshift({ schedule: { cron: '99 99 * * *' } }));
    expect(badCron.status).toBe(400);
    expect(badCron.body.field).toBe('schedule');
    // The previous, valid schedule is kept.
    expect((await queue.getJobScheduler(schedulerId('rs-main')))?.pattern).toBe('0 * * * *');

    const disabled = await http('PUT', `${worker.url}/api/v1/connectors/rs-main`, redshift({ enabled: false }));
    expect(disabled.body.status.scheduled).toBe(false);
    expect(await queue.getJobScheduler(schedulerId('rs-main'))).toBeUndefined();

    const list = await http('GET', `${worker.url}/api/v1/connectors`);
    expect(list.body.connectors.map((c: any) => c.id)).toEqual(['rs-main']);

    expect((await http('DELETE', `${worker.url}/api/v1/connectors/rs-main`)).status).toBe(204);
    expect((await http('GET', `${worker.url}/api/v1/connectors/rs-main`)).status).toBe(404);
    expect((await http('DELETE', `${worker.url}/api/v1/connectors/rs-main`)).status).toBe(404);
  });

  it('queues a run now with a deterministic id and lists it in the history', async () => {
    await http('POST', `${worker.url}/api/v1/connectors`, redshift({ id: 'rs-now', enabled: false }));
    const first = await http('POST', `${worker.url}/api/v1/connectors/rs-now/runs`);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ connectorId: 'rs-now', trigger: 'manual', state: 'queued' });
    expect(first.body.runId).toMatch(/^manual__rs-now__\d+$/);
    // Asked again while it is still queued: the same run, not a second one.
    const again = await http('POST', `${worker.url}/api/v1/connectors/rs-now/runs`);
    // (the run id is per second: asked in the next second, it is a second run, listed first as the newer)
    const sameSecond = again.body.runId === first.body.runId;
    if (Math.floor(Date.now() / 1000) === Number(first.body.runId.split('__')[2])) expect(sameSecond).toBe(true);
    const history = await http('GET', `${worker.url}/api/v1/connectors/rs-now/runs?limit=5`);
    expect(history.body.runs.map((r: { runId: string }) => r.runId)).toEqual(sameSecond ? [first.body.runId] : [again.body.runId, first.body.runId]);
    expect((await http('GET', `${worker.url}/api/v1/connectors/rs-now/runs?limit=0`)).body.field).toBe('limit');
    expect((await http('POST', `${worker.url}/api/v1/connectors/nope/runs`)).status).toBe(404);
    expect((await http('GET', `${worker.url}/api/v1/connectors/nope/runs`)).status).toBe(404);
  });
});

describe('connector file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-connectors-'));

  it('seeds instances from YAML and schedules the enabled ones', async () => {
    const prefix = uniquePrefix('file');
    const file = path.join(dir, 'good.yaml');
    writeFileSync(
      file,
      `connectors:\n  - id: rs-file\n    kind: redshift\n    domain: finance\n    schedule: { every: 1h }\n    rateLimit: { requestsPerSecond: 2 }\n    settings:\n      host: 127.0.0.1\n      database: dev\n      user: reader\n      password: { env: LH_FILE_TEST_PASSWORD }\n      clusterIdentifier: analytics\n      region: us-east-1\n`,
    );
    const worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix, CONNECTORS_FILE: file, LH_FILE_TEST_PASSWORD: 'x' }));
    const queue = new Queue(QUEUES.connectorRuns, { connection: { host: '127.0.0.1', port: 6379 }, prefix: `${prefix}-bull` });
    try {
      const list = await http('GET', `${worker.url}/api/v1/connectors`);
      expect(list.body.connectors.map((c: any) => c.id)).toEqual(['rs-file']);
      expect((await queue.getJobScheduler(schedulerId('rs-file')))?.every).toBe(3_600_000);
    } finally {
      await queue.close();
      await worker.close();
      await dropPrefix(prefix);
    }
  });

  it('refuses to start on a bad entry, naming the file, the entry and the field', async () => {
    const prefix = uniquePrefix('badfile');
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `connectors:\n  - id: rs-ok\n    kind: redshift\n    domain: finance\n    schedule: { every: 1h }\n    rateLimit: { requestsPerSecond: 2 }\n    enabled: false\n    settings: { host: h, database: dev, user: u, password: { env: LH_UNSET_BUT_DISABLED }, clusterIdentifier: a, region: us-east-1 }\n  - id: rs-bad\n    kind: redshift\n    domain: finance\n    schedule: { every: 1h }\n    rateLimit: { requestsPerSecond: 2 }\n    settings: { host: h, database: dev, user: u, clusterIdentifier: a, region: us-east-1, port: 99999 }\n`,
    );
    await expect(startWorker(workerTestConfig({ REDIS_PREFIX: prefix, CONNECTORS_FILE: file }))).rejects.toThrow(
      `${file}: connectors[1].settings.port:`,
    );
    await dropPrefix(prefix);
  });

  it('refuses a duplicate id in the file', async () => {
    const prefix = uniquePrefix('dupfile');
    const file = path.join(dir, 'dup.yaml');
    const entry = `  - id: same\n    kind: redshift\n    domain: d\n    schedule: { every: 1h }\n    rateLimit: { requestsPerSecond: 1 }\n    settings: { host: h, database: dev, user: u, clusterIdentifier: a, region: us-east-1 }\n`;
    writeFileSync(file, `connectors:\n${entry}${entry}`);
    await expect(startWorker(workerTestConfig({ REDIS_PREFIX: prefix, CONNECTORS_FILE: file }))).rejects.toThrow(/connectors\[1\]\.id: "same" appears twice/);
    await dropPrefix(prefix);
  });
});

describe('worker without Redis', () => {
  it('still starts, says plainly what to install, and answers the admin API with 503', async () => {
    const worker = await startWorker(workerTestConfig({ REDIS_URL: undefined }));
    try {
      const health = await http('GET', `${worker.url}/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', connectors: 'disabled' });
      expect(health.body.reason).toMatch(/REDIS_URL is not set.*redis-server/);
      const list = await http('GET', `${worker.url}/api/v1/connectors`);
      expect(list.status).toBe(503);
      expect(list.body.message).toMatch(/REDIS_URL/);
      expect((await http('GET', `${worker.url}/metrics`)).status).toBe(200);
    } finally {
      await worker.close();
    }
  });
});

it('a duplicate connector kind fails startup', async () => {
  const { ConnectorRegistry, CONNECTOR_FACTORIES } = await import('../../apps/worker/src/connector-registry');
  expect(() => new ConnectorRegistry([...CONNECTOR_FACTORIES, CONNECTOR_FACTORIES[0]])).toThrow(/registered twice/);
  void TEST_REDIS_URL;
});
