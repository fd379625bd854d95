/** Findings across domains, filtered by kind and status. */
import { useState } from 'react';
import { get } from '../api/gateway-api';
import { href } from '../router';
import { Status, useLoad } from '../use-load';
import { FilterSelect } from '../widgets/filter-select';

const KINDS = ['', 'undeclared-write', 'undeclared-delete', 'undeclared-read', 'unobserved-output', 'stale', 'stalled-run', 'failed-run', 'missing-input', 'coverage-gap'];
const STATUSES = ['open', 'resolved', ''];

export const FindingsView = () => {
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('open');
  const { data, error, loading } = useLoad(() => get('/api/v1/findings', { kind, status, limit: 200 }), [kind, status]);
  const rows: any[] = data?.findings ?? data?.items ?? [];
  return (
    <section>
      <h1>Findings</h1>
      <div className="filters">
        <FilterSelect label="kind" value={kind} options={KINDS} onChange={setKind} />
        <FilterSelect label="status" value={status} options={STATUSES} onChange={setStatus} />
      </div>
      <Status loading={loading} error={error} />
      {data?.complete === false && <p className="warning">Partial: no answer from {(data.missingDomains ?? []).join(', ')}</p>}
      <table data-testid="findings">
        <thead>
          <tr>
            <th>kind</th>
            <th>domain</th>
            <th>subject</th>
            <th>confidence</th>
            <th>opened</th>
            <th>summary</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.id}>
              <td>{f.kind}</td>
              <td>{f.domain}</td>
              <td>
                {f.job && <a href={href('/job', { id: f.job })}>{f.job}</a>}
                {f.job && f.dataset && ' · '}
                {f.dataset && <a href={href('/dataset', { id: f.dataset })}>{f.dataset}</a>}
                {!f.job && !f.dataset && '—'}
              </td>
              <td>{f.confidence}</td>
              <td>{typeof f.openedAt === 'number' ? new Date(f.openedAt).toISOString() : f.openedAt}</td>
              <td>{f.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};
