import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { childEnv, type HubConfig } from './hub.config';
import type { ProcessSpec, Running } from './hub-processes';
import { say, sleep } from './hub-output';
import { settingHints } from './hub-setting-hints';

/** Starts the hub's children, logs each to <dataDir>/logs/<name>.log, waits for their /health, stops them all. */
export class HubSupervisor {
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

  /** A child gone at start: its last lines, and which hub config setting to change when they name one. */
  private exitedAtStart(running: Running): Error {
    const tail = running.tail.join('\n');
    const hints = settingHints(tail, running.spec.settings, this.config).map((h) => `  with \`npm start\`: ${h}`);
    return new Error(`${running.spec.name} exited at start:\n${tail}${hints.length ? `\n${hints.join('\n')}` : ''}`);
  }

  async ready(running: Running, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void running.exited.then(() => (gone = true));
    if (!running.spec.healthUrl) {
      await sleep(1000);
      if (gone) throw this.exitedAtStart(running);
      return;
    }
    while (Date.now() < deadline) {
      if (gone) throw this.exitedAtStart(running);
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

