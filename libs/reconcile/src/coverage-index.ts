/**
 * What the connectors covered, per dataset namespace: whether a window was read completely (no recorded gap in
 * it) and how far each connector has read.
 */
import type { CoverageFact } from './reconcile.types';
import { holdShape } from './shape-hold';

interface Span {
  from: number;
  to: number;
}

/** Merge overlapping or touching spans (sorted by from). */
const mergeSpans = (spans: Span[]): Span[] => {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
};

/** A recorded gap no later run of the same connector filled. */
export interface OpenGap {
  connectorId: string;
  namespace: string;
  platform: string;
  from: number;
  to: number;
  reason?: string;
}

/** How far one connector instance has read. */
export interface ConnectorProgress {
  connectorId: string;
  namespace: string;
  platform: string;
  coveredUntil: number;
}

export class CoverageIndex {
  private readonly covered = new Map<string, Span[]>();
  private readonly gaps = new Map<string, Span[]>();
  private readonly until = new Map<string, number>();
  readonly openGaps: OpenGap[] = [];
  readonly connectors: ConnectorProgress[] = [];

  constructor(records: readonly CoverageFact[]) {
    holdShape(this);
    const cov = new Map<string, Span[]>();
    const progress = new Map<string, ConnectorProgress>();
    for (const r of records) {
      const ns = r.namespace.toLowerCase();
      (cov.get(ns) ?? cov.set(ns, []).get(ns)!).push({ from: r.from, to: r.to });
      this.until.set(ns, Math.max(this.until.get(ns) ?? -Infinity, r.to));
      const p = progress.get(r.connectorId);
      if (!p) progress.set(r.connectorId, { connectorId: r.connectorId, namespace: ns, platform: r.platform, coveredUntil: r.to });
      else p.coveredUntil = Math.max(p.coveredUntil, r.to);
      for (const g of r.gaps) {
        // a gap a later run of the same connector read completely (a backfill) is filled
        const filled = records.some(
          (o) => o.connectorId === r.connectorId && o.recordedAt > r.recordedAt && o.from <= g.from && o.to >= g.to && !o.gaps.some((og) => og.from < g.to && og.to > g.from),
        );
        if (filled) continue;
        this.openGaps.push({ connectorId: r.connectorId, namespace: ns, platform: r.platform, from: g.from, to: g.to, reason: g.reason });
        (this.gaps.get(ns) ?? this.gaps.set(ns, []).get(ns)!).push({ from: g.from, to: g.to });
      }
    }
    for (const [ns, spans] of cov) this.covered.set(ns, mergeSpans(spans));
    this.connectors.push(...progress.values());
  }

  /** True when some connector observes some namespace (none: no namespace need be worked out to ask). */
  get observesAny(): boolean {
    return this.covered.size > 0;
  }

  /** True when some connector observes this namespace. */
  observes(namespace: string): boolean {
    return this.covered.has(namespace.toLowerCase());
  }

  /** How far the connectors observing the namespace have read (null: none observes it). */
  coveredUntil(namespace: string): number | null {
    return this.until.get(namespace.toLowerCase()) ?? null;
  }

  /** True when [from, to] was read completely: inside one covered span and touching no recorded gap. */
  complete(namespace: string, from: number, to: number): boolean {
    const ns = namespace.toLowerCase();
    const spans = this.covered.get(ns);
    if (!spans || !spans.some((s) => s.from <= from && s.to >= to)) return false;
    return !(this.gaps.get(ns) ?? []).some((g) => g.from < to && g.to > from);
  }
}
