import { createHmac } from 'node:crypto';
import { canReadDomain, clearedDomains } from './access-decision';
import type { Principal } from './role.types';

/** What the read layer knows about a node, to decide whether a viewer sees it. */
export interface NodeFacts {
  /** The domain that owns the node (namespace -> domain), or null when unknown. */
  domain: string | null;
  /** Every domain that holds the node (a dataset read across domains); readable when any of them is. */
  domains?: string[];
  /** Classified restricted (a tag rule matched, or its column is restricted). */
  restricted: boolean;
  /** Columns restricted by a column tag (datasets only): hidden from viewers not cleared for the domain. */
  restrictedColumns?: string[];
}

export const HIDDEN_PREFIX = 'hidden:';

/**
 * The redaction rule for one viewer. A node is hidden when it is restricted (by tags, or because its domain is
 * private) and the viewer is not cleared for its domain, or when the viewer may not read its domain at all.
 * Hidden nodes get a per-viewer opaque id (HMAC of viewer and id): stable for that viewer, so traversal still
 * connects, and unlinkable across viewers. `viewer: null` (authentication off) hides nothing.
 */
export class Redactor {
  private readonly cleared: Set<string> | null;

  constructor(
    private readonly viewer: Principal | null,
    private readonly key: string | Buffer,
    private readonly privateDomains: ReadonlySet<string> = new Set(),
  ) {
    this.cleared = viewer ? clearedDomains(viewer) : null;
  }

  get active(): boolean {
    return this.viewer !== null && this.cleared !== null;
  }

  hides(facts: NodeFacts): boolean {
    if (!this.viewer || this.cleared === null) return false;
    const viewer = this.viewer;
    const domains = facts.domains?.length ? facts.domains : facts.domain !== null ? [facts.domain] : [];
    if (domains.length && !domains.some((domain) => canReadDomain(viewer, domain))) return true;
    if (!this.isRestricted(facts)) return false;
    return !this.clearedFor(facts);
  }

  /** Restricted by a tag, or owned by a private domain. */
  isRestricted(facts: NodeFacts): boolean {
    return facts.restricted || (facts.domain !== null && this.privateDomains.has(facts.domain));
  }

  /** Are this dataset's restricted columns hidden from the viewer (not cleared for its domain)? */
  hidesColumns(facts: NodeFacts): boolean {
    return this.viewer !== null && this.cleared !== null && !this.clearedFor(facts);
  }

  private clearedFor(facts: NodeFacts): boolean {
    return this.cleared === null || (facts.domain !== null && this.cleared.has(facts.domain));
  }

  hiddenId(id: string): string {
    const mac = createHmac('sha256', this.key).update(this.viewer?.id ?? '').update('\0').update(id).digest('base64url');
    return HIDDEN_PREFIX + mac.slice(0, 22);
  }
}

export interface RedactedGraph<N, E> {
  nodes: N[];
  edges: E[];
  hiddenCount: number;
}

/**
 * Applies a Redactor to a graph answer: hidden nodes keep only `{id: <opaque>, type: 'hidden'}` (plus whatever
 * `stub` keeps, e.g. distance), edges are renamed to the opaque ids so paths still connect, and the count of hidden
 * nodes is returned for the answer. Generic over the node and edge shapes of each read path.
 */
export function redactGraph<N extends { id: string }, E>(
  graph: { nodes: N[]; edges: E[] },
  redactor: Redactor,
  factsOf: (node: N) => NodeFacts,
  shape: { stub: (node: N, hiddenId: string) => N; renameEdge: (edge: E, rename: (id: string) => string) => E },
): RedactedGraph<N, E> {
  if (!redactor.active) return { ...graph, hiddenCount: 0 };
  const renamed = new Map<string, string>();
  const nodes = graph.nodes.map((node) => {
    if (!redactor.hides(factsOf(node))) return node;
    const hidden = redactor.hiddenId(node.id);
    renamed.set(node.id, hidden);
    return shape.stub(node, hidden);
  });
  if (renamed.size === 0) return { ...graph, hiddenCount: 0 };
  const rename = (id: string) => renamed.get(id) ?? id;
  return { nodes, edges: graph.edges.map((edge) => shape.renameEdge(edge, rename)), hiddenCount: renamed.size };
}
