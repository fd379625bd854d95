/**
 * Real app processes for e2e tests: `node dist/<entry>` with its JSON log lines parsed, and a wait for a line
 * that matches. The tests run against the build that `npm test` / `npm run test:e2e` makes first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const dist = (entry: string) => path.join(ROOT, 'dist', entry);

export interface AppProcess {
  child: ChildProcess;
  /** Every stdout line so far, JSON-parsed (a line that is not JSON becomes `{msg: line}`). */
  lines: any[];
  /** The first line (already seen or still to come) matching pred; rejects when the process exits or after ms. */
  waitFor(pred: (line: any) => boolean, ms?: number): Promise<any>;
}

/** Starts `node dist/<entry>` with the test's environment plus env; an env value of '' unsets the variable. */
export const startNode = (entry: string, env: Record<string, string>): AppProcess => {
  const file = dist(entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm run test:e2e does)`);
  const merged: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'log', ...env };
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const child = spawn(process.execPath, [file], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: any[] = [];
  const waiters: Array<{ pred: (l: any) => boolean; resolve: (l: any) => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let line: any;
      try {
        line = JSON.parse(text);
      } catch {
        line = { msg: text };
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pred(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    child,
    lines,
    waitFor: (pred, ms = 60_000) =>
      new Promise((resolve, reject) => {
        const found = lines.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`${entry}: expected log line not seen in ${ms} ms; stderr: ${stderr}`)), ms);
        child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${stderr}`)));
        waiters.push({ pred, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      }),
  };
};
