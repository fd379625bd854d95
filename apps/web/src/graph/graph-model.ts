/**
 * The explorer's graph as plain data: nodes with their per-direction neighbour counts and paging cursors, edges
 * with provenance, and domain boxes that stand for a fan-out too wide to draw. Pure: the view renders it.
 */
export type Direction = 'upstream' | 'downstream';

export interface ImpactNode {
  id: string;
  type: string;
  domain?: string;
  domains: string[];
  distance: number;
}

export interface ImpactEdge {
  from: string;
  to: string;
  kind: string;
  provenance?: string;
}

export interface ImpactPage {
  nodes: ImpactNode[];
  edges: ImpactEdge[];
  complete: boolean;
  missingDomains: string[];
  nextCursor: string | null;
  /** Null on a page served while the traversal still runs (the total is not known yet). */
  totalNodes: number | null;
  hidden?: number;
  hiddenCount?: number;
}

export interface GraphNode {
  id: string;
  type: string;
  domains: string[];
  /** Neighbours one hop away (undefined until counted). */
  counts: { upstream?: number; downstream?: number };
  /** Neighbours already drawn per direction, and the cursor of the next page. */
  shown: { upstream: number; downstream: number };
  cursor: { upstream?: string | null; downstream?: string | null };
  /** A domain box: the members it stands for. */
  members?: ImpactNode[];
}

export interface GraphEdge extends ImpactEdge {
  id: string;
  diff?: 'added' | 'removed';
}

/** Fan-out beyond this many neighbours in one expansion collapses into one box per domain. */
export const FANOUT_THRESHOLD = 12;

export const isRestricted = (id: string, type?: string) => type === 'RESTRICTED' || id.startsWith('hidden:') || id.startsWith('restricted:');

export class ExplorerGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  readonly missingDomains = new Set<string>();
  hidden = 0;

  ensure(n: Pick<ImpactNode, 'id' | 'type' | 'domains'>): GraphNode {
    let node = this.nodes.get(n.id);
    if (!node) {
      node = { id: n.id, type: n.type, domains: n.domains, counts: {}, shown: { upstream: 0, downstream: 0 }, cursor: {} };
      this.nodes.set(n.id, node);
    }
    return node;
  }

  addEdge(e: ImpactEdge): void {
    const id = `${e.from}->${e.to}`;
    if (!this.edges.has(id)) this.edges.set(id, { ...e, id });
  }

  /**
   * One page of a node's one-hop neighbourhood. Above FANOUT_THRESHOLD new neighbours, those outside the node's
   * own domain go into one box per domain (expandBox draws them one by one).
   */
  addPage(centerId: string, direction: Direction, page: ImpactPage): void {
    const center = this.nodes.get(centerId)!;
    if (!page.complete) page.missingDomains.forEach((d) => this.missingDomains.add(d));
    this.hidden += page.hidden ?? page.hiddenCount ?? 0;
    const neighbours = page.nodes.filter((n) => n.id !== centerId);
    center.shown[direction] += neighbours.length;
    center.cursor[direction] = page.nextCursor;
    // while the traversal runs the total is not known: what is shown so far is a lower bound (the cursor says more)
    center.counts[direction] = page.totalNodes === null ? center.shown[direction] : page.totalNodes - 1;
    const fresh = neighbours.filter((n) => !this.nodes.has(n.id));
    const own = new Set(center.domains);
    const boxed = new Map<string, ImpactNode[]>();
    if (fresh.length > FANOUT_THRESHOLD) {
      for (const n of fresh) {
        const domain = n.domains[0] ?? 'unknown';
        if (own.has(domain)) continue;
        boxed.set(domain, [...(boxed.get(domain) ?? []), n]);
      }
    }
    const inBox = new Set([...boxed.values()].flat().map((n) => n.id));
    for (const n of neighbours) if (!inBox.has(n.id)) this.ensure(n);
    for (const e of page.edges) if (this.nodes.has(e.from) && this.nodes.has(e.to)) this.addEdge(e);
    for (const [domain, members] of boxed) {
      const id = `box:${centerId}:${direction}:${domain}`;
      const box = this.ensure({ id, type: 'DOMAIN_BOX', domains: [domain] });
      box.members = [...(box.members ?? []), ...members];
      this.addEdge(direction === 'downstream' ? { from: centerId, to: id, kind: 'box' } : { from: id, to: centerId, kind: 'box' });
    }
  }

  /** Replaces a domain box by its members, with the edges of the page they came from. */
  expandBox(boxId: string, edges: ImpactEdge[]): void {
    const box = this.nodes.get(boxId);
    if (!box?.members) return;
    for (const m of box.members) this.ensure(m);
    this.nodes.delete(boxId);
    for (const [id, e] of this.edges) if (e.from === boxId || e.to === boxId) this.edges.delete(id);
    for (const e of edges) if (this.nodes.has(e.from) && this.nodes.has(e.to)) this.addEdge(e);
  }

  /** Marks the edges of `other` (the graph at a second time) as added or removed relative to this one. */
  diffWith(other: ExplorerGraph): ExplorerGraph {
    const out = new ExplorerGraph();
    for (const n of [...this.nodes.values(), ...other.nodes.values()]) if (!out.nodes.has(n.id)) out.nodes.set(n.id, { ...n });
    for (const [id, e] of this.edges) out.edges.set(id, other.edges.has(id) ? { ...e } : { ...e, diff: 'removed' });
    for (const [id, e] of other.edges) if (!this.edges.has(id)) out.edges.set(id, { ...e, diff: 'added' });
    this.missingDomains.forEach((d) => out.missingDomains.add(d));
    other.missingDomains.forEach((d) => out.missingDomains.add(d));
    return out;
  }
}
