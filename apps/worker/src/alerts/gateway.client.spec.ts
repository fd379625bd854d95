import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayClient } from './gateway.client';

describe('GatewayClient lineage cache', () => {
  let server: Server;
  let url: string;
  const hits: string[] = [];
  let complete = true;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url!);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ nodes: [{ id: 'dataset:a:x', distance: 0 }, { id: 'dataset:a:up', distance: 1 }], complete, missingDomains: complete ? [] : ['gone'] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    hits.length = 0;
    complete = true;
  });

  it('reuses an upstream answer within the cache time, and reads anew when caching is off', async () => {
    const cached = new GatewayClient(url, 5000, null, 60_000);
    expect(await cached.upstream('dataset:a:x')).toEqual([{ id: 'dataset:a:up', distance: 1 }]);
    await cached.upstream('dataset:a:x');
    await cached.impact('dataset:a:x', 'downstream');
    expect(hits).toHaveLength(2);
    const uncached = new GatewayClient(url, 5000, null, 0);
    await uncached.upstream('dataset:a:x');
    await uncached.upstream('dataset:a:x');
    expect(hits).toHaveLength(4);
  });

  it('never keeps a partial answer (a shard did not answer)', async () => {
    complete = false;
    const client = new GatewayClient(url, 5000, null, 60_000);
    expect((await client.impact('dataset:a:x', 'upstream')).complete).toBe(false);
    await client.impact('dataset:a:x', 'upstream');
    expect(hits).toHaveLength(2);
  });

  it('sends the service credential when it has one', async () => {
    let auth: string | undefined;
    server.once('request', (req) => (auth = req.headers.authorization));
    await new GatewayClient(url, 5000, 'svc-token-0123456789abcdef0123456789ab').impact('dataset:a:y', 'upstream');
    expect(auth).toBe('Bearer svc-token-0123456789abcdef0123456789ab');
  });
});
