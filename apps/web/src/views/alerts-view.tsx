/** Alerts: filters, root cause and affected datasets per alert, acknowledge and silence. */
import { useState } from 'react';
import { get, post } from '../api/gateway-api';
import { href } from '../router';
import { Status, useLoad } from '../use-load';
import { FilterSelect } from '../widgets/filter-select';

const STATUSES = ['', 'firing', 'acknowledged', 'resolved'];
const SEVERITIES = ['', 'critical', 'error', 'warning', 'info'];

export const AlertsView = () => {
  const [status, setStatus] = useState('');
  const [severity, setSeverity] = useState('');
  const [message, setMessage] = useState<string>();
  const { data, error, loading, reload } = useLoad(() => get('/api/v1/alerts', { status, severity }), [status, severity]);
  const alerts: any[] = data?.alerts ?? data?.items ?? [];
  const act = async (what: Promise<unknown>, done: string) => {
    try {
      await what;
      setMessage(done);
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <section>
      <h1>Alerts</h1>
      <div className="filters">
        <FilterSelect label="status" value={status} options={STATUSES} onChange={setStatus} />
        <FilterSelect label="severity" value={severity} options={SEVERITIES} onChange={setSeverity} />
      </div>
      {message && <p role="status">{message}</p>}
      <Status loading={loading} error={error} />
      {alerts.map((a) => {
        const root = a.rootCause?.dataset ?? a.rootCause?.asset ?? a.asset ?? a.dataset;
        const affected: any[] = a.affected ?? [];
        return (
          <article key={a.id} className={`alert ${a.severity}`} data-testid="alert">
            <h2>
              <span className="badge">{a.severity}</span> {a.kind} · {a.status ?? a.state}
            </h2>
            <p>
              Root cause: <strong data-testid="root-cause">{root ? <a href={href('/dataset', { id: root })}>{root}</a> : '—'}</strong>
              {a.rootCause?.domain ? ` (${a.rootCause.domain})` : ''}
            </p>
            {affected.length > 0 && (
              <details open>
                <summary>{affected.length} affected downstream</summary>
                <ul>
                  {affected.map((x, i) => (
                    <li key={i}>
                      <span data-testid="affected">{typeof x === 'string' ? x : (x.asset ?? x.dataset)}</span> {x.domain ? <span className="badge">{x.domain}</span> : null}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <button onClick={() => act(post(`/api/v1/alerts/${encodeURIComponent(a.id)}/ack`, {}), `acknowledged ${a.id}`)}>Acknowledge</button>{' '}
            <button
              onClick={() =>
                act(
                  post('/api/v1/silences', { matchers: [{ name: 'id', value: a.id, isRegex: false }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 2 * 3_600_000).toISOString(), createdBy: 'web', comment: 'silenced from the UI for 2 h' }),
                  `silenced ${a.id} for 2 h`,
                )
              }
            >
              Silence 2 h
            </button>
          </article>
        );
      })}
      {!loading && !error && alerts.length === 0 && <p className="muted">No alerts.</p>}
    </section>
  );
};
