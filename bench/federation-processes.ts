/**
 * The federation bench's processes: one shard process per domain (bench/federation-shard.ts) and the gateway
 * process (bench/federation-gateway.ts), asked over IPC one message at a time. Shared by federation.bench.ts and
 * the A/B helper federation-ab.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DOMAINS } from './federation-mesh';
import type { GatewayAnswer, GatewayQuery } from './federation-gateway';

export interface ShardProcess {
  child: ChildProcess;
  domain: string;
  port: number;
  nodes: number;
  edges: number;
}

/** The shard processes, sorted by domain once all are up (each builds its index meanwhile); `script`: another build's (A/B). */
export const startShards = async (execArgv: readonly string[] = [], script = path.join(__dirname, 'federation-shard.js')): Promise<ShardProcess[]> => {
  const shards: ShardProcess[] = [];
  await Promise.all(
    Array.from({ length: DOMAINS }, (_, d) =>
      new Promise<void>((resolve, reject) => {
        const child = fork(script, [String(d)], { execArgv: ['--max-old-space-size=2048', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.once('message', (m: Omit<ShardProcess, 'child'>) => (shards.push({ child, ...m }), resolve()));
        child.once('exit', (code) => reject(new Error(`shard d${d} exited with ${code}`)));
      }),
    ),
  );
  return shards.sort((a, b) => a.domain.localeCompare(b.domain));
};

/** The gateway process: one ask at a time over IPC (the bench awaits each answer before the next); `script`: another build's (A/B). */
export const startGateway = async (execArgv: readonly string[] = [], script = path.join(__dirname, 'federation-gateway.js')) => {
  const child = fork(script, [], { execArgv: ['--max-old-space-size=4096', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 1;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
    child.on('message', (m: { n: number; value?: unknown; error?: string }) => {
      if (m.n === 0) return resolve();
      const waiter = pending.get(m.n);
      pending.delete(m.n);
      if (m.error) waiter?.reject(new Error(`gateway process: ${m.error}`));
      else waiter?.resolve(m.value);
    });
  });
  const ask = (message: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const n = next++;
      pending.set(n, { resolve, reject });
      child.send({ n, ask: message });
    });
  return {
    ask,
    query: (query: GatewayQuery) => ask({ type: 'query', query }) as Promise<GatewayAnswer>,
    pid: child.pid,
    close: () => child.kill('SIGTERM'),
  };
};
