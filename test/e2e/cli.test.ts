/**
 * The built `lineage` CLI (bin/lineage.js) against a real hub: three shard processes, the gateway and a worker,
 * loaded with the demo mesh through the gateway. Each command is spawned as a user would run it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_NAMESPACE_DOMAINS, DEMO_QUERIES, demoEvents } from '../../apps/hub/src/demo/demo-mesh';
import { dropPrefix, uniquePrefix } from '../../apps/worker/src/testing/worker-test-kit';
import { type AppProcess, ROOT, startNode } from '../testing/process-kit';

jest.setTimeout(180_000);

const DOMAINS = ['sales', 'marketing', 'finance'] as const;
const dataDir = mkdtempSync(path.join(tmpdir(), 'lineage-cli-e2e-'));
const shards: Record<string, { proc: AppProcess; httpUrl: string; rpcPort: number }> = {};
let gateway: AppProcess;
let worker: AppProcess;
let G = '';
const prefix = uniquePrefix('cli');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const lineage = (args: string[], opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'lineage.js'), ...args], { cwd: opts.cwd ?? dataDir, env: { ...process.env, LINEAGE_GATEWAY: G, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(opts.stdin ?? '');
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

const file = (name: string, text: string) => {
  const p = path.join(dataDir, name);
  writeFileSync(p, text);
  return p;
};

/** Retries an assertion until it holds (the gateway's view of a shard catches up within its refresh interval). */
const eventually = async (check: () => Promise<void>, ms = 15_000) => {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
};

const getJson = async (url: string) => (await (await fetch(url)).json()) as any;

const gatewayCaughtUp = async () => {
  for (let i = 0; i < 150; i++) {
    const body = await getJson(`${G}/health`);
    if (body.shards?.length === DOMAINS.length && body.shards.every((s: any) => s.state === 'up')) {
      const impact = await getJson(`${G}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.amountColumn)}&depth=10`);
      if (impact.nodes?.some((n: any) => n.domains.includes('finance'))) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the gateway never caught up with the shards');
};

beforeAll(async () => {
  await Promise.all(
    DOMAINS.map(async (domain) => {
      const proc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: `sqlite:${path.join(dataDir, domain, 'lineage.db')}`, REDIS_URL: '' });
      const started = await proc.waitFor((l) => l.msg === 'shard started', 90_000);
      shards[domain] = { proc, httpUrl: started.httpUrl, rpcPort: started.rpcPort };
    }),
  );
  worker = startNode('apps/worker/src/main.js', { PORT: '0', HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, RUN_ATTEMPTS: '1', RUN_BACKOFF_MS: '100', DATA_DIR: dataDir, ALERTS_INTERVAL_MS: '0', SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(','), CONNECTORS_FILE: '' });
  const workerUrl = (await worker.waitFor((l) => typeof l.url === 'string' && /worker/i.test(l.msg ?? ''), 90_000)).url;
  gateway = startNode('apps/gateway/src/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(','),
    NAMESPACE_DOMAINS: Object.entries(DEMO_NAMESPACE_DOMAINS).map(([ns, d]) => `${ns}=${d}`).join(','),
    SHARD_TIMEOUT_MS: '1500',
    QUERY_BUDGET_MS: '5000',
    FILTER_REFRESH_MS: '200',
    REDIS_URL: '',
    WORKER_URL: workerUrl,
    AUTH_TOKENS_FILE: path.join(dataDir, 'tokens.json'),
    AUDIT_STORE_URL: `sqlite:${path.join(dataDir, 'gateway-audit.db')}`,
  });
  G = (await gateway.waitFor((l) => l.msg === 'gateway listening', 90_000)).url;
  const events = file('demo-events.jsonl', demoEvents({ filler: 2 }).map((e) => JSON.stringify(e)).join('\n') + '\n');
  const sent = await lineage(['send', events, '--batch-size', '100', '--state', path.join(dataDir, 'demo.state.json')]);
  expect(sent).toMatchObject({ code: 0 });
  await gatewayCaughtUp();
});

afterAll(async () => {
  const all = [gateway, worker, ...Object.values(shards).map((s) => s.proc)].filter(Boolean);
  for (const p of all) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(all.map((p) => (p.child.exitCode === null && p.child.signalCode === null ? new Promise((r) => p.child.once('exit', r)) : null)));
  await dropPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('lineage impact', () => {
  it('lists the federated downstream of a column grouped by domain (json)', async () => {
    const run = await lineage(['impact', DEMO_QUERIES.amountColumn, '--depth', '10', '--format', 'json']);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.schemaVersion).toBe(1);
    expect(body.complete).toBe(true);
    expect(body.domains.map((d: any) => d.domain)).toEqual(expect.arrayContaining(['marketing', 'finance']));
    expect(body.total).toBe(body.domains.reduce((n: number, d: any) => n + d.count, 0));
  });

  it('finds a dataset by name and walks upstream as a table', async () => {
    const run = await lineage(['impact', 'monthly.parquet', '--upstream', '--depth', '3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/upstream of dataset:s3:\/\/[^ ]+reports\/board\/monthly\.parquet/);
    expect(run.stdout).toMatch(/== finance/);
  });

  it('bad input is one line naming what is wrong, exit 2', async () => {
    expect(await lineage(['impact', DEMO_QUERIES.ordersTable, '--depth', 'deep'])).toMatchObject({ code: 2, stdout: '' });
    const unknown = await lineage(['impact', 'no_such_table_anywhere']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr.trim()).toBe('lineage: no dataset, column or job is named "no_such_table_anywhere"');
    const noGateway = await lineage(['impact', DEMO_QUERIES.ordersTable], { env: { LINEAGE_GATEWAY: 'http://127.0.0.1:1' } });
    expect(noGateway.code).toBe(2);
    expect(noGateway.stderr).toMatch(/cannot reach the gateway at http:\/\/127.0.0.1:1/);
  });
});

describe('lineage send', () => {
  it('reports per-event failures with their index, exits 1, and resumes after the acknowledged batches', async () => {
    const good = demoEvents({ filler: 0 }).slice(0, 6);
    const broken = [...good.slice(0, 3), { eventType: 'COMPLETE', producer: 'x' }, ...good.slice(3)];
    const events = file('mixed.json', JSON.stringify(broken));
    const state = path.join(dataDir, 'mixed.state.json');
    const first = await lineage(['send', events, '--batch-size', '2', '--state', state]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/failed: .*mixed.json\[3\]: /);
    expect(first.stdout).toMatch(/sent 7 events .*[12] failed/);
    expect(JSON.parse(readFileSync(state, 'utf8')).files[events].acked).toBe(7);
    const again = await lineage(['send', events, '--batch-size', '2', '--state', state, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ events: 0, skipped: 7 });
  });

  it('a file that does not exist is exit 2, nothing sent', async () => {
    const run = await lineage(['send', path.join(dataDir, 'nope.json')]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/nope.json: cannot read \(ENOENT\)/);
  });
});

describe('lineage check', () => {
  const dropAmount = () => file('drop.sql', '-- PR 42\nALTER TABLE ANALYTICS.MARTS.FCT_ORDERS DROP COLUMN AMOUNT;\n');
  const args = (sql: string, ...more: string[]) => ['check', '--sql', sql, '--dialect', 'snowflake', '--namespace', 'snowflake://acme-sales', ...more];

  it('fails (1) a change that drops a column read two domains away, naming both consumers in Markdown', async () => {
    const run = await lineage(args(dropAmount()));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^## lineage check: FAIL/);
    expect(run.stdout).toContain('column dataset:snowflake://acme-sales:ANALYTICS.MARTS.FCT_ORDERS:AMOUNT dropped (breaking)');
    expect(run.stdout).toMatch(/\| marketing \| dataset:bigquery:/);
    expect(run.stdout).toMatch(/\| finance \| dataset:/);
  });

  it('passes (0) a harmless change and writes SARIF and JSON on request', async () => {
    const add = file('add.sql', 'ALTER TABLE ANALYTICS.MARTS.FCT_ORDERS ADD COLUMN NOTE VARCHAR(100);');
    expect(await lineage(args(add))).toMatchObject({ code: 0 });
    const json = await lineage(args(dropAmount(), '--format', 'json', '--fail-on', 'none'));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ schemaVersion: '1.0', result: 'pass', changes: [{ kind: 'column-dropped', breaking: true, complete: true }] });
    const sarif = await lineage(args(dropAmount(), '--format', 'sarif'));
    expect(sarif.code).toBe(1);
    expect(JSON.parse(sarif.stdout).runs[0].results[0]).toMatchObject({ ruleId: 'LH001', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: expect.stringContaining('drop.sql') }, region: { startLine: 2 } } }] });
  });

  it('usage errors exit 2 before asking the hub', async () => {
    expect(await lineage(['check'])).toMatchObject({ code: 2 });
    const run = await lineage(['check', '--sql', dropAmount(), '--namespace', 'snowflake://acme-sales']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/--dialect is required with --sql/);
    expect((await lineage(args(dropAmount(), '--fail-on', 'sometimes'))).stderr).toMatch(/--fail-on: "sometimes" is not one of breaking, any, none/);
  });

  it('exits 3 (impact unknown) when a shard does not answer', async () => {
    shards.finance.proc.child.kill('SIGSTOP');
    try {
      const run = await lineage(args(dropAmount()));
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(/UNKNOWN/);
      expect(run.stdout).toMatch(/impact unknown: no answer from finance/);
    } finally {
      shards.finance.proc.child.kill('SIGCONT');
    }
  });
});

describe('lineage connectors', () => {
  it('lists, shows (secret masked or absent), runs and shows the history of a connector', async () => {
    const created = await fetch(`${G}/api/v1/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'cli-rs', kind: 'redshift', domain: 'finance', schedule: { every: '1h' }, rateLimit: { requestsPerSecond: 5 }, enabled: false, settings: { host: '127.0.0.1', port: 1, database: 'dev', user: 'u', clusterIdentifier: 'c', region: 'us-east-1' } }),
    });
    expect(created.status).toBe(201);
    const list = await lineage(['connectors', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+KIND\s+DOMAIN/);
    expect(list.stdout).toMatch(/cli-rs\s+redshift\s+finance/);
    const show = JSON.parse((await lineage(['connectors', 'show', 'cli-rs'])).stdout);
    expect(show).toMatchObject({ id: 'cli-rs', kind: 'redshift', domain: 'finance' });
    const run = await lineage(['connectors', 'run', 'cli-rs', '--wait', '--timeout', '120', '--format', 'json']);
    // nothing listens on port 1: the run fails, and the CLI says so with exit 1
    expect(JSON.parse(run.stdout)).toMatchObject({ connectorId: 'cli-rs', state: 'failed' });
    expect(run.code).toBe(1);
    const history = await lineage(['connectors', 'history', 'cli-rs', '--format', 'markdown']);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/\| run \| state \|/);
    expect(history.stdout).toMatch(/\| failed \|/);
    expect((await lineage(['connectors', 'show', 'no-such'])).code).toBe(2);
  });
});

describe('lineage manual', () => {
  const from = DEMO_QUERIES.boardReport;
  const to = `dataset:${from.slice('dataset:'.length, from.indexOf(':reports/'))}:exports/board-sftp.csv`;
  const downstreamOf = async (id: string) => JSON.parse((await lineage(['impact', id, '--depth', '1', '--format', 'json', '--no-enrich'])).stdout).domains.flatMap((d: any) => d.nodes.map((n: any) => n.id));

  it('adds an edge no tool emits, lists it with who/when/evidence, verifies and removes it', async () => {
    const added = await lineage(['manual', 'add', '--from', from, '--to', to, '--evidence', 'SFTP feed, ticket OPS-12', '--by', 'alice', '--format', 'json']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout);
    expect(id).toMatch(/^job:s3:\/\/[^:]+:manual\.[0-9a-f]{16}$/);
    await eventually(async () => expect(await downstreamOf(from)).toContain(to));
    const listed = JSON.parse((await lineage(['manual', 'list', '--format', 'json'])).stdout);
    expect(listed).toEqual([expect.objectContaining({ id, from, to, verification: 'unverified', createdBy: 'alice', evidence: 'SFTP feed, ticket OPS-12' })]);
    expect(await lineage(['manual', 'verify', id, '--by', 'bob'])).toMatchObject({ code: 0 });
    await eventually(async () => expect(JSON.parse((await lineage(['manual', 'list', '--format', 'json'])).stdout)[0]?.verification).toBe('verified'));
    expect(await lineage(['manual', 'remove', id])).toMatchObject({ code: 0 });
    await eventually(async () => expect(await downstreamOf(from)).not.toContain(to));
    expect(JSON.parse((await lineage(['manual', 'list', '--format', 'json'])).stdout)).toEqual([]);
  });

  it('refuses ids that are not manual edges and non-dataset ends, exit 2', async () => {
    expect((await lineage(['manual', 'verify', 'job:airflow-finance:board.export'])).code).toBe(2);
    const run = await lineage(['manual', 'add', '--from', 'job:airflow-finance:board.export', '--to', to]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a dataset id/);
  });
});

describe('lineage token, verify, findings, alerts', () => {
  it('creates a token (shown once), verifies the audit chain that recorded it, revokes it', async () => {
    const created = await lineage(['token', 'create', '--name', 'ci-bot', '--owner', 'platform', '--role', 'writer', '--domain', 'sales', '--expires', '30d', '--format', 'json']);
    expect(created.stderr).toBe('');
    const token = JSON.parse(created.stdout);
    expect(token).toMatchObject({ name: 'ci-bot', owner: 'platform', roles: ['writer'], domains: ['sales'] });
    expect(token.token).toMatch(/^lh_/);
    const verified = await lineage(['verify', '--format', 'json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, audit: { ok: true } });
    expect(JSON.parse(verified.stdout).audit.checked).toBeGreaterThanOrEqual(1);
    expect((await lineage(['verify'])).stdout).toMatch(/^CHAIN\s+DOMAIN\s+OK\s+CHECKED[\s\S]*audit\s+-\s+true/);
    expect(await lineage(['token', 'revoke', token.id])).toMatchObject({ code: 0, stdout: `revoked ${token.id}\n` });
    const bad = await lineage(['token', 'create', '--name', 'x', '--owner', 'y', '--role', 'superuser']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/--role: "superuser" is not one of reader, writer, steward, admin/);
  });

  it('lists findings across domains with their filters', async () => {
    const run = await lineage(['findings', '--status', 'open', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.complete).toBe(true);
    expect(Array.isArray(body.findings)).toBe(true);
    const bad = await lineage(['findings', '--since', 'yesterday-ish']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
  });

  it('lists alerts and silences by matchers; a malformed silence is refused naming the field', async () => {
    const list = await lineage(['alerts', 'list', '--format', 'json']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(Array.isArray(JSON.parse(list.stdout).alerts)).toBe(true);
    const silenced = await lineage(['alerts', 'silence', '--match', 'domain=sales', '--for', '2h', '--comment', 'maintenance window', '--by', 'alice', '--format', 'json']);
    expect(silenced.stderr).toBe('');
    expect(JSON.parse(silenced.stdout)).toMatchObject({ matchers: [{ name: 'domain', value: 'sales' }], createdBy: 'alice' });
    const bad = await lineage(['alerts', 'silence', '--match', 'colour=blue', '--for', '2h', '--comment', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/matchers\[0\]\.name/);
    expect((await lineage(['alerts', 'silence', '--match', 'domain=sales', '--comment', 'x'])).stderr).toMatch(/a silence needs an end/);
    const ack = await lineage(['alerts', 'ack', 'al_no_such_alert']);
    expect(ack).toMatchObject({ code: 2, stdout: '' });
    expect(ack.stderr).toMatch(/\/api\/v1\/alerts\/al_no_such_alert\/ack: the gateway answered 404/);
  });
});
