/** Connectors: instances, last runs, a coverage timeline with gaps, run now. */
import { useState } from 'react';
import { get, post } from '../api/gateway-api';
import { Status, useLoad } from '../use-load';

const ts = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN);

const Timeline = ({ runs }: { runs: any[] }) => {
  const windows = runs.flatMap((r) => (r.coverage?.windows ?? []).map((w: any) => ({ from: ts(w.from), to: ts(w.to), gaps: w.gaps ?? [] })));
  const gaps = runs.flatMap((r) => (r.coverage?.gaps ?? []).map((g: any) => ({ from: ts(g.from), to: ts(g.to), reason: g.reason })));
  const all = [...windows, ...gaps].filter((w) => Number.isFinite(w.from) && Number.isFinite(w.to));
  if (!all.length) return <span className="muted">no coverage yet</span>;
  const min = Math.min(...all.map((w) => w.from));
  const max = Math.max(...all.map((w) => w.to));
  const x = (t: number) => ((t - min) / Math.max(1, max - min)) * 300;
  return (
    <svg width={300} height={14} role="img" aria-label="coverage timeline" data-testid="coverage-timeline">
      {windows.map((w, i) => (
        <rect key={`w${i}`} x={x(w.from)} y={2} width={Math.max(1, x(w.to) - x(w.from))} height={10} className="covered" />
      ))}
      {gaps.map((g, i) => (
        <rect key={`g${i}`} x={x(g.from)} y={0} width={Math.max(2, x(g.to) - x(g.from))} height={14} className="gap">
          <title>{`gap: ${g.reason ?? ''}`}</title>
        </rect>
      ))}
    </svg>
  );
};

const ConnectorRow = ({ c, onRun }: { c: any; onRun: (id: string) => void }) => {
  const { data } = useLoad(() => get(`/api/v1/connectors/${encodeURIComponent(c.id)}/runs`, { limit: 20 }), [c.id, c.status?.lastRun?.runId]);
  return (
    <tr data-testid="connector" data-id={c.id}>
      <td>{c.id}</td>
      <td>{c.kind}</td>
      <td>{c.domain}</td>
      <td>{c.status?.lastRun ? `${c.status.lastRun.state}` : '—'}</td>
      <td>
        <Timeline runs={data?.runs ?? []} />
      </td>
      <td>
        <button onClick={() => onRun(c.id)}>Run now</button>
      </td>
    </tr>
  );
};

export const ConnectorsView = () => {
  const { data, error, loading, reload } = useLoad(() => get('/api/v1/connectors'), []);
  const [message, setMessage] = useState<string>();
  const run = async (id: string) => {
    try {
      const r = await post(`/api/v1/connectors/${encodeURIComponent(id)}/runs`);
      setMessage(`run ${r.runId} queued for ${id}`);
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <section>
      <h1>Connectors</h1>
      {message && <p role="status">{message}</p>}
      <Status loading={loading} error={error} />
      <table>
        <thead>
          <tr>
            <th>id</th>
            <th>kind</th>
            <th>domain</th>
            <th>last run</th>
            <th>coverage</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.connectors ?? []).map((c: any) => (
            <ConnectorRow key={c.id} c={c} onRun={run} />
          ))}
        </tbody>
      </table>
    </section>
  );
};
