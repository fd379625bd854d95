import { say, sleep } from '../hub-output';
import { DEMO_QUERIES, demoEvents } from './demo-mesh';

/**
 * Loads the demo mesh through the gateway's batch endpoint and prints a cross-domain impact answer. `headers`
 * carry the hub's service credential when authentication is on.
 */
export const loadDemo = async (gatewayUrl: string, headers: Record<string, string> = {}): Promise<void> => {
  const events = demoEvents();
  say(`hub: loading the demo mesh: ${events.length} OpenLineage events through ${gatewayUrl}/api/v1/lineage/batch`);
  for (let i = 0; i < events.length; i += 100) {
    const res = await fetch(`${gatewayUrl}/api/v1/lineage/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(events.slice(i, i + 100)),
    });
    if (!res.ok) throw new Error(`demo load failed: ${res.status} ${await res.text()}`);
  }
  // The gateway refreshes each shard's membership filter as its graph grows; wait until it has.
  for (let i = 0; i < 100; i++) {
    const health = (await (await fetch(`${gatewayUrl}/health`)).json()) as { shards: Array<{ state: string; version: number; filterVersion: number }> };
    if (health.shards.every((s) => s.state === 'up' && s.version !== null && s.filterVersion === s.version)) break;
    await sleep(100);
  }
  const url = `${gatewayUrl}/api/v1/impact?nodeId=${encodeURIComponent(DEMO_QUERIES.ordersTable)}&direction=downstream&depth=10`;
  const impact = (await (await fetch(url, { headers })).json()) as any;
  say('');
  say(`Downstream of ${DEMO_QUERIES.ordersTable} (the Sales OLTP orders table), across every domain:`);
  for (const [domain, s] of Object.entries<any>(impact.summary?.byDomain ?? {})) {
    say(`  ${domain.padEnd(10)} ${String(s.datasets).padStart(3)} datasets  ${String(s.jobs).padStart(3)} jobs`);
  }
  say(`  complete: ${impact.complete}  (${impact.stats?.roundTrips} round trips, ${impact.stats?.messages} shard messages)`);
};
