import { say, sleep } from '../hub-output';
import { DEMO_FRESHNESS_POLICIES, demoFindingsEvents, demoObservedWrites } from './demo-findings';
import { DEMO_QUERIES, demoEvents } from './demo-mesh';

export interface DemoShard {
  domain: string;
  /** The shard's HTTP base URL (observed writes go to the shard of the connector's domain, as the worker sends them). */
  url: string;
}

interface OpenFinding {
  kind: string;
  dataset?: string;
  job?: string;
  domain: string;
  summary: string;
}

/** `headers`: the hub's service credential when authentication is on. */
const request = async (url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<any> => {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`demo load failed: ${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
};

/**
 * Loads the demo mesh through the gateway's batch endpoint, the demo's recorded warehouse log into the shards and
 * its freshness policies through the gateway, evaluates findings, and prints a cross-domain impact answer and the
 * open findings. The week of runs and the findings history are placed relative to now.
 */
export const loadDemo = async (gatewayUrl: string, shards: readonly DemoShard[], headers: Record<string, string> = {}, now = Date.now()): Promise<void> => {
  // the mesh's week ends an hour or two before now, so its learned cadences are fresh
  const week = demoEvents({ start: Math.floor(now / 3_600_000) * 3_600_000 - 6 * 86_400_000 - 3 * 3_600_000 });
  const events = [...week, ...demoFindingsEvents(now)];
  say(`hub: loading the demo mesh: ${events.length} OpenLineage events through ${gatewayUrl}/api/v1/lineage/batch`);
  for (let i = 0; i < events.length; i += 100) await request(`${gatewayUrl}/api/v1/lineage/batch`, 'POST', headers, events.slice(i, i + 100));
  const writes = demoObservedWrites(now);
  for (const shard of shards) {
    if (writes[shard.domain]) await request(`${shard.url}/api/v1/observed-writes`, 'POST', headers, writes[shard.domain]);
    const policies = DEMO_FRESHNESS_POLICIES[shard.domain];
    if (policies) await request(`${gatewayUrl}/api/v1/freshness-policies?domain=${encodeURIComponent(shard.domain)}`, 'PUT', headers, policies);
  }
  // The gateway refreshes each shard's membership filter as its graph grows; wait until it has.
  for (let i = 0; i < 100; i++) {
    const health = (await (await fetch(`${gatewayUrl}/health`)).json()) as { shards: Array<{ state: string; version: number; filterVersion: number }> };
    if (health.shards.every((s) => s.state === 'up' && s.version !== null && s.filterVersion === s.version)) break;
    await sleep(100);
  }
  for (const shard of shards) await request(`${shard.url}/api/v1/findings/evaluate?mode=full`, 'POST', headers);

  const url = `${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.ordersTable)}&direction=downstream&depth=10`;
  const impact = (await (await fetch(url, { headers })).json()) as any;
  say('');
  say(`Downstream of ${DEMO_QUERIES.ordersTable} (the Sales OLTP orders table), across every domain:`);
  for (const [domain, s] of Object.entries<any>(impact.summary?.byDomain ?? {})) {
    say(`  ${domain.padEnd(10)} ${String(s.datasets).padStart(3)} datasets  ${String(s.jobs).padStart(3)} jobs`);
  }
  say(`  complete: ${impact.complete}  (${impact.stats?.roundTrips} round trips, ${impact.stats?.messages} shard messages)`);
  await printOpenFindings(gatewayUrl, headers);
};

/** The banner's findings: every open finding across the domains (kind, subject, domain). */
export const printOpenFindings = async (gatewayUrl: string, headers: Record<string, string> = {}): Promise<void> => {
  const page = (await request(`${gatewayUrl}/api/v1/findings?status=open&limit=50`, 'GET', headers)) as { findings: OpenFinding[]; complete: boolean; missingDomains: string[] };
  say('');
  say(`Open findings (${page.findings.length}${page.complete ? '' : `; not answered: ${page.missingDomains.join(', ')}`}):`);
  for (const f of [...page.findings].sort((a, b) => a.domain.localeCompare(b.domain) || a.kind.localeCompare(b.kind))) {
    say(`  ${f.kind.padEnd(18)} ${(f.job ?? f.dataset ?? '').padEnd(72)} ${f.domain}`);
  }
  say(`  details: curl '${gatewayUrl}/api/v1/findings?status=open'`);
};
