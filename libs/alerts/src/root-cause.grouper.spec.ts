import type { Finding, NodeId } from '@lineage-hub/model';
import { alertKey } from './alert-key';
import { groupByRootCause, type UpstreamLookup } from './root-cause.grouper';
import { sampleFinding } from './testing/alert.fixture';

/** A lineage graph as edges child -> parents; the lookup answers every ancestor with its distance. */
const lookupFrom = (parents: Record<string, string[]>): UpstreamLookup => async (asset) => {
  const out = new Map<string, number>();
  let frontier = [asset];
  for (let d = 1; frontier.length; d++) {
    const next: string[] = [];
    for (const node of frontier)
      for (const p of parents[node] ?? []) {
        if (out.has(p)) continue;
        out.set(p, d);
        next.push(p);
      }
    frontier = next;
  }
  return [...out].map(([id, distance]) => ({ id, distance }));
};

const A = 'dataset:pg:sales.orders';
const B = 'dataset:sf:MKT.CAMPAIGNS';
const C = 'dataset:bq:fin.revenue';
const D = 'dataset:bq:fin.forecast';
const X = 'dataset:pg:sales.unrelated';
const graph = lookupFrom({ [B]: [A], [C]: [B], [D]: [A] });

describe('groupByRootCause', () => {
  it('a stale source and its stale consumers in two other domains are one root alert listing them', async () => {
    const groups = await groupByRootCause(
      [sampleFinding('f1', A, 'sales'), sampleFinding('f2', B, 'marketing'), sampleFinding('f3', C, 'finance'), sampleFinding('f4', D, 'finance')],
      graph,
    );
    const roots = groups.filter((g) => g.rootKey === null);
    expect(roots).toHaveLength(1);
    expect(roots[0].asset).toBe(A);
    expect(roots[0].affected.map((a) => [a.asset, a.domain])).toEqual([
      [D, 'finance'],
      [C, 'finance'],
      [B, 'marketing'],
    ]);
    const linked = groups.filter((g) => g.rootKey !== null);
    expect(linked.map((g) => g.asset).sort()).toEqual([B, C, D].sort());
    for (const g of linked) expect(g.rootKey).toBe(alertKey('stale', A, 'default'));
  });

  it.each([
    ['only the downstream is open: it is its own root', [sampleFinding('f2', B, 'marketing')], [B]],
    ['unrelated assets stay apart', [sampleFinding('f1', A, 'sales'), sampleFinding('f9', X, 'sales')], [A, X]],
    ['the middle of a chain joins the farthest open ancestor', [sampleFinding('f2', B, 'marketing'), sampleFinding('f3', C, 'finance')], [B]],
  ])('%s', async (_name, findings, roots) => {
    const groups = await groupByRootCause(findings, graph);
    expect(groups.filter((g) => g.rootKey === null).map((g) => g.asset).sort()).toEqual([...roots].sort());
  });

  it('ignores resolved findings and groups two findings with the same key into one', async () => {
    const groups = await groupByRootCause(
      [sampleFinding('f1', A, 'sales', { status: 'resolved' }), sampleFinding('f2', B, 'marketing'), sampleFinding('f2b', B, 'marketing', { openedAt: Date.parse('2026-01-05T07:00:00Z') })],
      graph,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0].findings.map((f) => f.id)).toEqual(['f2', 'f2b']);
  });

  it('a failed job upstream is the root of the stale dataset it feeds', async () => {
    const job = 'job:airflow:etl.load_orders';
    const groups = await groupByRootCause(
      [sampleFinding('r1', A, 'sales', { kind: 'failed-run', dataset: null, job }), sampleFinding('f1', A, 'sales')],
      lookupFrom({ [A]: [job] }),
    );
    const root = groups.find((g) => g.rootKey === null)!;
    expect(root.asset).toBe(job);
    expect(root.kind).toBe('failed-run');
    expect(root.affected.map((a) => a.asset)).toEqual([A]);
  });
});

describe('groupByRootCause on lineage with cycles', () => {
  // two tables feeding each other (a job reads each and writes the other), a consumer of one, and a table upstream
  const P = 'dataset:pg:sales.prices';
  const Q = 'dataset:pg:sales.quotes';
  const R = 'dataset:bq:fin.report';
  const U = 'dataset:pg:sales.upstream';
  const later = { openedAt: Date.parse('2026-01-05T07:00:00.000Z') };

  it('two open assets upstream of each other are one root alert: the one whose finding opened first, then by id', async () => {
    const cycle = lookupFrom({ [P]: [Q], [Q]: [P], [R]: [Q] });
    const groups = await groupByRootCause([sampleFinding('f1', P, 'sales', later), sampleFinding('f2', Q, 'sales'), sampleFinding('f3', R, 'finance')], cycle);
    const roots = groups.filter((g) => g.rootKey === null);
    expect(roots.map((g) => g.asset)).toEqual([Q]);
    expect(roots[0].affected.map((a) => a.asset).sort()).toEqual([P, R].sort());
    for (const g of groups.filter((x) => x.rootKey !== null)) expect(g.rootKey).toBe(alertKey('stale', Q, 'default'));
    // the same findings in another order: the same groups
    const again = await groupByRootCause([sampleFinding('f3', R, 'finance'), sampleFinding('f2', Q, 'sales'), sampleFinding('f1', P, 'sales', later)], cycle);
    expect(again.map((g) => [g.asset, g.rootKey]).sort()).toEqual(groups.map((g) => [g.asset, g.rootKey]).sort());
  });

  it('a cycle below an open asset joins that asset; a job reading what it writes changes nothing', async () => {
    const below = lookupFrom({ [P]: [Q, U], [Q]: [P, U], [U]: [U] });
    const groups = await groupByRootCause([sampleFinding('f1', P, 'sales'), sampleFinding('f2', Q, 'sales'), sampleFinding('f4', U, 'sales')], below);
    expect(groups.filter((g) => g.rootKey === null).map((g) => g.asset)).toEqual([U]);
    expect(groups.find((g) => g.asset === U)!.affected.map((a) => a.asset).sort()).toEqual([P, Q].sort());
  });

  it('an upstream answer cut short (an ancestor whose own ancestors it does not list) leaves the asset its own alert', async () => {
    // R's answer lists Q but not Q's ancestor P: R's farthest open ancestor, Q, is no root (it joins P)
    const cut: Record<string, string[]> = { [R]: [Q], [Q]: [P] };
    const lookup = async (asset: string) => (cut[asset] ?? []).map((id) => ({ id, distance: 1 }));
    const groups = await groupByRootCause([sampleFinding('f1', P, 'sales'), sampleFinding('f2', Q, 'sales'), sampleFinding('f3', R, 'finance')], lookup);
    expect(groups.map((g) => [g.asset, g.rootKey]).sort()).toEqual(
      [
        [P, null],
        [Q, alertKey('stale', P, 'default')],
        [R, null],
      ].sort(),
    );
  });
});

describe('the model Finding is a FindingInput', () => {
  it('groups findings typed as libs/model Finding', async () => {
    const finding: Finding = {
      id: 'f1',
      key: `stale|${A}|learned`,
      kind: 'stale',
      dataset: A as NodeId,
      domain: 'sales',
      status: 'open',
      openedAt: 1,
      resolvedAt: null,
      updatedAt: 1,
      confidence: 'high',
      summary: 'late',
      evidence: { source: 'learned' },
    };
    expect((await groupByRootCause([finding], graph)).map((g) => g.asset)).toEqual([A]);
  });
});
