/**
 * Every HTTP route of every app declares who may call it (`@Access`), and the rule is the intended one. The
 * global guard denies a route without a rule; this spec fails first, naming it, when a route is added
 * without one (or with a different rule than this table says).
 */
import { applicationRoutes, type RouteRule } from '@lineage-hub/auth';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { ShardModule } from '../../apps/shard/src/shard.module';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker.config';

const APPS: Record<string, () => unknown> = {
  shard: () => ShardModule.forRoot(shardConfig({ storeUrl: 'sqlite::memory:' })),
  gateway: () => GatewayModule.forConfig(loadGatewayConfig({})),
  worker: () => WorkerModule.forRoot(loadWorkerConfig({})),
};

/** The intended rule of every route; a route missing here, or here and gone, fails too. */
const EXPECTED: Record<string, Record<string, string>> = {
  shard: {
    'POST /api/v1/lineage': 'write',
    'POST /api/v1/lineage/batch': 'write',
    'POST /api/v1/observed-writes': 'service',
    'GET /api/v1/observed-writes': 'read',
    'GET /health': 'public',
    'GET /metrics': 'metrics',
    'GET /api/v1/audit': 'admin',
    'POST /api/v1/audit/verify': 'admin',
    'POST /api/v1/audit/verify-derived': 'admin',
    'POST /api/v1/findings/evaluate': 'steward',
    'PUT /api/v1/freshness-policies': 'steward',
    'POST /api/v1/coverage': 'service',
  },
  gateway: {
    'GET /api/v1/impact': 'read',
    'PUT /api/v1/freshness-policies': 'steward',
    'POST /api/v1/lineage': 'write',
    'POST /api/v1/lineage/batch': 'write',
    'ALL /api/v1/connectors': 'admin',
    'ALL /api/v1/connectors/*path': 'admin',
    // how a browser signs in (the OIDC issuer and the UI's public client id): asked before there is a credential
    'GET /api/v1/auth/sign-in': 'public',
    'GET /health': 'public',
    'GET /metrics': 'metrics',
    // The worker's alerting API, forwarded: reads for readers, changes for stewards, routing for admins.
    ...Object.fromEntries(
      ['/api/v1/alerts', '/api/v1/alerts/*path', '/api/v1/silences', '/api/v1/silences/*path'].flatMap((path) => [
        [`GET ${path}`, 'read'],
        [`POST ${path}`, 'steward'],
        [`PUT ${path}`, 'steward'],
        [`PATCH ${path}`, 'steward'],
        [`DELETE ${path}`, 'steward'],
      ]),
    ),
    'ALL /api/v1/alert-routes': 'admin',
    'ALL /api/v1/receivers/*path': 'admin',
    'ALL /api/v1/alert-dead-letters': 'admin',
    'POST /api/v1/tokens': 'admin',
    'GET /api/v1/tokens': 'admin',
    'DELETE /api/v1/tokens/:id': 'admin',
    'GET /api/v1/audit': 'admin',
    'POST /api/v1/audit/verify': 'admin',
  },
  worker: {
    'GET /api/v1/connectors': 'admin',
    'POST /api/v1/connectors': 'admin',
    'GET /api/v1/connectors/:id': 'admin',
    'PUT /api/v1/connectors/:id': 'admin',
    'DELETE /api/v1/connectors/:id': 'admin',
    'POST /api/v1/connectors/:id/runs': 'admin',
    'GET /api/v1/connectors/:id/runs': 'admin',
    'GET /api/v1/connectors/:id/cursor': 'admin',
    'PUT /api/v1/connectors/:id/cursor': 'admin',
    'POST /api/v1/alerts/evaluate': 'steward',
    'POST /api/v1/alerts/:id/ack': 'steward',
    'POST /api/v1/silences': 'steward',
    'DELETE /api/v1/silences/:id': 'steward',
    'GET /api/v1/alert-routes': 'admin',
    'PUT /api/v1/alert-routes': 'admin',
    'POST /api/v1/receivers/:name/test': 'admin',
    'GET /api/v1/alert-dead-letters': 'admin',
    'GET /health': 'public',
    'GET /metrics': 'metrics',
  },
};

/** Marquez-compatible reads: every GET under /api/v1 not listed above is a read. */
const isMarquezRead = (r: RouteRule) => r.method === 'GET' && (r.path.startsWith('/api/v1/') || r.path.startsWith('/api/v2beta/search/')) && !r.path.startsWith('/api/v1/audit') && !r.path.startsWith('/api/v1/tokens') && !r.path.startsWith('/api/v1/connectors');

describe.each(Object.keys(APPS))('%s routes', (app) => {
  const routes = applicationRoutes(APPS[app]() as never);

  it('every route declares an access rule', () => {
    expect(routes.filter((r) => !r.rule).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual([]);
  });

  it('every route has the intended rule', () => {
    const actual = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.rule]));
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const expected = EXPECTED[app][key] ?? (isMarquezRead(r) ? 'read' : 'UNLISTED');
      expect(`${key} ${actual[key]}`).toBe(`${key} ${expected}`);
    }
    for (const key of Object.keys(EXPECTED[app])) expect(actual).toHaveProperty([key]);
  });

  it('opens nothing but /health (and /metrics when configured; the gateway: how to sign in) without a credential', () => {
    const open = app === 'gateway' ? ['/api/v1/auth/sign-in', '/health'] : ['/health'];
    expect(routes.filter((r) => r.rule === 'public').map((r) => r.path).sort()).toEqual(open);
  });
});
