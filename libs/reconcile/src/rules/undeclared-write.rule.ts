/**
 * undeclared-write / undeclared-delete: an observed statement on a dataset that no declared run explains (no run
 * outputting the dataset was running at the time within the slack, and no query-id, job-hint or actor match).
 * DELETE and TRUNCATE are undeclared-delete. Key: kind|dataset|queryId.
 */
import type { NodeId } from '@lineage-hub/model';
import { isRemoval, iso, writeEvidence } from '../evidence';
import type { FindingDraft, RunFact, WriteFact } from '../reconcile.types';
import { attributeWrite, isExplained, RunTimeline, type Attribution, type AttributionContext } from '../write-attribution';

export interface AttributedWrite {
  write: WriteFact;
  attribution: Attribution | null;
}

/** Attribute every statement on the dataset. */
export const attributeWrites = (writes: readonly WriteFact[], outputRuns: readonly RunFact[], ctx: AttributionContext): AttributedWrite[] =>
  attributeWritesOn(writes, new RunTimeline(outputRuns, ctx.now), ctx);

/** attributeWrites over a timeline of the output runs already built. */
export const attributeWritesOn = (writes: readonly WriteFact[], timeline: RunTimeline, ctx: AttributionContext): AttributedWrite[] =>
  writes.map((write) => ({ write, attribution: attributeWrite(write, timeline, ctx) }));

/** The statements on the dataset that nothing explains (attributeWritesOn's null attributions, without the others'). */
export const unexplainedWritesOn = (writes: readonly WriteFact[], timeline: RunTimeline, ctx: AttributionContext): AttributedWrite[] => {
  const out: AttributedWrite[] = [];
  for (let i = 0; i < writes.length; i++) if (!isExplained(writes[i], timeline, ctx)) out.push({ write: writes[i], attribution: null });
  return out;
};

export const undeclaredWrites = (dataset: NodeId, attributed: readonly AttributedWrite[], outputRuns: readonly RunFact[], slackMs: number): FindingDraft[] => {
  const drafts: FindingDraft[] = [];
  for (const { write, attribution } of attributed) {
    if (attribution) continue;
    const kind = isRemoval(write.operation) ? 'undeclared-delete' : 'undeclared-write';
    // a declared writer that ran close to the write makes a timing slip possible: medium, not high
    const near = outputRuns.some((r) => r.startedAt !== null && Math.abs(write.at - r.startedAt) < 4 * slackMs);
    const op = write.operation ?? 'write';
    drafts.push({
      key: `${kind}|${dataset}|${write.queryId}`,
      kind,
      dataset,
      confidence: near ? 'medium' : 'high',
      summary: `${op} on ${dataset} by ${write.actor ?? 'an unknown actor'} at ${iso(write.at)} (query ${write.queryId}): no declared run explains it`,
      evidence: { writes: [writeEvidence(write)] },
    });
  }
  return drafts;
};
