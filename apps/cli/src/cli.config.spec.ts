import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { runCli } from './cli';
import { loadCliConfig } from './cli.config';

describe('the CLI configuration', () => {
  it('reads LINEAGE_GATEWAY, LINEAGE_TOKEN, LINEAGE_USER and USER once, as they are', () => {
    expect(loadCliConfig({ LINEAGE_GATEWAY: 'http://g:3000', LINEAGE_TOKEN: 't', LINEAGE_USER: 'ana', USER: 'root', OTHER: 'x' })).toEqual({
      gateway: 'http://g:3000',
      token: 't',
      lineageUser: 'ana',
      osUser: 'root',
    });
    expect(loadCliConfig({})).toEqual({ gateway: undefined, token: undefined, lineageUser: undefined, osUser: undefined });
  });

  it('gives a gateway command its gateway and token from the configuration when no flag names them', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal","message":"x"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await runCli(['findings'], { stdin: new PassThrough(), stdout, stderr, config: { gateway: url, token: 'from-config' } });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[0].authorization).toBe('Bearer from-config');
    } finally {
      server.close();
    }
  });
});
