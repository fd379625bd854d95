/**
 * Private services for the fault suite, so a test may kill them without touching the machine's shared ones: a
 * redis-server and a PostgreSQL cluster (initdb + postgres from /usr/lib/postgresql/15/bin, run as the
 * postgres OS user when the tests run as root), each on a free port in a temp dir, started, killed and
 * restarted on the same data. A service that cannot start fails the test loudly (no skip).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export { freePort } from '../../apps/hub/src/hub-ports';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until fn resolves truthy, or fail after ms. */
export { waitFor as until } from '../../apps/worker/src/testing/worker-test-kit';

/** A child we started, with its output kept for the failure message. */
class Service {
  child: ChildProcess | null = null;
  output = '';

  constructor(private readonly name: string) {}

  protected launch(command: string, args: string[], options: { uid?: number; gid?: number; ready: RegExp }): Promise<void> {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], uid: options.uid, gid: options.gid });
    this.child = child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start in 30 s: ${this.output.slice(-2000)}`)), 30_000);
      const seen = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (options.ready.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready: ${this.output.slice(-2000)}`));
      });
    });
  }

  /** Sends a signal to the process we started and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.child = null;
  }
}

/** A private redis-server (append-only file on, so what it acknowledged survives a kill -9). */
export class PrivateRedis extends Service {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lh-fault-redis-'));

  constructor(readonly port: number) {
    super('redis-server');
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.output = '';
    await this.launch('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], {
      ready: /Ready to accept connections/,
    });
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A private PostgreSQL cluster (trust auth on 127.0.0.1), as the postgres OS user when we are root. */
export class PrivatePostgres extends Service {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lh-fault-pg-'));
  private readonly owner = process.getuid?.() === 0 ? lookupUser('postgres') : undefined;

  constructor(readonly port: number) {
    super('postgres');
  }

  url(database = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    if (!existsSync(path.join(PG_BIN, 'initdb'))) throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (set PG_BIN)`);
    const data = path.join(this.dir, 'data');
    if (this.owner) chownSync(this.dir, this.owner.uid, this.owner.gid);
    const result = spawnSync(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], { uid: this.owner?.uid, gid: this.owner?.gid, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.stdout}`);
  }

  async start(): Promise<void> {
    this.output = '';
    const args = ['-D', path.join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on', '-c', 'max_connections=50'];
    await this.launch(path.join(PG_BIN, 'postgres'), args, { uid: this.owner?.uid, gid: this.owner?.gid, ready: /database system is ready to accept connections/ });
  }

  /** A crash, as far as the database is concerned: immediate shutdown (no checkpoint; recovery at the next start). */
  crash(): Promise<void> {
    return this.kill('SIGQUIT');
  }

  async remove(): Promise<void> {
    await this.kill('SIGQUIT');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const lookupUser = (name: string): { uid: number; gid: number } => {
  const out = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`no "${name}" OS user to run PostgreSQL as (tests run as root)`);
  return { uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
};
