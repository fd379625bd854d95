/**
 * The hub launcher (`npm start`'s dist/apps/hub/src/main.js) as e2e tests run it: free ports for its config, and a
 * start that waits for the "up" banner (or fails with everything the hub printed).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../apps/hub/src/hub-ports';

export { freePort };

export const HUB_ROOT = path.resolve(__dirname, '..', '..');
export const HUB_ENTRY = path.join(HUB_ROOT, 'dist', 'apps', 'hub', 'src', 'main.js');

export interface DemoHubConfig {
  /** The config file to pass as `--config`. */
  config: string;
  /** gateway, sales http, sales rpc, marketing http, marketing rpc, finance http, finance rpc, worker. */
  ports: number[];
  gatewayUrl: string;
}

/** `<dir>/hub.yaml`: the demo's three domains and their namespaces, every process on a free port, data under `<dir>/data`. */
export const writeDemoHubConfig = async (dir: string): Promise<DemoHubConfig> => {
  const ports = await Promise.all(Array.from({ length: 8 }, freePort));
  const config = path.join(dir, 'hub.yaml');
  writeFileSync(
    config,
    [
      'dataDir: data',
      `gateway: { port: ${ports[0]} }`,
      'shards:',
      `  - { domain: sales, port: ${ports[1]}, rpcPort: ${ports[2]}, namespaces: [airflow-sales, dbt-sales, "snowflake://acme-sales", "postgres://*"] }`,
      `  - { domain: marketing, port: ${ports[3]}, rpcPort: ${ports[4]}, namespaces: [spark-marketing, dbt-marketing, airflow-marketing, bigquery, "kafka://*"] }`,
      `  - { domain: finance, port: ${ports[5]}, rpcPort: ${ports[6]}, namespaces: [airflow-finance, dbt-finance, "redshift://*", "s3://*"] }`,
      `worker: { port: ${ports[7]} }`,
    ].join('\n'),
  );
  return { config, ports, gatewayUrl: `http://127.0.0.1:${ports[0]}` };
};

export interface HubProcess {
  child: ChildProcess;
  /** Everything it printed on stdout so far. */
  out(): string;
  exited: Promise<number | null>;
}

/** Starts the hub with these arguments and environment; resolves once it prints that it is up. */
export const startHub = async (args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 180_000): Promise<HubProcess> => {
  if (!existsSync(HUB_ENTRY)) throw new Error(`${HUB_ENTRY} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  const child = spawn(process.execPath, [HUB_ENTRY, ...args], { cwd: HUB_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub not ready in ${timeoutMs / 1000} s:\n${out}\n${err}`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ctrl-C stops everything.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => reject(new Error(`hub exited (${code}):\n${out}\n${err}`)));
  });
  return { child, out: () => out, exited };
};
