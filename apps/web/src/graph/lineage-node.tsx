/** One node of the explorer: name, domain, kind, neighbour counts with per-direction expand, columns on demand. */
import { Handle, Position } from '@xyflow/react';
import { shortName } from '../api/gateway-api';
import { href } from '../router';
import { type GraphNode, isRestricted } from './graph-model';

export interface LineageNodeData {
  node: GraphNode;
  isCenter: boolean;
  columns?: Array<{ name: string; type?: string }>;
  highlighted: Set<string>;
  onExpand(id: string, direction: 'upstream' | 'downstream'): void;
  onColumns(id: string): void;
  onColumn(fieldId: string): void;
  onBox(id: string): void;
  [key: string]: unknown;
}

const more = (n: GraphNode, d: 'upstream' | 'downstream') => {
  const total = n.counts[d];
  if (total === undefined) return undefined;
  return Math.max(0, total - n.shown[d]);
};

export const LineageNodeView = ({ data }: { data: LineageNodeData }) => {
  const { node } = data;
  if (node.type === 'DOMAIN_BOX') {
    return (
      <div className="node box" data-testid="domain-box">
        <Handle type="target" position={Position.Left} />
        <button onClick={() => data.onBox(node.id)} title="draw these nodes">
          <strong>{node.domains[0]}</strong>: {node.members?.length} nodes
        </button>
        <Handle type="source" position={Position.Right} />
      </div>
    );
  }
  if (isRestricted(node.id, node.type)) {
    return (
      <div className="node restricted" data-testid="restricted-node">
        <Handle type="target" position={Position.Left} />
        restricted
        <Handle type="source" position={Position.Right} />
      </div>
    );
  }
  const up = more(node, 'upstream');
  const down = more(node, 'downstream');
  const isJob = node.type === 'JOB';
  return (
    <div className={`node ${isJob ? 'job' : 'dataset'}${data.isCenter ? ' center' : ''}`} data-testid="graph-node" data-id={node.id}>
      <Handle type="target" position={Position.Left} />
      <div className="node-head">
        <button className="count" aria-label={`expand upstream of ${node.id}`} disabled={up === 0} onClick={() => data.onExpand(node.id, 'upstream')}>
          ↑{node.counts.upstream ?? '…'}
          {up ? <span className="more"> {node.shown.upstream ? `${up} more` : ''}</span> : null}
        </button>
        <a className="name" href={href(isJob ? '/job' : '/dataset', { id: node.id })} title={node.id}>
          {shortName(node.id)}
        </a>
        <button className="count" aria-label={`expand downstream of ${node.id}`} disabled={down === 0} onClick={() => data.onExpand(node.id, 'downstream')}>
          ↓{node.counts.downstream ?? '…'}
          {down ? <span className="more"> {node.shown.downstream ? `${down} more` : ''}</span> : null}
        </button>
      </div>
      <div className="node-meta">
        <span className="kind">{isJob ? 'job' : 'dataset'}</span>
        {node.domains.map((d) => (
          <span key={d} className="badge">
            {d}
          </span>
        ))}
        {!isJob && (
          <button className="link" onClick={() => data.onColumns(node.id)} aria-label={`columns of ${node.id}`}>
            columns
          </button>
        )}
      </div>
      {data.columns && (
        <ul className="columns">
          {data.columns.map((c) => {
            const fieldId = `datasetField:${node.id.slice('dataset:'.length)}:${c.name}`;
            return (
              <li key={c.name} className={data.highlighted.has(fieldId) ? 'hl' : undefined}>
                <button className="link" onClick={() => data.onColumn(fieldId)}>
                  {c.name}
                </button>{' '}
                <span className="muted small">{c.type}</span>
              </li>
            );
          })}
        </ul>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
};
