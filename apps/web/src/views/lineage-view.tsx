/**
 * The lineage explorer: one hop each way from a node, expand per direction with paging, domain boxes for wide
 * fan-out, columns per node with a column's path highlighted end to end, edge style by provenance, an as-of time
 * slider and a diff between two times, and the domains that did not answer.
 */
import { Background, Controls, type Edge, MiniMap, type Node, ReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { get } from '../api/gateway-api';
import { ExplorerGraph, type Direction, type ImpactPage } from '../graph/graph-model';
import { LineageNodeView, type LineageNodeData } from '../graph/lineage-node';
import { useLayout } from '../graph/use-layout';
import { go } from '../router';
import { loadTraits } from './traits';

const PAGE = 25;
const nodeTypes = { lineage: LineageNodeView };

interface Expansion {
  id: string;
  direction: Direction;
  pages: number;
}

const fetchPage = (id: string, direction: Direction, asOf: number | undefined, cursor?: string) =>
  get<ImpactPage>('/api/v1/impact', { nodeId: id, direction, depth: 1, limit: PAGE, cursor, asOf: asOf === undefined ? undefined : new Date(asOf).toISOString() });

/** The graph as the expansions so far make it, at one time. */
const buildGraph = async (center: string, expansions: Expansion[], asOf?: number): Promise<ExplorerGraph> => {
  const g = new ExplorerGraph();
  const head = await get<ImpactPage>('/api/v1/impact', { nodeId: center, direction: 'downstream', depth: 0, limit: 1, asOf: asOf === undefined ? undefined : new Date(asOf).toISOString() }).catch(() => undefined);
  g.ensure({ id: center, type: head?.nodes[0]?.type ?? (center.startsWith('job:') ? 'JOB' : 'DATASET'), domains: head?.nodes[0]?.domains ?? [] });
  for (const x of expansions) {
    let cursor: string | undefined;
    for (let p = 0; p < x.pages; p++) {
      if (!g.nodes.has(x.id)) break;
      const page = await fetchPage(x.id, x.direction, asOf, cursor).catch(() => undefined);
      if (!page) break;
      g.addPage(x.id, x.direction, page);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
  }
  return g;
};

const SIZE = (n: { type: string }, columns?: number) => ({ width: n.type === 'DOMAIN_BOX' ? 180 : 240, height: 64 + (columns ?? 0) * 20 });

export const LineageView = ({ node }: { node: string }) => {
  const [input, setInput] = useState(node);
  const [expansions, setExpansions] = useState<Expansion[]>([]);
  const [asOf, setAsOf] = useState<number | undefined>();
  const [compareAt, setCompareAt] = useState<number | undefined>();
  const [graph, setGraph] = useState<ExplorerGraph>();
  const [columns, setColumns] = useState<Record<string, Array<{ name: string; type?: string }>>>({});
  const [highlight, setHighlight] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    setExpansions(node ? [{ id: node, direction: 'upstream', pages: 1 }, { id: node, direction: 'downstream', pages: 1 }] : []);
    setColumns({});
    setHighlight(new Set());
  }, [node]);

  useEffect(() => {
    if (!node || !expansions.length) return;
    let live = true;
    (async () => {
      const at = await buildGraph(node, expansions, asOf);
      const g = compareAt === undefined ? at : at.diffWith(await buildGraph(node, expansions, compareAt));
      // one-hop counts of every drawn node, both directions
      await Promise.all(
        [...g.nodes.values()]
          .filter((n) => n.type !== 'DOMAIN_BOX')
          .flatMap((n) =>
            (['upstream', 'downstream'] as const).filter((d) => n.counts[d] === undefined).map(async (d) => {
              const page = await fetchPage(n.id, d, asOf).catch(() => undefined);
              n.counts[d] = page ? (page.totalNodes ?? page.nodes.length) - 1 : 0;
            }),
          ),
      );
      if (live) {
        setGraph(g);
        setVersion((v) => v + 1);
        setError(undefined);
      }
    })().catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [node, expansions, asOf, compareAt]);

  const onExpand = useCallback((id: string, direction: Direction) => {
    setExpansions((xs) => {
      const i = xs.findIndex((x) => x.id === id && x.direction === direction);
      return i < 0 ? [...xs, { id, direction, pages: 1 }] : xs.map((x, k) => (k === i ? { ...x, pages: x.pages + 1 } : x));
    });
  }, []);
  const onColumns = useCallback((id: string) => {
    loadTraits(id).then((t) => setColumns((c) => (c[id] ? (({ [id]: _, ...rest }) => rest)(c) : { ...c, [id]: t.fields })));
  }, []);
  const onColumn = useCallback(async (fieldId: string) => {
    const both = await Promise.all((['upstream', 'downstream'] as const).map((d) => get<ImpactPage>('/api/v1/impact', { nodeId: fieldId, direction: d, depth: 20, limit: 1000 }).catch(() => undefined)));
    setHighlight(new Set([fieldId, ...both.flatMap((p) => p?.nodes.map((n) => n.id) ?? [])]));
  }, []);
  const onBox = useCallback(
    async (boxId: string) => {
      if (!graph) return;
      graph.expandBox(boxId, [...graph.edges.values()]);
      const rest = boxId.slice(4);
      const dir = rest.includes(':downstream:') ? 'downstream' : 'upstream';
      const centerId = rest.slice(0, rest.lastIndexOf(`:${dir}:`));
      const page = await fetchPage(centerId, dir, asOf).catch(() => undefined);
      if (page) for (const e of page.edges) if (graph.nodes.has(e.from) && graph.nodes.has(e.to)) graph.addEdge(e);
      setVersion((v) => v + 1);
    },
    [graph, asOf],
  );

  const layoutInput = useMemo(
    () => ({
      nodes: graph ? [...graph.nodes.values()].map((n) => ({ id: n.id, ...SIZE(n, columns[n.id]?.length) })) : [],
      edges: graph ? [...graph.edges.values()].map((e) => ({ id: e.id, from: e.from, to: e.to })) : [],
    }),
    [version, columns],
  );
  const layoutKey = `${version}:${Object.keys(columns).join(',')}`;
  const { positions, key: laidOut } = useLayout(layoutInput, layoutKey);
  const ready = laidOut === layoutKey;

  const flowNodes: Node[] = graph && ready
    ? [...graph.nodes.values()].map((n) => ({
        id: n.id,
        type: 'lineage',
        position: positions[n.id] ?? { x: 0, y: 0 },
        data: { node: n, isCenter: n.id === node, columns: columns[n.id], highlighted: highlight, onExpand, onColumns, onColumn, onBox } satisfies LineageNodeData,
      }))
    : [];
  const datasetOfField = (id: string) => (id.startsWith('datasetField:') ? `dataset:${id.slice('datasetField:'.length, id.lastIndexOf(':'))}` : id);
  const hlDatasets = new Set([...highlight].map(datasetOfField));
  const flowEdges: Edge[] = graph && ready
    ? [...graph.edges.values()].map((e) => ({
        id: e.id,
        source: e.from,
        target: e.to,
        className: ['prov-' + (e.provenance ?? 'declared'), e.diff ? `diff-${e.diff}` : '', hlDatasets.size && (hlDatasets.has(e.from) || hlDatasets.has(e.to)) ? 'hl' : ''].join(' '),
        animated: e.diff === 'added',
        data: { provenance: e.provenance ?? 'declared', diff: e.diff },
      }))
    : [];

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
      {error && <p className="error">{error}</p>}
      {!node && <p className="muted">Open a node from Search, or paste its id.</p>}
      {graph && (
        <div className="canvas" data-testid="canvas" data-nodes={graph.nodes.size} data-edges={graph.edges.size} data-layout={ready ? 'ready' : 'pending'}>
          <ReactFlow key={laidOut} nodes={flowNodes} edges={flowEdges} nodeTypes={nodeTypes} fitView minZoom={0.05} onlyRenderVisibleElements>
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
      )}
    </section>
  );
};

const toLocal = (ms?: number) => {
  if (ms === undefined) return '';
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};
