/**
 * The explorer's graph as @xyflow/react nodes and edges. An element whose inputs did not change is handed back as
 * the same object, so React Flow keeps its internal node and the memoised node component does not render again:
 * an expansion renders the nodes it adds and the one it expanded, not the whole graph. Edges take no pointer input
 * (interactionWidth 0: no second, invisible path per edge).
 */
import type { Edge, Node } from '@xyflow/react';
import type { ExplorerGraph } from './graph-model';
import type { LineageNodeData } from './lineage-node';
import type { Positions } from './place-new';

export type Columns = Record<string, Array<{ name: string; type?: string }>>;

interface NodeEntry {
  node: Node;
  inputs: unknown[];
}

const POINTER = { pointerEvents: 'all' } as const;

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class FlowElements {
  private readonly nodeCache = new Map<string, NodeEntry>();
  private readonly edgeCache = new Map<string, { edge: Edge; className: string }>();

  nodes(graph: ExplorerGraph, positions: Positions, centerId: string, columns: Columns, highlighted: Set<string>): Node[] {
    const out: Node[] = [];
    const seen = new Set<string>();
    for (const n of graph.nodes.values()) {
      const p = positions[n.id] ?? { x: 0, y: 0 };
      const cols = columns[n.id];
      const inputs = [n, n.rev, p.x, p.y, cols, cols ? highlighted : undefined, n.id === centerId];
      let entry = this.nodeCache.get(n.id);
      if (!entry || !same(entry.inputs, inputs)) {
        const data: LineageNodeData = { node: n, rev: n.rev, isCenter: n.id === centerId, columns: cols, highlighted: cols ? highlighted : undefined };
        // neither draggable nor selectable, which makes React Flow turn pointer events off: its buttons need them
        entry = { node: { id: n.id, type: 'lineage', position: { x: p.x, y: p.y }, data, draggable: false, selectable: false, style: POINTER }, inputs };
        this.nodeCache.set(n.id, entry);
      }
      seen.add(n.id);
      out.push(entry.node);
    }
    for (const id of this.nodeCache.keys()) if (!seen.has(id)) this.nodeCache.delete(id);
    return out;
  }

  edges(graph: ExplorerGraph, highlighted: Set<string>): Edge[] {
    const datasetOfField = (id: string) => (id.startsWith('datasetField:') ? `dataset:${id.slice('datasetField:'.length, id.lastIndexOf(':'))}` : id);
    const hl = new Set([...highlighted].map(datasetOfField));
    const out: Edge[] = [];
    const seen = new Set<string>();
    for (const e of graph.edges.values()) {
      const provenance = e.provenance ?? 'declared';
      const className = ['prov-' + provenance, e.diff ? `diff-${e.diff}` : '', hl.size && (hl.has(e.from) || hl.has(e.to)) ? 'hl' : ''].filter(Boolean).join(' ');
      let entry = this.edgeCache.get(e.id);
      if (!entry || entry.className !== className) {
        entry = { className, edge: { id: e.id, source: e.from, target: e.to, className, animated: e.diff === 'added', focusable: false, selectable: false, interactionWidth: 0, data: { provenance, diff: e.diff } } };
        this.edgeCache.set(e.id, entry);
      }
      seen.add(e.id);
      out.push(entry.edge);
    }
    for (const id of this.edgeCache.keys()) if (!seen.has(id)) this.edgeCache.delete(id);
    return out;
  }
}
