/**
 * The gateway's /api/v1/connectors answers with the worker's admin API (status and body as they are), and
 * says plainly when the worker is not running. Real worker, real Redis.
 */
import { Test } from '@nestjs/testing';
import { APP_FILTER } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { DomainErrorFilter } from '@lineage-hub/common';
import { ConnectorAdminModule } from '../../apps/gateway/src/connector-admin/connector-admin.module';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(60_000);

const gatewayWith = async (workerUrl: string): Promise<{ app: INestApplication; url: string }> => {
  process.env.WORKER_URL = workerUrl;
  const moduleRef = await Test.createTestingModule({ imports: [ConnectorAdminModule], providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }] }).compile();
  const app = moduleRef.createNestApplication();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  return { app, url: `http://127.0.0.1:${address.port}` };
};

describe('gateway connector admin', () => {
  const prefix = uniquePrefix('gwadmin');
  let worker: RunningWorker;

  beforeAll(async () => {
    worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix, SHARDS: 'finance=127.0.0.1:9' }));
  });
  afterAll(async () => {
    await worker?.close();
    await dropPrefix(prefix);
    delete process.env.WORKER_URL;
  });

  it('forwards create, validation errors, run-now and history to the worker', async () => {
    const gateway = await gatewayWith(worker.url);
    try {
      const body = {
        id: 'via-gateway',
        kind: 'redshift',
        domain: 'finance',
        schedule: { every: '1h' },
        rateLimit: { requestsPerSecond: 1 },
        enabled: false,
        settings: { host: 'h', database: 'dev', user: 'u', clusterIdentifier: 'a', region: 'us-east-1' },
      };
      const bad = await http('POST', `${gateway.url}/api/v1/connectors`, { ...body, settings: { ...body.settings, region: 'nowhere' } });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('settings.region');
      const noShard = await http('POST', `${gateway.url}/api/v1/connectors`, { ...body, domain: 'nowhere' });
      expect(noShard.status).toBe(400);
      expect(noShard.body).toMatchObject({ error: 'invalid-argument', field: 'domain' });
      expect(noShard.body.message).toContain('"nowhere"');
      expect((await http('POST', `${gateway.url}/api/v1/connectors`, body)).status).toBe(201);
      const list = await http('GET', `${gateway.url}/api/v1/connectors`);
      expect(list.body.connectors.map((c: any) => c.id)).toEqual(['via-gateway']);
      const queued = await http('POST', `${gateway.url}/api/v1/connectors/via-gateway/runs`);
      expect(queued.status).toBe(202);
      const runs = await http('GET', `${gateway.url}/api/v1/connectors/via-gateway/runs?limit=1`);
      expect(runs.body.runs[0].runId).toBe(queued.body.runId);
      expect((await http('DELETE', `${gateway.url}/api/v1/connectors/via-gateway`)).status).toBe(204);
      expect((await http('GET', `${gateway.url}/api/v1/connectors/via-gateway`)).status).toBe(404);
    } finally {
      await gateway.app.close();
    }
  });

  it('answers 503 naming the worker when it is not running', async () => {
    const gateway = await gatewayWith('http://127.0.0.1:1');
    try {
      const res = await http('GET', `${gateway.url}/api/v1/connectors`);
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/npm run start:worker/);
    } finally {
      await gateway.app.close();
    }
  });
});
