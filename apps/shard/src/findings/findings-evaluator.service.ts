/**
 * Evaluates this shard's findings with libs/reconcile over its own store. Full: every dataset and job in the
 * history window. Incremental: only what changed since the last mark (jobs whose runs got events, datasets that
 * got writes, and their writers), what has a deadline due, and jobs with open runs; connectors always. The
 * findings changes, freshness states and the new mark are written in one transaction. One evaluation at a time.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Finding, FindingKind, FreshnessState, NodeId } from '@lineage-hub/model';
import {
  applyLifecycle,
  evaluateConnectors,
  evaluateDataset,
  evaluateJob,
  HistorySnapshot,
  type FindingDraft,
  type JobHintIndex,
  unobservedOutputWindowStart,
} from '@lineage-hub/reconcile';
import type { FactRun, LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { writeFact } from './findings-facts';
import { FindingsMetrics } from './findings-metrics.service';
import { FINDINGS_SETTINGS, type FindingsSettings } from './findings-settings.provider';

export type EvaluationMode = 'full' | 'incremental';

export interface EvaluationSummary {
  mode: EvaluationMode;
  evaluatedAt: number;
  datasets: number;
  jobs: number;
  opened: number;
  resolved: number;
  open: number;
  durationMs: number;
}

/** Kinds whose subject is the job (the others are the dataset's, or the connector's when neither is set). */
const JOB_KINDS = new Set<FindingKind>(['undeclared-read', 'unobserved-output', 'stalled-run', 'failed-run', 'missing-input']);

@Injectable()
export class FindingsEvaluator {
  private readonly logger = new Logger(FindingsEvaluator.name);
  private queue: Promise<unknown> = Promise.resolve();
  /** The store's jobs and their hint index, kept between evaluations (re-read by a full one or an unknown job). */
  private jobIds: NodeId[] | null = null;
  private knownJobs = new Set<NodeId>();
  private jobHints: JobHintIndex<NodeId> | null = null;

  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    @Inject(FINDINGS_SETTINGS) private readonly settings: FindingsSettings,
    private readonly metrics: FindingsMetrics,
  ) {}

  /** Runs after any evaluation in progress (evaluations never overlap). */
  evaluate(mode: EvaluationMode, now = Date.now()): Promise<EvaluationSummary> {
    const next = this.queue.then(() => this.run(mode, now));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(requested: EvaluationMode, now: number): Promise<EvaluationSummary> {
    const started = performance.now();
    const fs = this.store.findings;
    const previous = await fs.getMark();
    const mode: EvaluationMode = previous ? requested : 'full';
    const since = now - this.settings.historyMs;
    const policies = (await fs.getPolicies())?.policies ?? [];
    const coverage = await fs.listCoverage(since);

    let runs: FactRun[];
    let writes;
    let datasets: NodeId[];
    let jobs: NodeId[];
    let mark: { eventSeq: number; writeSeq: number };
    if (mode === 'full') {
      mark = await fs.latestMark();
      [runs, writes] = await Promise.all([fs.scanRuns(since), fs.scanWrites(since)]);
      this.rememberJobs(await fs.jobIds());
      datasets = [];
      jobs = [];
    } else {
      const changes = await fs.changesSince(previous!);
      mark = { eventSeq: changes.eventSeq, writeSeq: changes.writeSeq };
      if (!this.jobIds || changes.jobs.some((j) => !this.knownJobs.has(j))) this.rememberJobs(await fs.jobIds());
      const due = await fs.dueDatasets(now);
      const open = await fs.jobsWithOpenRuns();
      const changedOrDue = [...new Set<NodeId>([...changes.datasets, ...due])];
      const jobSet = new Set<NodeId>([...changes.jobs, ...open, ...(await fs.writersOf(changedOrDue))]);
      runs = await fs.runsOfJobs([...jobSet], since);
      const datasetSet = new Set<NodeId>(changedOrDue);
      const changedJobs = new Set<NodeId>(changes.jobs);
      const added: NodeId[] = [];
      for (const r of runs)
        if (changedJobs.has(r.job))
          for (const o of r.outputs)
            if (!datasetSet.has(o)) {
              datasetSet.add(o);
              added.push(o);
            }
      // the writers of every dataset evaluated, so time attribution and learned cadence see all their runs (those
      // of the changed or due datasets are in jobSet already)
      const more = (await fs.writersOf(added)).filter((j) => !jobSet.has(j));
      if (more.length) runs.push(...(await fs.runsOfJobs(more, since)));
      // the other outputs of the jobs re-evaluated: only what those jobs' rules read of them (unobserved-output's
      // recent windows, statements that may name a job), not their whole history
      const cfg = this.settings.rules;
      const outputs = new Set<NodeId>();
      const runsByJob = new Map<NodeId, FactRun[]>();
      for (const r of runs) {
        if (!jobSet.has(r.job)) continue;
        const list = runsByJob.get(r.job);
        if (list) list.push(r);
        else runsByJob.set(r.job, [r]);
        for (const o of r.outputs) if (!datasetSet.has(o)) outputs.add(o);
      }
      let recentSince = Number.MAX_SAFE_INTEGER;
      for (const jobRuns of runsByJob.values()) recentSince = Math.min(recentSince, unobservedOutputWindowStart(jobRuns, cfg.unobservedRuns, cfg.slackMs) ?? recentSince);
      const queryIds = runs.flatMap((r) => r.externalQueryIds);
      const [own, others, named] = await Promise.all([
        fs.writesTo([...datasetSet], since),
        fs.recentOrNamingWritesTo([...outputs], since, recentSince, Object.keys(cfg.actors)),
        fs.writesByQueryIds(queryIds),
      ]);
      writes = [...own, ...others];
      if (named.length) {
        const byId = new Map(writes.map((w) => [`${w.connectorId}|${w.queryId}|${w.dataset}`, w]));
        for (const w of named) byId.set(`${w.connectorId}|${w.queryId}|${w.dataset}`, w);
        writes = [...byId.values()];
      }
      datasets = [...datasetSet];
      jobs = [...jobSet];
    }

    // tag policies need the tags of what is evaluated: all tagged datasets (full) or those in scope (incremental)
    const tags = policies.some((p) => p.tag !== undefined) ? await fs.datasetTags(mode === 'full' ? undefined : datasets) : undefined;
    const snapshot = new HistorySnapshot(
      {
        domain: this.settings.domain,
        writes: writes.map(writeFact),
        runs,
        coverage,
        policies,
        jobs: this.jobIds ?? [],
        ...(this.jobHints && { jobHints: this.jobHints }),
        ...(tags && { tags }),
      },
      this.settings.rules,
      now,
    );
    if (mode === 'full') {
      datasets = snapshot.datasets();
      jobs = snapshot.jobs();
    }
    const drafts: FindingDraft[] = [];
    const freshness: FreshnessState[] = [];
    for (const d of datasets) {
      const e = evaluateDataset(d, snapshot);
      drafts.push(...e.drafts);
      const { level: _level, ...state } = e.freshness;
      freshness.push(state);
    }
    for (const j of jobs) drafts.push(...evaluateJob(j, snapshot));
    drafts.push(...evaluateConnectors(snapshot));

    // incremental: only the open findings of what was evaluated (and the connectors'), the others stay as they are
    const open = await fs.openFindings(mode === 'full' ? undefined : { datasets, jobs });
    const dsSet = new Set<string>(datasets);
    const jobSet = new Set<string>(jobs);
    const inScope = (f: Finding): boolean => {
      if (f.kind.startsWith('undeclared-w') || f.kind === 'undeclared-delete') {
        const at = f.evidence.writes?.[0]?.at;
        if (at !== undefined && at < since) return false; // older than the history read: kept as it is
      }
      if (JOB_KINDS.has(f.kind)) return f.job !== undefined && jobSet.has(f.job);
      if (f.dataset !== undefined) return dsSet.has(f.dataset);
      return true;
    };
    const changes = applyLifecycle({
      domain: this.settings.domain,
      now,
      open: new Map(open.map((f) => [f.key, f])),
      drafts,
      inScope,
      newId: () => randomUUID(),
    });
    await fs.applyEvaluation(changes, freshness, { evaluatedAt: now, ...mark });

    const counts = await fs.countOpenByKind();
    this.metrics.setOpen(counts);
    const durationMs = performance.now() - started;
    this.metrics.duration.observe({ mode }, durationMs / 1000);
    this.metrics.datasets.inc({ mode }, datasets.length);
    this.metrics.jobs.inc({ mode }, jobs.length);
    const summary: EvaluationSummary = {
      mode,
      evaluatedAt: now,
      datasets: datasets.length,
      jobs: jobs.length,
      opened: changes.opened.length,
      resolved: changes.resolved.length,
      open: Object.values(counts).reduce((a, b) => a + (b ?? 0), 0),
      durationMs: Math.round(durationMs),
    };
    this.logger.log({ msg: 'findings evaluated', ...summary });
    return summary;
  }

  private rememberJobs(ids: NodeId[]): void {
    this.jobIds = ids;
    this.knownJobs = new Set(ids);
    this.jobHints = HistorySnapshot.hintIndexOf(ids);
  }
}
