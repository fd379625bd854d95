/** Search across domains: datasets, jobs and their columns, with domain, owner and freshness. */
import { useEffect, useState } from 'react';
import { get, shortName } from '../api/gateway-api';
import { go, href } from '../router';
import { Status, useLoad } from '../use-load';
import { loadTraits, type Traits } from './traits';

interface Hit {
  type: 'DATASET' | 'JOB';
  name: string;
  namespace: string;
  nodeId?: string;
  domains?: string[];
  updatedAt?: string;
}

const idOf = (h: Hit) => h.nodeId ?? `${h.type === 'JOB' ? 'job' : 'dataset'}:${h.namespace}:${h.name}`;

const Row = ({ hit, q }: { hit: Hit; q: string }) => {
  const id = idOf(hit);
  const [traits, setTraits] = useState<Traits>();
  useEffect(() => {
    if (hit.type === 'DATASET') loadTraits(id).then(setTraits, () => undefined);
  }, [id, hit.type]);
  const columns = traits?.fields.filter((f) => q && f.name.toLowerCase().includes(q.toLowerCase())) ?? [];
  return (
    <>
      <tr>
        <td>{hit.type === 'JOB' ? 'job' : 'dataset'}</td>
        <td>
          <a href={href(hit.type === 'JOB' ? '/job' : '/dataset', { id })}>{hit.name}</a>
          <div className="muted small">{hit.namespace}</div>
        </td>
        <td>{(hit.domains ?? []).map((d) => <span key={d} className="badge">{d}</span>)}</td>
        <td>{traits?.owners.join(', ') || '—'}</td>
        <td>{traits?.freshness ? <span className={`fresh ${traits.freshness}`}>{traits.freshness}</span> : '—'}</td>
        <td>
          <a href={href('/lineage', { node: id })}>lineage</a> · <a href={href('/impact', { node: id })}>impact</a>
        </td>
      </tr>
      {columns.map((c) => (
        <tr key={c.name} className="column-hit">
          <td>column</td>
          <td>
            <a href={href('/impact', { node: `datasetField:${hit.namespace}:${hit.name}:${c.name}` })}>
              {shortName(id)}.{c.name}
            </a>{' '}
            <span className="muted small">{c.type}</span>
          </td>
          <td colSpan={4} />
        </tr>
      ))}
    </>
  );
};

export const SearchView = ({ q }: { q: string }) => {
  const [text, setText] = useState(q);
  const { data, error, loading } = useLoad(() => (q ? get<{ results: Hit[]; totalCount: number }>('/api/v1/search', { q, limit: 50 }) : Promise.resolve({ results: [], totalCount: 0 })), [q]);
  return (
    <section>
      <h1>Search</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go('/search', { q: text });
        }}
      >
        <label htmlFor="q">Datasets, jobs, columns</label>
        <input id="q" value={text} onChange={(e) => setText(e.target.value)} placeholder="orders, fct_orders, amount…" autoFocus />
        <button type="submit">Search</button>
      </form>
      <Status loading={loading && !!q} error={error} />
      {data && q && (
        <>
          <p className="muted" data-testid="search-count">
            {data.totalCount ?? data.results.length} result(s) for “{q}”
          </p>
          <table>
            <thead>
              <tr>
                <th>kind</th>
                <th>name</th>
                <th>domains</th>
                <th>owners</th>
                <th>freshness</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.results.map((h) => (
                <Row key={idOf(h)} hit={h} q={q} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};
