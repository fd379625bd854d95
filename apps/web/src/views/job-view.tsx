/** A job: its runs with states and durations (a bar chart), and its inputs and outputs over time. */
import { get, jobPath } from '../api/gateway-api';
import { href } from '../router';
import { Status, useLoad } from '../use-load';
import { DatasetLinks } from '../widgets/dataset-links';

const ms = (r: any) => (r.durationMs ?? (r.startedAt && r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : 0)) as number;

export const JobView = ({ id }: { id: string }) => {
  const { data, error, loading } = useLoad(async () => {
    const [job, runs] = await Promise.all([get(jobPath(id)), get(`${jobPath(id)}/runs`, { limit: 50 })]);
    return { job, runs: (runs.runs ?? []) as any[] };
  }, [id]);
  if (!data) return <Status loading={loading} error={error} />;
  const max = Math.max(1, ...data.runs.map(ms));
  return (
    <section>
      <h1 data-testid="job-name">{data.job.name}</h1>
      <p className="muted">
        {data.job.namespace} · <a href={href('/lineage', { node: id })}>lineage</a>
      </p>
      <div className="io">
        <DatasetLinks title="Inputs" datasets={data.job.inputs} />
        <DatasetLinks title="Outputs" datasets={data.job.outputs} />
      </div>
      <h2>Runs</h2>
      <svg className="runs-chart" role="img" aria-label="run durations" width={Math.max(200, data.runs.length * 14)} height={120} data-testid="runs-chart">
        {[...data.runs].reverse().map((r, i) => {
          const h = Math.max(2, (ms(r) / max) * 100);
          return (
            <rect key={r.id} x={i * 14} y={110 - h} width={10} height={h} className={`run ${String(r.state).toLowerCase()}`}>
              <title>{`${r.state} ${r.startedAt ?? ''} ${ms(r)} ms`}</title>
            </rect>
          );
        })}
      </svg>
      <table data-testid="runs">
        <thead>
          <tr>
            <th>run</th>
            <th>state</th>
            <th>started</th>
            <th>duration</th>
            <th>inputs / outputs</th>
          </tr>
        </thead>
        <tbody>
          {data.runs.map((r) => (
            <tr key={r.id}>
              <td className="small">{r.id}</td>
              <td>{r.state}</td>
              <td>{r.startedAt ?? r.createdAt}</td>
              <td>{ms(r) ? `${(ms(r) / 1000).toFixed(1)} s` : '—'}</td>
              <td className="small">
                {(r.inputDatasetVersions ?? []).length} / {(r.outputDatasetVersions ?? []).length}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};
