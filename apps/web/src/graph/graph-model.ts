/**
 * The explorer's graph as plain data: nodes with their per-direction neighbour counts and paging cursors, edges
 * with provenance, and domain boxes that stand for a fan-out too wide to draw. Pure: the view renders it.
 */
export type Direction = 'upstream' | 'downstream';

export interface ImpactNode {
  id: string;
  type: string;
  domain?: string;
  /** Absent on a node the API hid (its stub keeps only id, type RESTRICTED, hidden, distance). */
  domains?: string[];
  distance: number;
  /** Marked by the API: a node the caller may not see (drawn as "restricted"), with how many it stands for. */
  hidden?: boolean;
  hiddenCount?: number;
}

export interface ImpactEdge {
  from: string;
  to: string;
  kind: string;
  provenance?: string;
  domain?: string;
}

export interface ImpactPage {
  nodes: ImpactNode[];
  edges: ImpactEdge[];
  complete: boolean;
  missingDomains: string[];
  nextCursor: string | null;
  /** Null on a page served while the traversal still runs (the total is not known yet). */
  totalNodes: number | null;
  /** Nodes of the answer the caller may not see (counted, not named). */
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
  /** A domain box: the members it stands for, and the page's edges that reach them. */
  members?: ImpactNode[];
  memberEdges?: ImpactEdge[];
  hidden?: boolean;
  hiddenCount?: number;
  /** Bumped on every change, so the view redraws only the nodes that changed. */
  rev: number;
}

export interface GraphEdge extends ImpactEdge {
  id: string;
  diff?: 'added' | 'removed';
}

/** Fan-out beyond this many neighbours in one expansion collapses into one box per domain. */
export const FANOUT_THRESHOLD = 12;

export const isRestricted = (n: Pick<GraphNode, 'id' | 'type' | 'hidden'>) => n.hidden === true || n.type === 'RESTRICTED' || n.id.startsWith('hidden:') || n.id.startsWith('restricted:');

const typeOfId = (id: string) => (id.startsWith('job:') ? 'JOB' : id.startsWith('datasetField:') ? 'DATASET_FIELD' : 'DATASET');

export class ExplorerGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  readonly missingDomains = new Set<string>();
  hidden = 0;

  ensure(n: Pick<ImpactNode, 'id' | 'type' | 'domains' | 'hidden' | 'hiddenCount'>): GraphNode {
    let node = this.nodes.get(n.id);
    if (!node) {
      node = { id: n.id, type: n.type, domains: n.domains ?? [], counts: {}, shown: { upstream: 0, downstream: 0 }, cursor: {}, rev: 0 };
      if (n.hidden) node.hidden = true;
      if (n.hiddenCount !== undefined) node.hiddenCount = n.hiddenCount;
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
    this.hidden += page.hiddenCount ?? 0;
    const neighbours = page.nodes.filter((n) => n.id !== centerId);
    center.shown[direction] += neighbours.length;
    center.cursor[direction] = page.nextCursor;
    // the count: from the whole answer when the page says it, else exact only on the last page; unknown until then
    // (the explorer asks for it again; meanwhile the expand button stays enabled)
    if (page.totalNodes !== null && page.totalNodes !== undefined) center.counts[direction] = page.totalNodes - 1;
    else if (!page.nextCursor) center.counts[direction] = center.shown[direction];
    else center.counts[direction] = undefined;
    center.rev++;
    const fresh = neighbours.filter((n) => !this.nodes.has(n.id));
    const own = new Set(center.domains);
    const boxed = new Map<string, ImpactNode[]>();
    if (fresh.length > FANOUT_THRESHOLD) {
      for (const n of fresh) {
        if (n.hidden) continue; // drawn as "restricted", never boxed under a domain it does not show
        const domain = n.domains?.[0] ?? n.domain ?? 'unknown';
        if (own.has(domain)) continue;
        boxed.set(domain, [...(boxed.get(domain) ?? []), n]);
      }
    }
    const inBox = new Set([...boxed.values()].flat().map((n) => n.id));
    for (const n of neighbours) if (!inBox.has(n.id)) this.ensure(n);
    // the page's edges run from the center to its nodes, through nodes of other pages (a job between two datasets):
    // those are drawn too, unless they lead only into a box
    const boxedEdges: ImpactEdge[] = [];
    for (const e of page.edges) {
      if (inBox.has(e.from) || inBox.has(e.to)) {
        boxedEdges.push(e);
        continue;
      }
      for (const end of [e.from, e.to]) if (!this.nodes.has(end)) this.ensure({ id: end, type: typeOfId(end), domains: e.domain ? [e.domain] : [] });
      this.addEdge(e);
    }
    for (const [domain, members] of boxed) {
      const id = `box:${centerId}:${direction}:${domain}`;
      const box = this.ensure({ id, type: 'DOMAIN_BOX', domains: [domain] });
      box.members = [...(box.members ?? []), ...members];
      box.memberEdges = [...(box.memberEdges ?? []), ...boxedEdges];
      box.rev++;
      this.addEdge(direction === 'downstream' ? { from: centerId, to: id, kind: 'box' } : { from: id, to: centerId, kind: 'box' });
    }
  }

  /** Replaces a domain box by its members, with the edges of the page they came from; returns the nodes added. */
  expandBox(boxId: string): string[] {
    const box = this.nodes.get(boxId);
    if (!box?.members) return [];
    const before = new Set(this.nodes.keys());
    for (const m of box.members) this.ensure(m);
    this.nodes.delete(boxId);
    for (const [id, e] of this.edges) if (e.from === boxId || e.to === boxId) this.edges.delete(id);
    const members = new Set(box.members.map((m) => m.id));
    for (const e of box.memberEdges ?? []) {
      if (!members.has(e.from) && !members.has(e.to)) continue;
      for (const end of [e.from, e.to]) if (!this.nodes.has(end)) this.ensure({ id: end, type: typeOfId(end), domains: e.domain ? [e.domain] : [] });
      this.addEdge(e);
    }
    return [...this.nodes.keys()].filter((id) => !before.has(id));
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
