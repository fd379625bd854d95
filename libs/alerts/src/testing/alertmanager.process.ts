/**
 * Starts the real Prometheus Alertmanager (Debian package prometheus-alertmanager) on a free port with a temp
 * config and storage dir, for tests and benches. Fails loudly when the binary is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

export interface RunningAlertmanager {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const CONFIG = `route:\n  receiver: hub\n  group_wait: 1s\nreceivers:\n  - name: hub\n`;

export const startAlertmanager = async (bin = ALERTMANAGER_BIN, timeoutMs = 20_000): Promise<RunningAlertmanager> => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: install it with \`apt-get install -y prometheus-alertmanager\` (bash .ci/run does)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-alertmanager-'));
  writeFileSync(path.join(dir, 'alertmanager.yml'), CONFIG);
  const child = spawn(
    bin,
    [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--cluster.listen-address='],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`alertmanager did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`alertmanager exited with ${code}:\n${log}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, process: child, stop };
};
