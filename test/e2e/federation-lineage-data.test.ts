/**
 * The gateway's Marquez lineage graph carries each dataset's and job's full Marquez `data`, as its owning shard
 * gives it (fields, facets, latest run...), plus the holding domains: two real shard processes and a real gateway.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_NAMESPACE_DOMAINS, demoEvents } from '../../apps/hub/src/demo/demo-mesh';
import { type AppProcess, startNode } from '../testing/process-kit';

jest.setTimeout(60_000);


const started = (proc: AppProcess) => proc.waitFor((line) => line.msg === 'shard started' || line.msg === 'gateway listening');

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
};

/**
 * A run's input that another domain owns is named by the owner's dataset version at the gateway (the reading shard
 * only knows its own copy), so the comparison leaves those version ids out; test/integration/marquez-api covers them.
 */
const withoutInputVersions = (data: any): any => {
  const run = (r: any) => r && { ...r, inputDatasetVersions: r.inputDatasetVersions?.map((v: any) => ({ ...v, datasetVersionId: { ...v.datasetVersionId, version: undefined } })) };
  return data && data.latestRun !== undefined ? { ...data, latestRun: run(data.latestRun), latestRuns: data.latestRuns?.map(run) } : data;
};

const DOMAINS = ['sales', 'marketing', 'finance'];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lineage-federation-data-e2e-'));
const procs: ChildProcess[] = [];
const shardUrl: Record<string, string> = {};
let G: string;

beforeAll(async () => {
  const rpcPorts: Record<string, number> = {};
  await Promise.all(
    DOMAINS.map(async (domain) => {
      const shard = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: `sqlite:${path.join(dataDir, domain, 'lineage.db')}`, REDIS_URL: '' });
      procs.push(shard.child);
      const line = await started(shard);
      shardUrl[domain] = line.httpUrl;
      rpcPorts[domain] = line.rpcPort;
    }),
  );
  const gateway = startNode('apps/gateway/src/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${rpcPorts[d]}`).join(','),
    NAMESPACE_DOMAINS: Object.entries(DEMO_NAMESPACE_DOMAINS).map(([ns, d]) => `${ns}=${d}`).join(','),
    FILTER_REFRESH_MS: '200',
    REDIS_URL: '',
  });
  procs.push(gateway.child);
  G = (await started(gateway)).url;
  const events = demoEvents({ filler: 0 });
  const res = await fetch(`${G}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  for (const child of procs) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(procs.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  rmSync(dataDir, { recursive: true, force: true });
});

it('fills every dataset and job node of /api/v1/lineage with the owning shard\'s Marquez data', async () => {
  const nodeId = 'dataset:bigquery:acme-marketing.attribution.channel_attribution';
  const { status, body } = await getJson(`${G}/api/v1/lineage?nodeId=${encodeURIComponent(nodeId)}&depth=2`);
  expect(status).toBe(200);
  expect(body.complete).toBe(true);
  const nodes = body.graph.filter((n: any) => n.type === 'DATASET' || n.type === 'JOB');
  expect(nodes.length).toBeGreaterThan(3);
  const owners = new Set<string>();
  for (const node of nodes) {
    // the owning shard's own lineage graph gives this node's data: the gateway's is the same, plus its domains
    const owner = node.data.domains.length === 1 ? node.data.domains[0] : undefined;
    const candidates = owner ? [owner] : node.data.domains;
    const answers = await Promise.all(candidates.map((d: string) => getJson(`${shardUrl[d]}/api/v1/lineage?nodeId=${encodeURIComponent(node.id)}&depth=0`)));
    const own = answers.map((a) => a.body?.graph?.find((n: any) => n.id === node.id)?.data).filter((d) => d && (node.type === 'JOB' ? d.latestRun !== undefined : Array.isArray(d.fields)));
    const { domains, ...data } = node.data;
    expect(domains.length).toBeGreaterThan(0);
    expect(own.map(withoutInputVersions)).toContainEqual(withoutInputVersions(data));
    if (node.type === 'DATASET') expect(data).toHaveProperty('fields');
    else expect(data).toHaveProperty('latestRun');
    for (const d of domains) owners.add(d);
  }
  expect(owners.size).toBeGreaterThan(1); // the graph crosses domains
  const target = nodes.find((n: any) => n.id === nodeId);
  expect(target.data.fields.map((f: any) => f.name)).toContain('attributed_amount');
});
