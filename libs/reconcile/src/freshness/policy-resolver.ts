/** The policy that applies to a dataset: the most specific match wins (dataset > tag > namespace > domain). */
import type { FreshnessPolicy, NodeId } from '@lineage-hub/model';
import { holdShape } from '../shape-hold';

export interface PolicySubject {
  dataset: NodeId;
  namespace: string;
  /** Most specific first (the dataset's own tags before its columns'): the first tag with a policy wins. */
  tags: readonly string[];
  domain: string;
}

export class PolicyResolver {
  private readonly byDataset = new Map<string, FreshnessPolicy>();
  private readonly byTag = new Map<string, FreshnessPolicy>();
  private readonly byNamespace = new Map<string, FreshnessPolicy>();
  private readonly byDomain = new Map<string, FreshnessPolicy>();

  constructor(policies: readonly FreshnessPolicy[]) {
    holdShape(this);
    for (const p of policies) {
      if (p.dataset) this.byDataset.set(p.dataset, p);
      else if (p.tag) this.byTag.set(p.tag, p);
      else if (p.namespace) this.byNamespace.set(p.namespace.toLowerCase(), p);
      else if (p.domain) this.byDomain.set(p.domain, p);
    }
  }

  /** No policy at all: every subject resolves to null (its namespace and tags need not be worked out). */
  get empty(): boolean {
    return this.byDataset.size === 0 && this.byTag.size === 0 && this.byNamespace.size === 0 && this.byDomain.size === 0;
  }

  resolve(subject: PolicySubject): FreshnessPolicy | null {
    const exact = this.byDataset.get(subject.dataset);
    if (exact) return exact;
    for (const tag of subject.tags) {
      const p = this.byTag.get(tag);
      if (p) return p;
    }
    return this.byNamespace.get(subject.namespace.toLowerCase()) ?? this.byDomain.get(subject.domain) ?? null;
  }
}
