/**
 * The producer side of bench:ingest's HTTP part: keep-alive `node:http` posts, the shard's CPU time and its
 * group-commit counters.
 *
 * Why node:http and not fetch: on these 2 cores, fetch (undici) spent 1.0-1.4 ms of client CPU per 3.4 KB POST
 * against a bare node:http server, node:http with a keep-alive agent 0.29 ms (measured 2026-12-06, load ~6.7). The
 * client shares the cores with the shard, so a heavy client takes CPU from the server it measures, and takes more
 * from the one-event-per-request path (one request per event) than from the batch path (one per 500).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** POST a JSON body (already serialised); rejects unless the status is one of `expect`. */
export const postJson = (url: string, body: string, expect: number[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (expect.includes(res.statusCode ?? 0)) resolve();
        else reject(new Error(`POST ${url}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 100 clock ticks a second). */
export const processCpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** This process's CPU seconds (user + system) so far. */
export const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export interface CommitCounters {
  commits: number;
  events: number;
}

/** The shard's group-commit counters (GET /metrics: lineage_ingest_commits, lineage_ingest_commit_events). */
export const commitCounters = async (base: string): Promise<CommitCounters> => {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`GET /metrics has no ${name}`);
    return Number(line.slice(name.length + 1));
  };
  return { commits: value('lineage_ingest_commits'), events: value('lineage_ingest_commit_events') };
};
