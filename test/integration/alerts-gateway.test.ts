/**
 * The gateway forwards the alerting API to the worker (WORKER_URL): reads, routes (with the worker's
 * validation errors naming the field), silences and receiver tests answer through the gateway as the worker
 * answered them; a worker that is down is a 503 saying how to start it. Real Redis, real worker.
 */
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DomainErrorFilter } from '@lineage-hub/common';
import { AlertsForwardModule } from '../../apps/gateway/src/alerts/alerts-forward.module';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(60_000);

const gatewayWith = async (workerUrl: string): Promise<{ app: INestApplication; url: string }> => {
  process.env.WORKER_URL = workerUrl;
  const moduleRef = await Test.createTestingModule({ imports: [AlertsForwardModule], providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }] }).compile();
  const app = moduleRef.createNestApplication();
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${app.getHttpServer().address().port}` };
};

describe('gateway alerting API', () => {
  const prefix = uniquePrefix('gwalerts');
  let worker: RunningWorker;

  beforeAll(async () => {
    worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix }));
  });
  afterAll(async () => {
    await worker?.close();
    await dropPrefix(prefix);
    delete process.env.WORKER_URL;
  });

  it('forwards alerts, routes, silences and receiver tests', async () => {
    const gateway = await gatewayWith(worker.url);
    try {
      expect(await http('GET', `${gateway.url}/api/v1/alerts?status=firing`)).toEqual({ status: 200, body: { alerts: [] } });
      const bad = await http('GET', `${gateway.url}/api/v1/alerts?severity=urgent`);
      expect(bad).toMatchObject({ status: 400, body: { field: 'severity' } });
      const badRoutes = await http('PUT', `${gateway.url}/api/v1/alert-routes`, { defaultReceiver: 'ghost' });
      expect(badRoutes).toMatchObject({ status: 400, body: { field: 'defaultReceiver' } });
      const routes = { receivers: [{ name: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook' }], defaultReceiver: 'hook' };
      expect((await http('PUT', `${gateway.url}/api/v1/alert-routes`, routes)).status).toBe(200);
      expect((await http('GET', `${gateway.url}/api/v1/alert-routes`)).body).toMatchObject(routes);
      const silence = await http('POST', `${gateway.url}/api/v1/silences`, { matchers: [{ name: 'domain', value: 'sales' }], endsAt: '2099-01-01T00:00:00Z', createdBy: 'ana', comment: 'test' });
      expect(silence.status).toBe(201);
      expect((await http('GET', `${gateway.url}/api/v1/silences?state=active`)).body.silences.map((s: any) => s.id)).toEqual([silence.body.id]);
      expect((await http('DELETE', `${gateway.url}/api/v1/silences/${silence.body.id}`)).status).toBe(204);
      // Port 9 (discard) refuses: the receiver test answers that it could not reach it, as a retryable outcome.
      expect(await http('POST', `${gateway.url}/api/v1/receivers/hook/test`)).toMatchObject({ status: 200, body: { outcome: 'retry', status: null } });
      expect((await http('GET', `${gateway.url}/api/v1/alert-dead-letters`)).body).toEqual({ deliveries: [] });
    } finally {
      await gateway.app.close();
    }
  });

  it('is a 503 naming the worker when it is down', async () => {
    const gateway = await gatewayWith('http://127.0.0.1:9');
    try {
      const res = await http('GET', `${gateway.url}/api/v1/alerts`);
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/npm run start:worker|WORKER_URL/);
    } finally {
      await gateway.app.close();
    }
  });
});
