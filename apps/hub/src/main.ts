/**
 * `npm start`: the whole hub in one command. Starts one shard process per domain in the hub config, the
 * gateway, and the connector worker when Redis is available (REDIS_URL, or a private redis-server started
 * here when one is installed), waits until each answers /health, and prints the URLs. `--demo` then loads
 * a multi-domain data mesh through the gateway and shows a cross-domain impact answer; a first start (empty
 * stores) loads it too, unless `--empty`.
 *
 * The parts: hub.config.ts (the YAML + flags, read once), hub-processes.ts (what each child gets),
 * hub-supervisor.ts (start, wait for /health, stop), hub-redis.ts, demo/ (the demo mesh and its loader).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { HubConfigError, loadHubConfig, type HubConfig } from './hub.config';
import { DEMO_QUERIES } from './demo/demo-mesh';
import { loadDemo } from './demo/demo-loader';
import { gatewayProcess, type ProcessSpec, shardProcesses, workerProcess } from './hub-processes';
import { portFree } from './hub-ports';
import { provideRedis } from './hub-redis';
import { say } from './hub-output';
import { type AlertsInbox, inboxRoutesFile, printAlerts, startAlertsInbox } from './hub-alerts';
import { HubSupervisor } from './hub-supervisor';
import { portSettings } from './hub-setting-hints';
import { adminTokenLines, authOffRefusal, prepareHubAuth, serviceHeaders } from './hub-auth';

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
      const setting = portSettings(config).get(port) ?? 'the ports';
      process.stderr.write(`hub: port ${port} is already in use; stop what uses it or change \`${setting}\` in ${config.configPath}\n`);
      process.exit(2);
    }
  }
  const refusal = authOffRefusal(config.auth === 'on', [{ name: 'the gateway', host: config.gateway.host }]);
  if (refusal) {
    process.stderr.write(`hub: ${refusal} (${config.configPath})\n`);
    process.exit(2);
  }
  mkdirSync(config.dataDir, { recursive: true });
  for (const shard of config.shards) mkdirSync(path.join(config.dataDir, shard.domain), { recursive: true });
  const auth = prepareHubAuth(config.dataDir, config.auth === 'on');

  const hub = new HubSupervisor(config);
  let inbox: AlertsInbox | null = null;
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`hub: ${signal}, stopping every process`);
    hub
      .stop()
      .then(() => inbox?.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    const redis = await provideRedis(hub, config);
    const workerBuilt = existsSync(path.join(config.root, 'dist/apps/worker/src/main.js'));
    const withWorker = Boolean(redis.url && workerBuilt);
    // Alerts go to the hub's local inbox unless the hub config names a routes file of its own.
    inbox = withWorker && !config.worker.alertsFile ? await startAlertsInbox(config.dataDir) : null;
    const specs: ProcessSpec[] = [
      ...shardProcesses(config, auth, redis.url),
      gatewayProcess(config, auth, redis.url),
      ...(withWorker ? [workerProcess(config, auth, redis.url!, inbox ? inboxRoutesFile(config.dataDir, inbox).env : {})] : []),
    ];
    const started = specs.map((spec) => hub.start(spec));
    await Promise.all(started.map((r) => hub.ready(r)));

    say('');
    say('lineage-hub is up');
    for (const r of started) say(`  ${r.spec.name.padEnd(18)} ${r.spec.url ?? ''}${r.spec.note ? `   (${r.spec.note})` : ''}   pid ${r.child.pid}`);
    say(`  ${'redis'.padEnd(18)} ${redis.note}`);
    if (redis.url && !workerBuilt) say(`  ${'worker'.padEnd(18)} not built (dist/apps/worker/src/main.js missing)`);
    if (withWorker) say(`  ${'alerts'.padEnd(18)} ${inbox ? `local inbox ${inbox.url} -> ${inbox.file}` : `routes from ${config.worker.alertsFile}`}`);
    say(`  ${'data + logs'.padEnd(18)} ${config.dataDir}`);
    say('');
    const gatewayUrl = `http://127.0.0.1:${config.gateway.port}`;
    const health = (await (await fetch(`${gatewayUrl}/health`)).json()) as { shards: Array<{ version: number | null }> };
    const empty = health.shards.every((s) => !s.version);
    if (config.demo === 'always' || (config.demo === 'if-empty' && empty)) {
      if (config.demo === 'if-empty') say('hub: the stores are empty (first start), so the demo mesh is loaded; start with --empty to skip it');
      await loadDemo(gatewayUrl, config.shards.map((s) => ({ domain: s.domain, url: `http://127.0.0.1:${s.port}` })), serviceHeaders(auth));
    }
    const bearer = auth.enabled ? `-H "Authorization: Bearer $(cat ${auth.adminTokenFile})" ` : '';
    if (withWorker) await printAlerts(gatewayUrl, inbox, { headers: serviceHeaders(auth), curl: bearer });
    say('');
    for (const line of adminTokenLines(auth, gatewayUrl, DEMO_QUERIES.ordersTable)) say(line);
    say('');
    say('Try:');
    say(`  curl ${bearer}'${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.ordersTable)}&depth=10'`);
    say(`  curl ${bearer}'${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.amountColumn)}&depth=5'   # column-level`);
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
