import { Controller, Get, Module, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Access } from '@lineage-hub/auth';
import { MetricsModule } from './metrics.module';
import { MetricsService } from './metrics.service';

@Controller('probe')
class ProbeController {
  @Get(':id')
  @Access('public')
  get(@Param('id') id: string) {
    if (id === 'boom') throw new Error('boom');
    return { id };
  }
}

@Module({ imports: [MetricsModule], controllers: [ProbeController] })
class ProbeModule {}

describe('HttpMetricsMiddleware (MetricsModule)', () => {
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(() => app.close());

  const counts = async () => {
    const metric = await app.get(MetricsService).registry.getSingleMetric('http_request_duration_seconds')!.get();
    return metric.values.filter((v) => (v as { metricName?: string }).metricName === 'http_request_duration_seconds_count').map((v) => ({ ...v.labels, count: v.value }));
  };

  it('observes each answer once with its method, matched route pattern and status', async () => {
    expect((await fetch(`${url}/probe/a`)).status).toBe(200);
    expect((await fetch(`${url}/probe/b`)).status).toBe(200);
    expect((await fetch(`${url}/probe/boom`)).status).toBe(500);
    expect(await counts()).toEqual(
      expect.arrayContaining([
        { method: 'GET', route: '/probe/:id', status: '200', count: 2 },
        { method: 'GET', route: '/probe/:id', status: '500', count: 1 },
      ]),
    );
  });

  it('observes a request no route matched as unmatched', async () => {
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    expect(await counts()).toEqual(expect.arrayContaining([{ method: 'GET', route: 'unmatched', status: '404', count: 1 }]));
  });
});
