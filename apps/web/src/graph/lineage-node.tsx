/**
 * One node of the explorer: name, domain, kind, neighbour counts with per-direction expand, columns on demand.
 * Memoised (it renders again only when its data object changes, or when it crosses the zoom of detail or the edge of
 * the view), and drawn as a plain labelled box when zoomed out far enough that its buttons could not be read anyway
 * (the center node keeps its controls). Its neighbour counts are asked for when it is in view with its controls:
 * every node of a graph below React Flow's culling size is mounted, in view or not.
 */
import { Handle, Position, useStore } from '@xyflow/react';
import { memo, useContext, useEffect } from 'react';
import { shortName } from '../api/gateway-api';
import { href } from '../router';
import { ExplorerActionsContext } from './explorer-actions';
import { type GraphNode, isRestricted } from './graph-model';

export interface LineageNodeData {
  node: GraphNode;
  /** The node's revision when this data was made (the node object itself is updated in place). */
  rev: number;
  isCenter: boolean;
  columns?: Array<{ name: string; type?: string }>;
  highlighted?: Set<string>;
  [key: string]: unknown;
}

/** Below this zoom a node is drawn without its controls. */
export const DETAIL_ZOOM = 0.3;
/** Below this zoom a node is drawn as an empty box: its name would be a few pixels high, one grey smudge. */
export const NAME_ZOOM = 0.1;

const more = (n: GraphNode, d: 'upstream' | 'downstream') => {
  const total = n.counts[d];
  if (total === undefined) return undefined;
  return Math.max(0, total - n.shown[d]);
};

const Frame = ({ className, children, ...rest }: { className: string; children: React.ReactNode; [k: string]: unknown }) => (
  <div className={className} {...rest}>
    <Handle type="target" position={Position.Left} isConnectable={false} />
    {children}
    <Handle type="source" position={Position.Right} isConnectable={false} />
  </div>
);

interface Props {
  data: LineageNodeData;
  positionAbsoluteX: number;
  positionAbsoluteY: number;
  width?: number;
  height?: number;
}

const LineageNode = ({ data, positionAbsoluteX: x, positionAbsoluteY: y, width = 240, height = 64 }: Props) => {
  const { node } = data;
  const actions = useContext(ExplorerActionsContext);
  const far = useStore((s) => s.transform[2] < DETAIL_ZOOM);
  const nameless = useStore((s) => s.transform[2] < NAME_ZOOM);
  const inView = useStore((s) => {
    const [tx, ty, zoom] = s.transform;
    const left = x * zoom + tx;
    const top = y * zoom + ty;
    return left < s.width && top < s.height && left + width * zoom > 0 && top + height * zoom > 0;
  });
  const isJob = node.type === 'JOB';
  const detailed = (!far || data.isCenter) && node.type !== 'DOMAIN_BOX' && !isRestricted(node);
  useEffect(() => {
    if (detailed && inView && (node.counts.upstream === undefined || node.counts.downstream === undefined)) actions.counts(node.id);
  }, [detailed, inView, node.id]);
  if (node.type === 'DOMAIN_BOX') {
    return (
      <Frame className="node box" data-testid="domain-box">
        <button onClick={() => actions.box(node.id)} title="draw these nodes">
          <strong>{node.domains[0]}</strong>: {node.members?.length} nodes
        </button>
      </Frame>
    );
  }
  if (isRestricted(node)) {
    return (
      <Frame className="node restricted" data-testid="restricted-node" data-id={node.id}>
        restricted{node.hiddenCount ? <span data-testid="restricted-count"> ({node.hiddenCount} nodes)</span> : null}
      </Frame>
    );
  }
  const kind = `node ${isJob ? 'job' : 'dataset'}${data.isCenter ? ' center' : ''}`;
  if (!detailed) {
    return (
      <Frame className={`${kind} compact`} data-testid="graph-node" data-id={node.id} title={node.id}>
        {nameless ? null : <span className="name">{shortName(node.id)}</span>}
      </Frame>
    );
  }
  const up = more(node, 'upstream');
  const down = more(node, 'downstream');
  return (
    <Frame className={kind} data-testid="graph-node" data-id={node.id}>
      <div className="node-head">
        <button className="count" aria-label={`expand upstream of ${node.id}`} disabled={up === 0} onClick={() => actions.expand(node.id, 'upstream')}>
          ↑{node.counts.upstream ?? '…'}
          {up ? <span className="more"> {node.shown.upstream ? `${up} more` : ''}</span> : null}
        </button>
        <a className="name" href={href(isJob ? '/job' : '/dataset', { id: node.id })} title={node.id}>
          {shortName(node.id)}
        </a>
        <button className="count" aria-label={`expand downstream of ${node.id}`} disabled={down === 0} onClick={() => actions.expand(node.id, 'downstream')}>
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
          <button className="link" onClick={() => actions.columns(node.id)} aria-label={`columns of ${node.id}`}>
            columns
          </button>
        )}
      </div>
      {data.columns && (
        <ul className="columns">
          {data.columns.map((c) => {
            const fieldId = `datasetField:${node.id.slice('dataset:'.length)}:${c.name}`;
            return (
              <li key={c.name} className={data.highlighted?.has(fieldId) ? 'hl' : undefined}>
                <button className="link" onClick={() => actions.column(fieldId)}>
                  {c.name}
                </button>{' '}
                <span className="muted small">{c.type}</span>
              </li>
            );
          })}
        </ul>
      )}
    </Frame>
  );
};

export const LineageNodeView = memo(LineageNode);
