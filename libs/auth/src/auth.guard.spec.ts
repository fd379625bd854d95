import { Controller, Get, Module, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DomainErrorFilter } from '@lineage-hub/common';
import { Access } from './access.decorator';
import { mintToken } from './api-token';
import { currentViewer } from './auth-context';
import { AUTH_OFF } from './auth.config';
import { AuthModule } from './auth.module';
import { createAuthRuntime, prepareHttpEdge, type AuthRuntime } from './auth-runtime';
import { MemoryTokenStore } from './token.store';

@Controller('t')
class ProbeController {
  @Get('health') @Access('public') health() {
    return { ok: true };
  }
  @Get('read') @Access('read') read() {
    return { viewer: currentViewer()?.id ?? null };
  }
  @Post('write') @Access('write') write() {
    return { ok: true };
  }
  @Get('admin') @Access('admin') admin() {
    return { ok: true };
  }
  @Get('boom') @Access('public') boom() {
    throw new Error('secret internals at /srv/app/file.ts:12');
  }
  @Get('forgotten') forgotten() {
    return { ok: true };
  }
}

const SERVICE = 's'.repeat(40);

async function start(runtime: AuthRuntime) {
  @Module({ imports: [AuthModule.forRoot(runtime)], controllers: [ProbeController], providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }] })
  class ProbeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  prepareHttpEdge(app, runtime);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('AuthGuard over HTTP', () => {
  const tokens = new MemoryTokenStore();
  const reader = mintToken({ name: 'r', owner: 'o', roles: ['reader'] });
  const writer = mintToken({ name: 'w', owner: 'o', roles: ['writer'], domains: ['a'] });
  const admin = mintToken({ name: 'a', owner: 'o', roles: ['admin'] });
  const expired = mintToken({ name: 'e', owner: 'o', roles: ['admin'], expiresAt: new Date(Date.now() + 50).toISOString() });
  const revoked = mintToken({ name: 'v', owner: 'o', roles: ['admin'] });
  for (const t of [reader, writer, admin, expired, revoked]) tokens.add(t.record);
  tokens.revoke(revoked.record.id);
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    const runtime = createAuthRuntime({ ...AUTH_OFF, enabled: true, serviceToken: SERVICE, rateLimitPerMinute: 600, metricsPublic: false, corsOrigins: ['https://ui.example.com'] }, { tokens });
    ({ app, url } = await start(runtime));
    await new Promise((r) => setTimeout(r, 60));
  });
  afterAll(() => app.close());

  const call = (path: string, secret?: string, method = 'GET') =>
    fetch(url + path, { method, headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });

  // credential -> [health, read, write, admin, forgotten]
  const TABLE: Array<[string, string | undefined, number[]]> = [
    ['none', undefined, [200, 401, 401, 401, 403]],
    ['reader', reader.secret, [200, 200, 403, 403, 403]],
    ['writer', writer.secret, [200, 200, 201, 403, 403]],
    ['admin', admin.secret, [200, 200, 201, 200, 403]],
    ['service', SERVICE, [200, 200, 201, 200, 403]],
    ['expired', expired.secret, [200, 401, 401, 401, 403]],
    ['revoked', revoked.secret, [200, 401, 401, 401, 403]],
    ['garbage', 'lh_nope', [200, 401, 401, 401, 403]],
  ];
  it.each(TABLE)('%s gets the exact statuses', async (_who, secret, expected) => {
    const statuses = [
      (await call('/t/health', secret)).status,
      (await call('/t/read', secret)).status,
      (await call('/t/write', secret, 'POST')).status,
      (await call('/t/admin', secret)).status,
      (await call('/t/forgotten', secret)).status,
    ];
    expect(statuses).toEqual(expected);
  });

  it('names the missing rule, and puts the viewer in the request context', async () => {
    expect(((await (await call('/t/forgotten', admin.secret)).json()) as { message: string }).message).toMatch(/GET \/t\/forgotten declares no access rule/);
    expect(await (await call('/t/read', reader.secret)).json()).toEqual({ viewer: `token:${reader.record.id}` });
  });

  it('hardens every answer: no X-Powered-By, security headers, generic 500 without internals', async () => {
    const res = await call('/t/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const text = await res.text();
    expect(text).not.toMatch(/secret internals|\/srv\/app|\.ts:/);
  });

  it('refuses a cross-site text/plain or form POST with 415 naming Content-Type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await fetch(url + '/t/write', { method: 'POST', headers: { authorization: `Bearer ${admin.secret}`, 'content-type': type }, body: '{"a":1}' });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { field: string }).field).toBe('Content-Type');
    }
  });

  it('answers CORS only for allowlisted origins', async () => {
    const allowed = await fetch(url + '/t/health', { headers: { origin: 'https://ui.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ui.example.com');
    const other = await fetch(url + '/t/health', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('AuthGuard rate limit and auth off', () => {
  it('answers 429 with Retry-After once a credential exceeds its rate', async () => {
    const tokens = new MemoryTokenStore();
    const reader = mintToken({ name: 'r', owner: 'o', roles: ['reader'] });
    tokens.add(reader.record);
    const { app, url } = await start(createAuthRuntime({ ...AUTH_OFF, enabled: true, rateLimitPerMinute: 3 }, { tokens }));
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 4; i++) {
        const res = await fetch(url + '/t/read', { headers: { authorization: `Bearer ${reader.secret}` } });
        statuses.push(res.status);
        retryAfter ??= res.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }
  });

  it('with authentication off opens annotated routes (no viewer) and still denies unannotated ones', async () => {
    const { app, url } = await start(createAuthRuntime(AUTH_OFF));
    try {
      expect(await (await fetch(url + '/t/read')).json()).toEqual({ viewer: null });
      expect((await fetch(url + '/t/admin')).status).toBe(200);
      expect((await fetch(url + '/t/forgotten')).status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
