/**
 * npm run bench:auth
 *
 * What authentication costs, both sides in one run on the same machine: two shards (SQLite) and the gateway in
 * this process, once with AUTH off and once with AUTH on (API tokens, the service credential on RPC, the audit
 * chain, redaction). Ingest: BENCH_AUTH_EVENTS OpenLineage events through the gateway's batch endpoint (batches
 * of 200, sequential; a writer token when on). Impact: BENCH_AUTH_QUERIES downstream impact queries (depth 10,
 * every node of a 3-ary tree crossing both domains) as an admin (no node hidden; the restricted lookup and
 * the audit still run) and as a reader of one domain (the other domain's nodes hidden), with the gateway's
 * classification cache (default) and without it (a second gateway, CLASSIFICATION_CACHE_MS=0). Writes the
 * "## Authentication overhead" section of bench/RESULTS.md with the load average.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { AUTH_OFF, FileTokenStore, mintToken, type AuthConfig } from '@lineage-hub/auth';
import { parseNamespaceDomains } from '@lineage-hub/federation';
import { startGateway } from '../apps/gateway/src/gateway-app';
import { loadGatewayConfig } from '../apps/gateway/src/gateway.config';
import { startShard, type RunningShard } from '../apps/shard/src/shard-app';
import { shardConfig } from '../apps/shard/src/shard.config';
import { replaceResultsSection } from './results-section';

const EVENTS = Number(process.env.BENCH_AUTH_EVENTS ?? 4000);
const QUERIES = Number(process.env.BENCH_AUTH_QUERIES ?? 100);
const BATCH = 200;
const NS = 'a-ns=a,b-ns=b';

/** The namespace of table t_k: t_0 in domain a, then a and b alternate, so every page of an impact answer crosses domains. */
const nsOf = (k: number) => (k === 0 || (k - 1) % 2 === 0 ? 'a-ns' : 'b-ns');

/** A 3-ary tree: job i reads t_{i/3} and writes t_{i+1}, in t_{i+1}'s domain (every 10th table of b restricted). */
const events = (side: string) =>
  Array.from({ length: EVENTS }, (_, i) => {
    const ns = nsOf(i + 1);
    const restricted = ns === 'b-ns' && i % 10 === 1;
    return {
      eventType: 'COMPLETE',
      eventTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      producer: 'https://example.com/bench',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: `${side}0000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}` },
      job: { namespace: ns, name: `job_${i}` },
      inputs: [{ namespace: nsOf(Math.floor(i / 3)), name: `t_${Math.floor(i / 3)}` }],
      outputs: [
        {
          namespace: ns,
          name: `t_${i + 1}`,
          ...(restricted ? { facets: { tags: { _producer: 'https://example.com/bench', _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json', tags: [{ key: 'classification', value: 'restricted' }] } } } : {}),
        },
      ],
    };
  });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

async function side(on: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), `lh-bench-auth-${on ? 'on' : 'off'}-`));
  const tokensFile = path.join(dir, 'tokens.json');
  const store = new FileTokenStore(tokensFile, 0);
  const mint = (roles: Array<'reader' | 'writer' | 'admin'>, domains: string[]) => {
    const { secret, record } = mintToken({ name: `bench-${roles[0]}`, owner: 'bench', roles, domains });
    store.add(record);
    return secret;
  };
  const tokens = { writer: mint(['writer'], ['a', 'b']), admin: mint(['admin'], []), readerA: mint(['reader'], ['a']) };
  const serviceToken = randomBytes(32).toString('base64url');
  const redactionKey = randomBytes(32).toString('base64url');
  const auth = (name: string): AuthConfig =>
    on ? { ...AUTH_OFF, enabled: true, tokensFile, serviceToken, redactionKey, auditStoreUrl: `sqlite:${path.join(dir, `audit-${name}.db`)}`, rateLimitPerMinute: 0, metricsPublic: false } : AUTH_OFF;
  const shards: RunningShard[] = [];
  for (const domain of ['a', 'b']) {
    shards.push(
      await startShard(
        shardConfig({ port: 0, rpcPort: 0, rpcHost: '127.0.0.1', domain, namespaceDomains: parseNamespaceDomains(NS), storeUrl: `sqlite:${path.join(dir, domain, 'lineage.db')}`, logLevel: 'error', auth: auth(domain) }),
      ),
    );
  }
  const startOne = (extra: Record<string, string>) => startGateway(
    loadGatewayConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SHARDS: shards.map((s, i) => `${['a', 'b'][i]}=127.0.0.1:${s.rpcPort}`).join(','),
      NAMESPACE_DOMAINS: NS,
      LOG_LEVEL: 'error',
      CACHE_MAX_ENTRIES: '0',
      ...(on
        ? { AUTH: 'on', AUTH_TOKENS_FILE: tokensFile, AUTH_SERVICE_TOKEN: serviceToken, REDACTION_KEY: redactionKey, AUDIT_STORE_URL: `sqlite:${path.join(dir, 'audit-gateway.db')}`, AUTH_RATE_LIMIT_PER_MINUTE: '0' }
        : {}),
      ...extra,
    }),
  );
  const gateway = await startOne({});
  const headers = (token: string): Record<string, string> => (on ? { authorization: `Bearer ${token}` } : {});
  const all = events(on ? '1' : '2');
  const started = performance.now();
  for (let i = 0; i < all.length; i += BATCH) {
    const res = await fetch(`${gateway.url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers(tokens.writer) }, body: JSON.stringify(all.slice(i, i + BATCH)) });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  const ingestPerSecond = all.length / ((performance.now() - started) / 1000);
  await new Promise((r) => setTimeout(r, 1500)); // filters refresh
  const impact = async (token: string, url = gateway.url) => {
    const ms: number[] = [];
    let nodes = 0;
    let hidden = 0;
    for (let q = 0; q < QUERIES; q++) {
      const t = performance.now();
      const res = await fetch(`${url}/api/v1/impact?nodeId=${encodeURIComponent('dataset:a-ns:t_0')}&direction=downstream&depth=10&limit=1000`, { headers: headers(token) });
      const body = (await res.json()) as { nodes: unknown[]; hiddenCount?: number };
      if (res.status !== 200) throw new Error(`impact answered ${res.status}`);
      ms.push(performance.now() - t);
      nodes = body.nodes.length;
      hidden = body.hiddenCount ?? 0;
    }
    return { median: median(ms), p95: p95(ms), nodes, hidden };
  };
  const admin = await impact(tokens.admin);
  const reader = on ? await impact(tokens.readerA) : admin;
  // the same reader through a gateway that asks the shards on every read (CLASSIFICATION_CACHE_MS=0): the cost the cache saves
  let uncached = reader;
  if (on) {
    const second = await startOne({ CLASSIFICATION_CACHE_MS: '0' });
    await new Promise((r) => setTimeout(r, 1500));
    uncached = await impact(tokens.readerA, second.url);
    await second.close();
  }
  await gateway.close();
  for (const s of shards) await s.close();
  rmSync(dir, { recursive: true, force: true });
  return { ingestPerSecond, admin, reader, uncached };
}

async function main() {
  const loadBefore = loadavg()[0].toFixed(1);
  const off = await side(false);
  const on = await side(true);
  const loadAfter = loadavg()[0].toFixed(1);
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  const body = [
    `Run ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, load average ${loadBefore} before / ${loadAfter} after (shared machine).`,
    `Two shards (SQLite) + the gateway in one process per side; ${EVENTS} events in batches of ${BATCH}; ${QUERIES} downstream impact queries, depth 10, impact cache off.`,
    '',
    '| measure | auth off (baseline) | auth on | on vs off |',
    '|---|---|---|---|',
    `| ingest through the gateway (events/s, writer token) | ${off.ingestPerSecond.toFixed(0)} | ${on.ingestPerSecond.toFixed(0)} | ${pct(on.ingestPerSecond, off.ingestPerSecond)} |`,
    `| impact median ms (admin: lookup + audit, nothing hidden) | ${off.admin.median.toFixed(1)} | ${on.admin.median.toFixed(1)} | ${pct(on.admin.median, off.admin.median)} |`,
    `| impact p95 ms (admin) | ${off.admin.p95.toFixed(1)} | ${on.admin.p95.toFixed(1)} | ${pct(on.admin.p95, off.admin.p95)} |`,
    `| impact median ms (reader of a: ${on.reader.hidden} of ${on.reader.nodes} nodes on the page hidden) | ${off.admin.median.toFixed(1)} | ${on.reader.median.toFixed(1)} | ${pct(on.reader.median, off.admin.median)} |`,
    `| impact p95 ms (reader of a) | ${off.admin.p95.toFixed(1)} | ${on.reader.p95.toFixed(1)} | ${pct(on.reader.p95, off.admin.p95)} |`,
    `| impact median ms (reader of a, classification cache off: every read asks every shard) | ${off.admin.median.toFixed(1)} | ${on.uncached.median.toFixed(1)} | ${pct(on.uncached.median, off.admin.median)} |`,
    `| impact p95 ms (reader of a, classification cache off) | ${off.admin.p95.toFixed(1)} | ${on.uncached.p95.toFixed(1)} | ${pct(on.uncached.p95, off.admin.p95)} |`,
  ].join('\n');
  process.stdout.write(`${body}\n`);
  replaceResultsSection('Authentication overhead', body);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
