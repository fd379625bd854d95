/**
 * The demo's planted truths, end to end: `npm start`'s launcher on a fresh data folder starts real shard
 * processes and the gateway, loads the demo (declared runs, a recorded warehouse log, a tag-scoped freshness
 * policy), and exactly the planted findings are open: the analyst's direct write, the stuck run, the missing
 * input, the table late by its tag policy and the one late by its learned cadence; the dbt model matched through
 * its query comment and the Airflow-labelled BigQuery job matched through labels raise nothing. The start banner
 * prints them, and the gateway routes freshness and policy documents to the owning shard.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoHubConfig, startHub } from '../testing/hub-kit';
import { DEMO_PLANTED_FINDINGS } from '../../apps/hub/src/demo/demo-findings';

jest.setTimeout(240_000);

const dir = mkdtempSync(path.join(os.tmpdir(), 'lineage-hub-demo-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the demo opens exactly its planted findings, prints them in the banner, and routes freshness through the gateway', async () => {
  const { config, ports } = await writeDemoHubConfig(dir);
  const hub = await startHub(['--config', config, '--demo']);
  const out = hub.out();
  try {
    const G = `http://127.0.0.1:${ports[0]}`;
    // npm start is secure by default: the first start's admin token is kept in the data folder
    const token = readFileSync(path.join(dir, 'data', 'auth', 'admin-token'), 'utf8').trim();
    const fetch = (url: string, init: RequestInit = {}) => globalThis.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

    const res = await fetch(`${G}/api/v1/findings?status=open&limit=100`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { findings: Array<{ kind: string; dataset?: string; job?: string; domain: string; evidence: any }>; complete: boolean };
    expect(page.complete).toBe(true);
    const open = page.findings.map((f) => ({ kind: f.kind, subject: f.job ?? f.dataset, domain: f.domain }));
    const key = (f: { kind: string; subject?: string }) => `${f.kind} ${f.subject}`;
    expect(open.map(key).sort()).toEqual(DEMO_PLANTED_FINDINGS.map(key).sort());
    expect(open).toEqual(expect.arrayContaining(DEMO_PLANTED_FINDINGS));

    // the banner names each open finding: kind, subject, domain
    expect(out).toContain(`Open findings (${DEMO_PLANTED_FINDINGS.length}):`);
    for (const f of DEMO_PLANTED_FINDINGS) expect(out).toMatch(new RegExp(`${f.kind}\\s+${f.subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${f.domain}`));

    const byKind = (kind: string) => page.findings.filter((f) => f.kind === kind);
    expect(byKind('undeclared-write')[0].evidence.writes[0]).toMatchObject({ actor: 'JANE_ANALYST', operation: 'UPDATE' });
    const [policyLate, learnedLate] = [...byKind('stale')].sort((a, b) => (a.dataset! < b.dataset! ? -1 : 1));
    expect(policyLate.dataset).toContain('fx_rates');
    expect(policyLate.evidence.source).toBe('policy');
    expect(learnedLate.dataset).toContain('gl_balances');
    expect(learnedLate.evidence.source).toBe('learned');

    // freshness through the gateway, from the owning shard: the tag policy applied to fx_rates
    const fx = DEMO_PLANTED_FINDINGS.find((f) => f.subject.includes('fx_rates'))!.subject;
    const fresh = (await (await fetch(`${G}/api/v1/freshness?dataset=${encodeURIComponent(fx)}`)).json()) as any;
    expect(fresh).toMatchObject({ dataset: fx, complete: true, states: [{ domain: 'finance', status: 'stale', source: 'policy', policy: { tag: 'tier:gold' } }] });

    // policy documents through the gateway: read per domain; a bad body is refused naming the field, nothing applied
    const policies = (await (await fetch(`${G}/api/v1/freshness-policies?domain=finance`)).json()) as any;
    expect(policies).toMatchObject({ domain: 'finance', policies: [{ tag: 'tier:gold', warnAfter: '24h', errorAfter: '48h' }] });
    const bad = await fetch(`${G}/api/v1/freshness-policies?domain=finance`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ policies: [{ tag: 'tier:gold', warnAfter: 'soon' }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('policies[0].warnAfter');
    expect(await (await fetch(`${G}/api/v1/freshness-policies?domain=finance`)).json()).toEqual(policies);
    const noDomain = await fetch(`${G}/api/v1/freshness-policies`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"policies":[]}' });
    expect(noDomain.status).toBe(400);
    expect(await noDomain.text()).toContain('domain');
    const all = (await (await fetch(`${G}/api/v1/freshness-policies`)).json()) as any;
    expect(all).toMatchObject({ complete: true, documents: [{ domain: 'finance' }, { domain: 'marketing', policies: [] }, { domain: 'sales', policies: [] }] });
  } finally {
    hub.child.kill('SIGTERM');
  }
  expect(await hub.exited).toBe(0);
});
