/**
 * `npm start`: the whole hub in one command. Starts one shard process per domain in the hub config, the
 * gateway, and the connector worker when Redis is available (REDIS_URL, or a private redis-server started
 * here when one is installed), waits until each answers /health, and prints the URLs. `--demo` then loads
 * a multi-domain data mesh through the gateway and shows a cross-domain impact answer; a first start (empty
 * stores) loads it too, unless `--empty`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { childEnv, findRedisServer, HubConfigError, loadHubConfig, type HubConfig } from './hub.config';
import { DEMO_QUERIES, demoEvents } from './demo/demo-mesh';

interface ProcessSpec {
  name: string;
  /** Script under the repo root, run with this node binary... */
  entry?: string;
  /** ...or a program of its own (redis-server). */
  command?: string;
  args?: string[];
  env: Record<string, string>;
  /** Polled until it answers 200; without one the process only has to stay up for a moment. */
  healthUrl?: string;
  /** printed in the summary */
  url?: string;
  note?: string;
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  tail: string[];
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const shardProcesses = (config: HubConfig, redisUrl?: string): ProcessSpec[] =>
  config.shards.map((shard) => ({
    name: `shard:${shard.domain}`,
    entry: 'dist/apps/shard/src/main.js',
    env: {
      PORT: String(shard.port),
      RPC_PORT: String(shard.rpcPort),
      RPC_HOST: '127.0.0.1',
      SHARD_DOMAIN: shard.domain,
      STORE_URL: `sqlite:${path.join(config.dataDir, shard.domain, 'lineage.db')}`,
      SHARD_ADVERTISE: `127.0.0.1:${shard.rpcPort}`,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    healthUrl: `http://127.0.0.1:${shard.port}/health`,
    url: `http://127.0.0.1:${shard.port}`,
    note: `rpc 127.0.0.1:${shard.rpcPort}`,
  }));

const gatewayProcess = (config: HubConfig, redisUrl?: string): ProcessSpec => ({
  name: 'gateway',
  entry: 'dist/apps/gateway/src/main.js',
  env: {
    PORT: String(config.gateway.port),
    SHARDS: config.shards.map((s) => `${s.domain}=127.0.0.1:${s.rpcPort}`).join(','),
    NAMESPACE_DOMAINS: config.shards.flatMap((s) => s.namespaces.map((ns) => `${ns}=${s.domain}`)).join(','),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    WORKER_URL: `http://127.0.0.1:${config.worker.port}`,
  },
  healthUrl: `http://127.0.0.1:${config.gateway.port}/health`,
  url: `http://127.0.0.1:${config.gateway.port}`,
});

/** The connector worker (apps/worker): one entry, started only when Redis is there. */
const workerProcess = (config: HubConfig, redisUrl: string): ProcessSpec => ({
  name: 'worker',
  entry: 'dist/apps/worker/src/main.js',
  env: {
    REDIS_URL: redisUrl,
    PORT: String(config.worker.port),
    GATEWAY_URL: `http://127.0.0.1:${config.gateway.port}`,
    SHARDS: config.shards.map((s) => `${s.domain}=127.0.0.1:${s.rpcPort}`).join(','),
    SHARD_URLS: config.shards.map((s) => `${s.domain}=http://127.0.0.1:${s.port}`).join(','),
  },
  healthUrl: `http://127.0.0.1:${config.worker.port}/health`,
  url: `http://127.0.0.1:${config.worker.port}`,
});

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

class Hub {
  private readonly running: Running[] = [];
  private stopping = false;

  constructor(private readonly config: HubConfig) {}

  start(spec: ProcessSpec): Running {
    const logDir = path.join(this.config.dataDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const log = createWriteStream(path.join(logDir, `${spec.name.replace(/[^A-Za-z0-9_.-]/g, '-')}.log`), { flags: 'a' });
    const [command, args] = spec.command
      ? [spec.command, spec.args ?? []]
      : [process.execPath, [path.join(this.config.root, spec.entry!), ...(spec.args ?? [])]];
    const child = spawn(command, args, {
      cwd: this.config.root,
      env: childEnv(spec.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const take = (chunk: Buffer, stream: 'out' | 'err') => {
      log.write(chunk);
      if (this.config.verbose) process.stdout.write(chunk.toString().replace(/^(?=.)/gm, `[${spec.name}] `));
      if (stream === 'err') for (const line of chunk.toString().split('\n').filter(Boolean)) tail.push(line);
      while (tail.length > 20) tail.shift();
    };
    child.stdout!.on('data', (c: Buffer) => take(c, 'out'));
    child.stderr!.on('data', (c: Buffer) => take(c, 'err'));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        log.end();
        if (!this.stopping) say(`hub: ${spec.name} (pid ${child.pid}) exited with code ${code}; its log is in ${path.join(logDir)}`);
        resolve(code);
      }),
    );
    const running = { spec, child, exited, tail };
    this.running.push(running);
    return running;
  }

  async ready(running: Running, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void running.exited.then(() => (gone = true));
    if (!running.spec.healthUrl) {
      await sleep(1000);
      if (gone) throw new Error(`${running.spec.name} exited at start:\n${running.tail.join('\n')}`);
      return;
    }
    while (Date.now() < deadline) {
      if (gone) throw new Error(`${running.spec.name} exited at start:\n${running.tail.join('\n')}`);
      try {
        const res = await fetch(running.spec.healthUrl, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    throw new Error(`${running.spec.name} did not answer ${running.spec.healthUrl} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const r of [...this.running].reverse()) if (r.child.exitCode === null) r.child.kill('SIGTERM');
    await Promise.race([Promise.all(this.running.map((r) => r.exited)), sleep(8000)]);
    for (const r of this.running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  }
}

/** REDIS_URL if set; else a private redis-server in the data folder when installed; else none. */
const provideRedis = async (hub: Hub, config: HubConfig): Promise<{ url?: string; note: string }> => {
  if (config.redisUrl) return { url: config.redisUrl, note: `using REDIS_URL ${config.redisUrl}` };
  const binary = findRedisServer();
  if (!binary) {
    return {
      note: 'Redis not found, so the connector worker is off and shards do not self-register. Install redis-server (e.g. `apt-get install redis-server`) or set REDIS_URL=redis://host:6379 to enable connectors.',
    };
  }
  const port = await freePort();
  const dir = path.join(config.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  hub.start({
    name: 'redis',
    command: binary,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    env: {},
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    })) return { url, note: `started a private redis-server at ${url}` };
    await sleep(100);
  }
  throw new Error(`redis-server (${binary}) did not start on port ${port}`);
};

const loadDemo = async (gatewayUrl: string): Promise<void> => {
  const events = demoEvents();
  say(`hub: loading the demo mesh: ${events.length} OpenLineage events through ${gatewayUrl}/api/v1/lineage/batch`);
  for (let i = 0; i < events.length; i += 100) {
    const res = await fetch(`${gatewayUrl}/api/v1/lineage/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events.slice(i, i + 100)),
    });
    if (!res.ok) throw new Error(`demo load failed: ${res.status} ${await res.text()}`);
  }
  // The gateway refreshes each shard's membership filter as its graph grows; wait until it has.
  for (let i = 0; i < 100; i++) {
    const health = (await (await fetch(`${gatewayUrl}/health`)).json()) as { shards: Array<{ state: string; version: number; filterVersion: number }> };
    if (health.shards.every((s) => s.state === 'up' && s.version !== null && s.filterVersion === s.version)) break;
    await sleep(100);
  }
  const url = `${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.ordersTable)}&direction=downstream&depth=10`;
  const impact = (await (await fetch(url)).json()) as any;
  say('');
  say(`Downstream of ${DEMO_QUERIES.ordersTable} (the Sales OLTP orders table), across every domain:`);
  for (const [domain, s] of Object.entries<any>(impact.summary?.byDomain ?? {})) {
    say(`  ${domain.padEnd(10)} ${String(s.datasets).padStart(3)} datasets  ${String(s.jobs).padStart(3)} jobs`);
  }
  say(`  complete: ${impact.complete}  (${impact.stats?.roundTrips} round trips, ${impact.stats?.messages} shard messages)`);
};

const main = async () => {
  let config: HubConfig;
  try {
    config = loadHubConfig();
  } catch (error) {
    if (error instanceof HubConfigError) {
      process.stderr.write(`hub: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  for (const entry of ['dist/apps/shard/src/main.js', 'dist/apps/gateway/src/main.js']) {
    if (!existsSync(path.join(config.root, entry))) {
      process.stderr.write(`hub: ${entry} is missing; run \`npm run build\` (npm start does it for you)\n`);
      process.exit(2);
    }
  }
  const ports = [config.gateway.port, ...config.shards.flatMap((s) => [s.port, s.rpcPort])];
  for (const port of ports) {
    if (!(await portFree(port))) {
      process.stderr.write(`hub: port ${port} is already in use; stop what uses it or change the ports in ${config.configPath}\n`);
      process.exit(2);
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  for (const shard of config.shards) mkdirSync(path.join(config.dataDir, shard.domain), { recursive: true });

  const hub = new Hub(config);
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`hub: ${signal}, stopping every process`);
    hub.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    const redis = await provideRedis(hub, config);
    const workerBuilt = existsSync(path.join(config.root, 'dist/apps/worker/src/main.js'));
    const specs: ProcessSpec[] = [
      ...shardProcesses(config, redis.url),
      gatewayProcess(config, redis.url),
      ...(redis.url && workerBuilt ? [workerProcess(config, redis.url)] : []),
    ];
    const started = specs.map((spec) => hub.start(spec));
    await Promise.all(started.map((r) => hub.ready(r)));

    say('');
    say('lineage-hub is up');
    for (const r of started) say(`  ${r.spec.name.padEnd(18)} ${r.spec.url ?? ''}${r.spec.note ? `   (${r.spec.note})` : ''}   pid ${r.child.pid}`);
    say(`  ${'redis'.padEnd(18)} ${redis.note}`);
    if (redis.url && !workerBuilt) say(`  ${'worker'.padEnd(18)} not built (dist/apps/worker/src/main.js missing)`);
    say(`  ${'data + logs'.padEnd(18)} ${config.dataDir}`);
    say('');
    const gatewayUrl = `http://127.0.0.1:${config.gateway.port}`;
    const health = (await (await fetch(`${gatewayUrl}/health`)).json()) as { shards: Array<{ version: number | null }> };
    const empty = health.shards.every((s) => !s.version);
    if (config.demo === 'always' || (config.demo === 'if-empty' && empty)) {
      if (config.demo === 'if-empty') say('hub: the stores are empty (first start), so the demo mesh is loaded; start with --empty to skip it');
      await loadDemo(gatewayUrl);
    }
    say('');
    say('Try:');
    say(`  curl '${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.ordersTable)}&depth=10'`);
    say(`  curl '${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.amountColumn)}&depth=5'   # column-level`);
    say(`  curl '${gatewayUrl}/health'`);
    if (config.demo === 'never') say('  npm run demo   # loads a three-domain data mesh first');
    say('Ctrl-C stops everything.');
  } catch (error) {
    process.stderr.write(`hub: ${(error as Error).message}\n`);
    await hub.stop();
    process.exit(1);
  }
};

void main();
