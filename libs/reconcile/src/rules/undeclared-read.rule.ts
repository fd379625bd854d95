/**
 * undeclared-read: a statement attributed to a declared job (by query id, job hint or actor, never by time
 * alone) read a dataset the job declares as input in none of its runs. Key: undeclared-read|job|dataset.
 */
import type { NodeId } from '@lineage-hub/model';
import { writeEvidence } from '../evidence';
import type { FindingDraft, RunFact } from '../reconcile.types';
import type { AttributedWrite } from './undeclared-write.rule';

const MAX_EVIDENCE = 5;

export const undeclaredReads = (job: NodeId, jobRuns: readonly RunFact[], attributed: readonly AttributedWrite[]): FindingDraft[] => {
  if (attributed.length === 0) return [];
  const declared = new Set<string>();
  for (const r of jobRuns) for (const i of r.inputs) declared.add(i);
  const byInput = new Map<NodeId, AttributedWrite[]>();
  for (const a of attributed) {
    if (!a.attribution || a.attribution.job !== job || a.attribution.via === 'time') continue;
    for (const source of a.write.sources) {
      if (source === a.write.dataset || declared.has(source)) continue;
      (byInput.get(source) ?? byInput.set(source, []).get(source)!).push(a);
    }
  }
  return [...byInput].map(([input, writes]) => ({
    key: `undeclared-read|${job}|${input}`,
    kind: 'undeclared-read' as const,
    job,
    dataset: input,
    confidence: writes.some((w) => w.attribution!.via === 'queryId') ? ('high' as const) : ('medium' as const),
    summary: `${job} read ${input} (${writes.length} statement${writes.length === 1 ? '' : 's'}, matched by ${writes[0].attribution!.via}) but declares no such input`,
    evidence: { input, attributedBy: writes[0].attribution!.via, writes: writes.slice(-MAX_EVIDENCE).map((w) => writeEvidence(w.write)) },
  }));
};
