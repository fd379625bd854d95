/** Impact: the downstream of a dataset or column as a list grouped by domain, with owners, tiers, freshness and open alerts; CSV export. */
import { useState } from 'react';
import { get, maybe } from '../api/gateway-api';
import type { ImpactPage } from '../graph/graph-model';
import { go, href } from '../router';
import { Status, useLoad } from '../use-load';
import { loadTraits, type Traits } from './traits';

interface Row {
  id: string;
  type: string;
  domain: string;
  distance: number;
  traits?: Traits;
  alerts: number;
}

const datasetOf = (id: string) => (id.startsWith('datasetField:') ? `dataset:${id.slice('datasetField:'.length, id.lastIndexOf(':'))}` : id);

const load = async (node: string, upstream: boolean, depth: number) => {
  const nodes: ImpactPage['nodes'] = [];
  let cursor: string | undefined;
  let page: ImpactPage;
  do {
    page = await get<ImpactPage>('/api/v1/impact', { nodeId: node, direction: upstream ? 'upstream' : 'downstream', depth, limit: 1000, cursor });
    nodes.push(...page.nodes);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && nodes.length < 10_000);
  const alerts: any[] = ((await maybe<any>('/api/v1/alerts', { status: 'firing' }).catch(() => undefined))?.alerts ?? []) as any[];
  const alertCount = (id: string) => alerts.filter((a) => a.dataset === id || a.rootCause?.dataset === id || (a.affected ?? []).some((x: any) => (x.dataset ?? x) === id)).length;
  const rows: Row[] = await Promise.all(
    nodes
      .filter((n) => n.id !== node)
      .map(async (n) =>
        n.hidden
          ? { id: n.id, type: n.type, domain: 'restricted', distance: n.distance, traits: undefined, alerts: 0 }
          : { id: n.id, type: n.type, domain: n.domains?.[0] ?? n.domain ?? 'unknown', distance: n.distance, traits: n.type === 'JOB' ? undefined : await loadTraits(datasetOf(n.id)).catch(() => undefined), alerts: alertCount(datasetOf(n.id)) },
      ),
  );
  return { rows, complete: page.complete, missingDomains: page.missingDomains, truncated: (page as any).truncated };
};

const csv = (rows: Row[]) =>
  ['domain,id,type,distance,owners,tier,freshness,open_alerts', ...rows.map((r) => [r.domain, r.id, r.type, r.distance, (r.traits?.owners ?? []).join(' '), r.traits?.tier ?? '', r.traits?.freshness ?? '', r.alerts].map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','))].join('\n') + '\n';

export const ImpactView = ({ node }: { node: string }) => {
  const [input, setInput] = useState(node);
  const [upstream, setUpstream] = useState(false);
  const [depth, setDepth] = useState(10);
  const { data, error, loading } = useLoad(() => (node ? load(node, upstream, depth) : Promise.resolve(undefined)), [node, upstream, depth]);
  const groups = new Map<string, Row[]>();
  for (const r of data?.rows ?? []) groups.set(r.domain, [...(groups.get(r.domain) ?? []), r]);
  return (
    <section>
      <h1>Impact</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go('/impact', { node: input });
        }}
      >
        <label htmlFor="impact-node">Dataset or column id</label>
        <input id="impact-node" value={input} onChange={(e) => setInput(e.target.value)} />
        <label>
          <input type="checkbox" checked={upstream} onChange={(e) => setUpstream(e.target.checked)} /> upstream
        </label>
        <label>
          depth <input type="number" min={1} max={100} value={depth} onChange={(e) => setDepth(Number(e.target.value) || 1)} className="narrow" />
        </label>
        <button type="submit">Show</button>
      </form>
      <Status loading={loading && !!node} error={error} />
      {data && (
        <>
          <p data-testid="impact-summary">
            {data.rows.length} node(s) in {groups.size} domain(s) {upstream ? 'upstream' : 'downstream'}
            {!data.complete && <strong className="warning"> · partial: no answer from {data.missingDomains.join(', ')}</strong>}{' '}
            <a download="impact.csv" href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv(data.rows))}`}>
              Export CSV
            </a>
          </p>
          {[...groups].map(([domain, rows]) => (
            <div key={domain} className="group" data-testid="impact-domain" data-domain={domain}>
              <h2>
                {domain} <span className="muted">({rows.length})</span>
              </h2>
              <table>
                <thead>
                  <tr>
                    <th>distance</th>
                    <th>node</th>
                    <th>owners</th>
                    <th>tier</th>
                    <th>freshness</th>
                    <th>open alerts</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>{r.distance}</td>
                      <td>
                        <a href={href(r.type === 'JOB' ? '/job' : '/dataset', { id: datasetOf(r.id) })}>{r.id}</a>
                      </td>
                      <td>{r.traits?.owners.join(', ') || '—'}</td>
                      <td>{r.traits?.tier ?? '—'}</td>
                      <td>{r.traits?.freshness ?? '—'}</td>
                      <td>{r.alerts || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </>
      )}
    </section>
  );
};
