/**
 * The generator's planted truths against a full evaluation: every planted finding raised, nothing else, for
 * several seeds. Precision and recall per kind are printed.
 */
import { FINDING_KINDS } from '@lineage-hub/model';
import { evaluateAll } from '../evaluate-all';
import { HistorySnapshot } from '../history-snapshot';
import { reconcileConfig } from '../reconcile.config';
import { generateHistory } from './history-generator';
import { formatOracleReport, scoreAgainstOracle } from './history-oracle';

describe('generated history vs its oracle', () => {
  it.each([1, 7, 42])('seed %i: every planted finding raised, nothing else', (seed) => {
    const history = generateHistory({ seed, weeks: 4 });
    const config = reconcileConfig({ actors: history.actors });
    const raised = history.domains.flatMap((facts) => {
      const drafts = evaluateAll(new HistorySnapshot(facts, config, history.now)).drafts;
      return drafts.map((d) => ({ domain: facts.domain, key: d.key }));
    });
    const report = scoreAgainstOracle(history.planted, raised);
    if (seed === 1) process.stdout.write(`${formatOracleReport(report)}\n`);
    expect({ missed: report.missed, unexpected: report.unexpected }).toEqual({ missed: [], unexpected: [] });
    // every kind is planted at least once
    for (const kind of FINDING_KINDS) expect(report.perKind.find((s) => s.kind === kind)!.planted).toBeGreaterThan(0);
  });

  it('is deterministic per seed', () => {
    const a = generateHistory({ seed: 3, weeks: 2 });
    const b = generateHistory({ seed: 3, weeks: 2 });
    expect(a).toEqual(b);
    // another seed draws another history: other noise, other times
    expect(generateHistory({ seed: 4, weeks: 2 })).not.toEqual(a);
  });
});
