/**
 * The explorer's state: the graph drawn so far, node positions, and the expansions that made it. Opening a node or
 * moving in time builds the graph from the expansion list and lays it out with ELK; an expansion fetches only the
 * next page of that node in that direction, merges it, and places the new nodes beside the ones already drawn (in
 * diff mode the graph at both times is rebuilt). The next page of a node the user is paging through (the opened
 * node, and each node and direction just expanded) is fetched ahead, so the next "more" click does not wait for the
 * network. A node's neighbour counts are fetched in the background when it is first drawn with its controls (in view,
 * zoomed in enough), not for every node the graph holds.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { get } from '../api/gateway-api';
import { CountLoader } from './count-loader';
import type { ExplorerActions } from './explorer-actions';
import type { Columns } from './flow-elements';
import { type Direction, ExplorerGraph, type GraphNode, type ImpactPage } from './graph-model';
import { placeNew, type Positions } from './place-new';
import { layout, warmLayout } from './elk-layout';
import { loadTraits } from '../views/traits';

export const PAGE = 25;

interface Expansion {
  id: string;
  direction: Direction;
  pages: number;
}

const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());

export const fetchPage = (id: string, direction: Direction, asOf: number | undefined, cursor?: string, limit = PAGE) =>
  get<ImpactPage>('/api/v1/impact', { nodeId: id, direction, depth: 1, limit, cursor, asOf: iso(asOf) });

/** The graph as the expansions so far make it, at one time. */
const buildGraph = async (center: string, expansions: Expansion[], asOf?: number): Promise<ExplorerGraph> => {
  const g = new ExplorerGraph();
  const head = await get<ImpactPage>('/api/v1/impact', { nodeId: center, direction: 'downstream', depth: 0, limit: 1, asOf: iso(asOf) }).catch(() => undefined);
  const c = head?.nodes[0];
  g.ensure({ id: center, type: c?.type ?? (center.startsWith('job:') ? 'JOB' : 'DATASET'), domains: c?.domains ?? [], hidden: c?.hidden, hiddenCount: c?.hiddenCount });
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A node's one-hop neighbour count. A page served while the gateway's traversal still runs has no total yet: asked
 * again a few times (the finished answer is cached, so a later ask is quick); undefined if it never says.
 */
const countOf = async (id: string, direction: Direction, asOf?: number): Promise<number | undefined> => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const page = await fetchPage(id, direction, asOf, undefined, 1);
    if (page.totalNodes !== null && page.totalNodes !== undefined) return page.totalNodes - 1;
    if (!page.nextCursor) return page.nodes.filter((n) => n.id !== id).length;
    await sleep(150 * 2 ** attempt);
  }
  return undefined;
};

export const sizeOf = (type: string, columns = 0) => ({ width: type === 'DOMAIN_BOX' ? 180 : 240, height: 64 + columns * 20 });

/** What the last layout cost, for the UI bench (bench/ui.bench.ts): its time and how many nodes ELK was given. */
const noteLayout = (ms: number, elkNodes: number) => Object.assign(window, { __lastLayoutMs: ms, __lastLayoutElkNodes: elkNodes });

export interface Explorer {
  graph?: ExplorerGraph;
  positions: Positions;
  /** Bumped on every change of the drawn graph. */
  version: number;
  /** A new graph (another node or time): the canvas fits it to the view. */
  generation: number;
  ready: boolean;
  error?: string;
  columns: Columns;
  highlight: Set<string>;
  actions: ExplorerActions;
  relayout(): void;
}

export const useExplorer = (node: string, asOf: number | undefined, compareAt: number | undefined): Explorer => {
  const [version, setVersion] = useState(0);
  const [rebuilds, setRebuilds] = useState(0);
  const redraw = useCallback(() => setVersion((v) => v + 1), []);
  const st = useRef({
    node: '',
    graph: undefined as ExplorerGraph | undefined,
    positions: {} as Positions,
    generation: 0,
    shown: 0,
    layoutSeq: 0,
    ready: false,
    error: undefined as string | undefined,
    expansions: [] as Expansion[],
    counts: undefined as CountLoader | undefined,
    busy: new Set<string>(),
    columns: {} as Columns,
    highlight: new Set<string>(),
    /** Next pages fetched ahead, by direction, node and cursor; emptied when the graph is rebuilt. */
    ahead: new Map<string, Promise<ImpactPage>>(),
    /** Expansions clicked while the graph was being laid out: run, in the order clicked, once it is (markReady). */
    pending: [] as Array<() => void>,
    asOf,
    compareAt,
  }).current;
  st.asOf = asOf;
  st.compareAt = compareAt;

  const size = (id: string) => sizeOf(st.graph?.nodes.get(id)?.type ?? 'DATASET', st.columns[id]?.length);

  const aheadKey = (id: string, direction: Direction, cursor: string) => `${direction}\u0000${id}\u0000${cursor}`;
  /** Starts fetching the page after the one drawn of a node in a direction, if there is one. */
  const fetchAhead = (n: GraphNode, direction: Direction) => {
    const cursor = n.cursor[direction];
    if (!cursor || st.compareAt !== undefined) return;
    const key = aheadKey(n.id, direction, cursor);
    if (st.ahead.has(key)) return;
    const page = fetchPage(n.id, direction, st.asOf, cursor);
    page.catch(() => st.ahead.get(key) === page && st.ahead.delete(key));
    st.ahead.set(key, page);
  };
  /** The page at a node's cursor: the one fetched ahead if there is one, else from the API now. */
  const nextPage = (n: GraphNode, direction: Direction): Promise<ImpactPage> => {
    const cursor = n.cursor[direction] ?? undefined;
    const key = cursor && aheadKey(n.id, direction, cursor);
    const ahead = key ? st.ahead.get(key) : undefined;
    if (key) st.ahead.delete(key);
    return ahead ?? fetchPage(n.id, direction, st.asOf, cursor);
  };

  /** The graph is laid out: the expansions clicked meanwhile run now (a click during a layout is not lost). */
  const markReady = () => {
    st.ready = true;
    for (const run of st.pending.splice(0)) run();
  };

  /** ELK over the whole graph; the positions replace the old ones when it is the latest request. */
  const relayout = async (g: ExplorerGraph) => {
    const seq = ++st.layoutSeq;
    const input = {
      nodes: [...g.nodes.values()].map((n) => ({ id: n.id, ...sizeOf(n.type, st.columns[n.id]?.length) })),
      edges: [...g.edges.values()].map((e) => ({ id: e.id, from: e.from, to: e.to })),
    };
    const { positions, ms, elkNodes } = await layout(input);
    if (seq !== st.layoutSeq) return false;
    noteLayout(ms, elkNodes);
    st.positions = positions;
    return true;
  };

  useEffect(() => {
    if (!node) return;
    const generation = ++st.generation;
    if (st.node !== node) {
      st.node = node;
      st.expansions = [
        { id: node, direction: 'upstream', pages: 1 },
        { id: node, direction: 'downstream', pages: 1 },
      ];
      st.columns = {};
      st.highlight = new Set();
    }
    st.counts?.stop();
    st.ahead.clear();
    st.pending = []; // clicks on the graph being replaced
    st.ready = false;
    redraw();
    (async () => {
      const at = await buildGraph(node, st.expansions, asOf);
      const g = compareAt === undefined ? at : at.diffWith(await buildGraph(node, st.expansions, compareAt));
      if (generation !== st.generation || !(await relayout(g)) || generation !== st.generation) return;
      st.counts = new CountLoader((id, d) => countOf(id, d, asOf), redraw);
      st.graph = g;
      st.shown = generation;
      markReady();
      st.error = undefined;
      const center = g.nodes.get(node);
      if (center) for (const d of ['upstream', 'downstream'] as const) fetchAhead(center, d);
      redraw();
    })().catch((e: Error) => {
      if (generation !== st.generation) return;
      st.error = e.message;
      redraw();
    });
  }, [node, asOf, compareAt, rebuilds]);

  useEffect(() => {
    warmLayout();
    return () => st.counts?.stop();
  }, []);

  const actions = useMemo<ExplorerActions>(
    () => ({
      expand: (id, direction) => {
        const g = st.graph;
        const n = g?.nodes.get(id);
        const key = `${direction}:${id}`;
        if (!g || !n) return;
        if (!st.ready) {
          st.pending.push(() => actions.expand(id, direction));
          return;
        }
        if (st.busy.has(key) || n.cursor[direction] === null) return;
        const i = st.expansions.findIndex((x) => x.id === id && x.direction === direction);
        if (i < 0) st.expansions.push({ id, direction, pages: 1 });
        else st.expansions[i].pages++;
        if (st.compareAt !== undefined) return setRebuilds((r) => r + 1);
        const generation = st.generation;
        st.busy.add(key);
        nextPage(n, direction)
          .then((page) => {
            if (generation !== st.generation) return;
            const before = new Set(g.nodes.keys());
            const started = performance.now();
            g.addPage(id, direction, page);
            const added = [...g.nodes.keys()].filter((k) => !before.has(k));
            placeNew(st.positions, g, added, id, direction, size);
            if (n.counts[direction] === undefined) st.counts?.request([n]);
            fetchAhead(n, direction);
            (window as unknown as { __lastPlaceMs?: number }).__lastPlaceMs = performance.now() - started;
            redraw();
          })
          .catch((e: Error) => {
            st.error = e.message;
            redraw();
          })
          .finally(() => st.busy.delete(key));
      },
      box: (boxId) => {
        const g = st.graph;
        if (!g?.nodes.has(boxId)) return;
        const rest = boxId.slice('box:'.length);
        const direction: Direction = rest.includes(':downstream:') ? 'downstream' : 'upstream';
        const centerId = rest.slice(0, rest.lastIndexOf(`:${direction}:`));
        const added = g.expandBox(boxId);
        placeNew(st.positions, g, added, centerId, direction, size);
        redraw();
      },
      counts: (id) => {
        const n = st.graph?.nodes.get(id);
        if (n) st.counts?.request([n]);
      },
      columns: (id) => {
        void loadTraits(id).then(async (t) => {
            if (st.columns[id]) {
              const { [id]: _, ...rest } = st.columns;
              st.columns = rest;
            } else st.columns = { ...st.columns, [id]: t.fields };
            const g = st.graph;
            if (!g) return;
            st.ready = false;
            redraw();
            if (await relayout(g)) {
              markReady();
              redraw();
            }
          });
      },
      column: (fieldId) => {
        void Promise.all((['upstream', 'downstream'] as const).map((d) => get<ImpactPage>('/api/v1/impact', { nodeId: fieldId, direction: d, depth: 20, limit: 1000 }).catch(() => undefined))).then((both) => {
          st.highlight = new Set([fieldId, ...both.flatMap((p) => p?.nodes.map((n) => n.id) ?? [])]);
          redraw();
        });
      },
    }),
    [],
  );

  return {
    graph: st.graph,
    positions: st.positions,
    version,
    generation: st.shown,
    ready: st.ready,
    error: st.error,
    columns: st.columns,
    highlight: st.highlight,
    actions,
    relayout: () => {
      const g = st.graph;
      if (!g) return;
      st.ready = false;
      redraw();
      void relayout(g).then((done) => {
        if (!done) return;
        markReady();
        redraw();
      });
    },
  };
};
