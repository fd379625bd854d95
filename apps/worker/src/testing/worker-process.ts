/** Starts a worker child process (sources through swc in tests, dist/ in the bench) and waits until it listens. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { workerChildEnv } from '../worker.config';

export interface WorkerProcess {
  child: ChildProcess;
  url: string;
  pid: number;
  /** Every stdout line (JSON logs). */
  lines: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export const spawnWorker = (env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<WorkerProcess> => {
  const compiled = __filename.endsWith('.js');
  const entry = path.join(__dirname, compiled ? 'worker-child.js' : 'worker-child.ts');
  const args = compiled ? [entry] : ['-r', path.join(__dirname, 'swc-register.js'), entry];
  const child = spawn(process.execPath, args, { env: workerChildEnv({ TZ: 'UTC', ALERTS_STORE_URL: 'sqlite::memory:', ALERTS_INTERVAL_MS: '0', WORKER_SECRET_ENV_ALLOWLIST: 'LH_*', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker process did not start within ${options.timeoutMs ?? 60_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited with ${code} before it was ready: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      const { ready, pid } = JSON.parse(line);
      resolve({
        child,
        url: ready,
        pid,
        lines,
        kill: (signal = 'SIGKILL') =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill(signal);
          }),
      });
    });
  });
};
