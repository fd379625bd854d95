/**
 * The lineage explorer: one hop each way from a node, expand per direction with paging, domain boxes for wide
 * fan-out, columns per node with a column's path highlighted end to end, edge style by provenance, an as-of time
 * slider and a diff between two times, and the domains that did not answer.
 */
import { Background, Controls, MiniMap, ReactFlow, useStore } from '@xyflow/react';
import { useMemo, useRef, useState } from 'react';
import { ExplorerActionsContext } from '../graph/explorer-actions';
import { FlowElements } from '../graph/flow-elements';
import { DETAIL_ZOOM, LineageNodeView } from '../graph/lineage-node';
import { useExplorer } from '../graph/use-explorer';
import { go } from '../router';

const nodeTypes = { lineage: LineageNodeView };
/** Above this many nodes the minimap (a second drawing of every node) is left out. */
const MINIMAP_MAX = 150;
/**
 * From this many nodes React Flow draws only the nodes and edges in view. Below it, drawing them all is cheaper:
 * culling re-computes what is in view and re-renders the node list on every pan and zoom frame (the UI bench's bare
 * React Flow page: zoom and pan frames at 549 nodes were slower with culling on than off).
 */
const CULL_MIN = 1000;

/** The dotted background, left out when zoomed out so far that its dots would be a grey blur redrawn every frame. */
const NearBackground = () => (useStore((s) => s.transform[2] < DETAIL_ZOOM) ? null : <Background />);

export const LineageView = ({ node }: { node: string }) => {
  const [input, setInput] = useState(node);
  const [asOf, setAsOf] = useState<number | undefined>();
  const [compareAt, setCompareAt] = useState<number | undefined>();
  const x = useExplorer(node, asOf, compareAt);
  const { graph, ready } = x;
  const elements = useRef(new FlowElements()).current;
  const flowNodes = useMemo(() => (graph ? elements.nodes(graph, x.positions, node, x.columns, x.highlight) : []), [graph, x.version]);
  const flowEdges = useMemo(() => (graph ? elements.edges(graph, x.highlight) : []), [graph, x.version]);

  const now = Date.now();
  const range = 90 * 86_400_000;
  return (
    <section className="explorer">
      <h1>Lineage</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go('/lineage', { node: input });
        }}
      >
        <label htmlFor="node">Node id</label>
        <input id="node" value={input} onChange={(e) => setInput(e.target.value)} placeholder="dataset:namespace:name" />
        <button type="submit">Open</button>
      </form>
      <div className="timebar">
        <label htmlFor="asof">As of</label>
        <input id="asof" type="range" min={now - range} max={now} step={3_600_000} value={asOf ?? now} onChange={(e) => setAsOf(Number(e.target.value) >= now - 3_600_000 ? undefined : Number(e.target.value))} />
        <input aria-label="as of time" type="datetime-local" value={toLocal(asOf)} onChange={(e) => setAsOf(e.target.value ? Date.parse(e.target.value) : undefined)} />
        <label>
          <input type="checkbox" checked={compareAt !== undefined} onChange={(e) => setCompareAt(e.target.checked ? now : undefined)} /> diff against
        </label>
        {compareAt !== undefined && <input aria-label="compare time" type="datetime-local" value={toLocal(compareAt)} onChange={(e) => setCompareAt(e.target.value ? Date.parse(e.target.value) : now)} />}
        <button type="button" onClick={x.relayout} disabled={!ready}>
          Re-layout
        </button>
        <span className="legend">
          <span className="l declared">declared</span> <span className="l observed">observed</span> <span className="l manual">manual</span>
          {compareAt !== undefined && (
            <>
              {' '}
              <span className="l added">added</span> <span className="l removed">removed</span>
            </>
          )}
        </span>
      </div>
      {graph && graph.missingDomains.size > 0 && (
        <p className="warning" role="status" data-testid="missing-domains">
          Partial answer: no answer from {[...graph.missingDomains].join(', ')}
        </p>
      )}
      {graph && graph.hidden > 0 && <p className="muted" data-testid="hidden-count">{graph.hidden} restricted node(s) hidden</p>}
      {graph && compareAt !== undefined && (
        <p className="muted" data-testid="diff-summary">
          {[...graph.edges.values()].filter((e) => e.diff === 'added').length} edge(s) added, {[...graph.edges.values()].filter((e) => e.diff === 'removed').length} removed between the two times
        </p>
      )}
      {x.error && <p className="error">{x.error}</p>}
      {!node && <p className="muted">Open a node from Search, or paste its id.</p>}
      {graph && (
        <ExplorerActionsContext.Provider value={x.actions}>
          <div className="canvas" data-testid="canvas" data-nodes={graph.nodes.size} data-edges={graph.edges.size} data-layout={ready ? 'ready' : 'pending'}>
            <ReactFlow
              key={`${node}:${x.generation}`}
              nodes={flowNodes}
              edges={flowEdges}
              nodeTypes={nodeTypes}
              fitView
              minZoom={0.02}
              onlyRenderVisibleElements={graph.nodes.size >= CULL_MIN}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              edgesFocusable={false}
              nodesFocusable={false}
            >
              <NearBackground />
              <Controls showInteractive={false} />
              {graph.nodes.size <= MINIMAP_MAX && <MiniMap pannable zoomable />}
            </ReactFlow>
          </div>
        </ExplorerActionsContext.Provider>
      )}
    </section>
  );
};

const toLocal = (ms?: number) => {
  if (ms === undefined) return '';
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
