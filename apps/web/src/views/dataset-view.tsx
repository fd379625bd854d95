/** A dataset: schema and versions, the runs that wrote it, observed writes, its freshness model, open findings and alerts. */
import { datasetPath, get, maybe } from '../api/gateway-api';
import { href } from '../router';
import { Status, useLoad } from '../use-load';
import { traitsOf } from './traits';

const t = (v: unknown) => (typeof v === 'number' ? new Date(v).toISOString() : (v as string) ?? '—');

export const DatasetView = ({ id }: { id: string }) => {
  const { data, error, loading } = useLoad(async () => {
    const [dataset, versions, writes, freshness, findings, alerts] = await Promise.all([
      get(datasetPath(id)),
      maybe(`${datasetPath(id)}/versions`, { limit: 20 }),
      maybe('/api/v1/observed-writes', { dataset: id, limit: 50 }),
      maybe('/api/v1/freshness', { dataset: id }),
      maybe('/api/v1/findings', { dataset: id, status: 'open' }),
      maybe('/api/v1/alerts', { status: 'firing' }),
    ]);
    return { dataset, versions, writes, freshness, findings, alerts };
  }, [id]);
  if (!data) return <Status loading={loading} error={error} />;
  const traits = traitsOf(data.dataset, data.freshness);
  const fresh = Array.isArray(data.freshness?.datasets) ? data.freshness.datasets[0] : data.freshness;
  const writes: any[] = data.writes?.writes ?? data.writes?.observedWrites ?? (Array.isArray(data.writes) ? data.writes : []);
  const findings: any[] = data.findings?.findings ?? data.findings?.items ?? [];
  const alerts: any[] = (data.alerts?.alerts ?? []).filter((a: any) => a.dataset === id || a.rootCause?.dataset === id || (a.affected ?? []).some((x: any) => (x.dataset ?? x) === id));
  return (
    <section>
      <h1 data-testid="dataset-name">{data.dataset.name}</h1>
      <p className="muted">
        {data.dataset.namespace} · {(data.dataset.domains ?? []).join(', ')} · owners {traits.owners.join(', ') || '—'} · tier {traits.tier ?? '—'} ·{' '}
        <a href={href('/lineage', { node: id })}>lineage</a> · <a href={href('/impact', { node: id })}>impact</a>
      </p>
      <h2>Schema</h2>
      <table data-testid="schema">
        <tbody>
          {traits.fields.map((f) => (
            <tr key={f.name}>
              <td>{f.name}</td>
              <td className="muted">{f.type}</td>
              <td>
                <a href={href('/impact', { node: `datasetField:${id.slice('dataset:'.length)}:${f.name}` })}>column impact</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Freshness</h2>
      {fresh ? (
        <dl className="facts" data-testid="freshness">
          <dt>state</dt>
          <dd>{fresh.state ?? fresh.model?.state}</dd>
          <dt>last update</dt>
          <dd>{t(fresh.lastUpdate ?? fresh.lastUpdateAt ?? fresh.model?.lastUpdate)}</dd>
          <dt>expected next</dt>
          <dd>{t(fresh.expectedNext ?? fresh.expectedBy ?? fresh.model?.expectedNext)}</dd>
          <dt>usual gap</dt>
          <dd>{fresh.usualGapMs ? `${Math.round(fresh.usualGapMs / 60_000)} min` : (fresh.usualGap ?? '—')}</dd>
          <dt>policy</dt>
          <dd>{fresh.policy ? JSON.stringify(fresh.policy) : (fresh.source ?? 'learned')}</dd>
        </dl>
      ) : (
        <p className="muted">No freshness model yet.</p>
      )}
      <h2>Versions (writing runs)</h2>
      <table>
        <tbody>
          {(data.versions?.versions ?? []).map((v: any) => (
            <tr key={v.version ?? v.createdAt}>
              <td>{v.createdAt}</td>
              <td>{v.createdByRun?.id ?? '—'}</td>
              <td className="muted">{(v.fields ?? []).length} fields</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Observed writes</h2>
      <table data-testid="observed-writes">
        <thead>
          <tr>
            <th>time</th>
            <th>actor</th>
            <th>operation</th>
            <th>rows</th>
            <th>job</th>
          </tr>
        </thead>
        <tbody>
          {writes.map((w, i) => (
            <tr key={w.queryId ?? i}>
              <td>{t(w.time ?? w.at)}</td>
              <td>{w.actor ?? w.user ?? '—'}</td>
              <td>{w.operation ?? '—'}</td>
              <td>{w.rows ?? w.rowCount ?? '—'}</td>
              <td>{w.job ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Open findings</h2>
      <ul data-testid="dataset-findings">
        {findings.map((f) => (
          <li key={f.id}>
            <strong>{f.kind}</strong> {f.summary}
          </li>
        ))}
        {!findings.length && <li className="muted">none</li>}
      </ul>
      <h2>Alerts</h2>
      <ul>
        {alerts.map((a) => (
          <li key={a.id}>
            <a href={href('/alerts', { id: a.id })}>
              {a.severity} {a.kind}
            </a>
          </li>
        ))}
        {!alerts.length && <li className="muted">none</li>}
      </ul>
    </section>
  );
};
