/**
 * A vendor that accepts the connection and never answers: the run fails with a named timeout (the worker's
 * VENDOR_REQUEST_TIMEOUT_MS) instead of looking alive for minutes, its coverage is incomplete, and the worker
 * is free for the next run. Real Redis, a raw TCP server on 127.0.0.1 that accepts and stays silent.
 */
import net from 'node:net';
import { CONNECTOR_FACTORIES } from '../../apps/worker/src/connector-registry';
import { fakeVendorConnectorFactory } from '../../apps/worker/src/testing/fake-vendor.connector';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';

jest.setTimeout(60_000);

describe('worker: a vendor connection that hangs', () => {
  const prefix = uniquePrefix('hang');
  const sockets = new Set<net.Socket>();
  let silent: net.Server;
  let accepted = 0;
  let worker: RunningWorker;

  beforeAll(async () => {
    silent = net.createServer((socket) => {
      accepted += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      // reads the request, answers nothing, never closes
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    worker = await startWorker(
      workerTestConfig({
        REDIS_PREFIX: prefix,
        // the shard is never reached: the pull fails before any batch
        SHARDS: 'ops=127.0.0.1:9',
        VENDOR_REQUEST_TIMEOUT_MS: '700',
        RUN_ATTEMPTS: '1',
      }),
      { factories: [...CONNECTOR_FACTORIES, fakeVendorConnectorFactory] },
    );
  });

  afterAll(async () => {
    await worker?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    await dropPrefix(prefix);
  });

  it('fails the run with a named timeout error, incomplete coverage, and no run left hanging', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'silent-vendor',
      kind: 'fake-vendor',
      domain: 'ops',
      schedule: { every: '1h' },
      rateLimit: { requestsPerSecond: 10 },
      enabled: false,
      settings: { baseUrl: `http://127.0.0.1:${port}`, account: 'silent' },
    });
    expect(created.status).toBe(201);
    const started = Date.now();
    const queued = await http('POST', `${worker.url}/api/v1/connectors/silent-vendor/runs`);
    expect(queued.status).toBe(202);
    const run = await waitFor(
      async () => {
        const { body } = await http('GET', `${worker.url}/api/v1/connectors/silent-vendor/runs`);
        const found = body.runs.find((r: any) => r.runId === queued.body.runId);
        return found && found.state === 'failed' ? found : undefined;
      },
      30_000,
      'the run against the silent vendor to fail',
    );
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(run.error).toMatchObject({ code: 'transient' });
    expect(run.error.message).toMatch(/^vendor request timed out: connector "silent-vendor" got no answer within 700 ms/);
    expect(run.error.message).toContain('VENDOR_REQUEST_TIMEOUT_MS');
    expect(run.coverage.complete).toBe(false);
    // well under the minutes a hung socket would otherwise hold the run (generous bound for a loaded machine)
    expect(Date.now() - started).toBeLessThan(25_000);
    const view = await http('GET', `${worker.url}/api/v1/connectors/silent-vendor`);
    expect(view.body.status.lastRun).toMatchObject({ runId: queued.body.runId, state: 'failed' });
  });
});
