/**
 * Evaluates this shard's findings with libs/reconcile over its own store. Full: every dataset and job in the
 * history window. Incremental: only what changed since the last mark (jobs whose runs got events, datasets that
 * got writes, and their writers when a new write can change their findings), what has a deadline due, jobs
 * with open runs, and, when new coverage is recorded, the jobs whose unobserved-output waited for it (CoverageWatch);
 * connectors always. The findings changes, freshness states and the new mark are written in one
 * transaction. One evaluation at a time.
 *
 * The facts a full evaluation read stay in memory (FindingsFactsCache, bounded by FINDINGS_CACHE_FACTS) and each
 * incremental evaluation brings them up to date from what changed, so it takes its subjects' facts from memory:
 * the same ones a full evaluation would read, and the due datasets from the freshness states it stored (DueIndex).
 * Cold (a failed evaluation, another process's mark, more facts than the bound), it reads them from the store.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Finding, FindingKind, FreshnessState, NodeId } from '@lineage-hub/model';
import {
  applyLifecycle,
  CoverageIndex,
  evaluateConnectors,
  evaluateDataset,
  evaluateJob,
  HistorySnapshot,
  type FindingDraft,
  type ReconcileSources,
  type JobHintIndex,
  type WriteFact,
} from '@lineage-hub/reconcile';
import type { FactRun, LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { writeFact } from './findings-facts';
import { CachedSources } from './findings-cache-sources';
import { CoverageWatch } from './findings-coverage-watch';
import { DueIndex } from './findings-due-index';
import { FindingsFactsCache } from './findings-facts-cache';
import { incrementalFromCache, incrementalFromStore, type IncrementalInput } from './findings-incremental-facts';
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

const sameMark = (a: { eventSeq: number; writeSeq: number }, b: { eventSeq: number; writeSeq: number }): boolean => a.eventSeq === b.eventSeq && a.writeSeq === b.writeSeq;

/** Writes and runs held between evaluations at most, by default (FINDINGS_CACHE_FACTS). */
export const DEFAULT_CACHE_FACTS = 5_000_000;

@Injectable()
export class FindingsEvaluator {
  private readonly logger = new Logger(FindingsEvaluator.name);
  private queue: Promise<unknown> = Promise.resolve();
  /** The store's jobs and their hint index, kept between evaluations (re-read by a full one or an unknown job). */
  private jobIds: NodeId[] | null = null;
  private knownJobs = new Set<NodeId>();
  private jobHints: JobHintIndex<NodeId> | null = null;
  /** The history window's facts as of the last evaluation (null: cold, or too many to hold: the store is read). */
  private cache: FindingsFactsCache | null = null;
  /** The due datasets of the states this evaluator stored, held with the cache (and dropped with it). */
  private dueIndex: DueIndex | null = null;
  /**
   * The last evaluation's sources (its HistorySnapshot, coverage and policy indexes through them), held until the
   * next one starts or the facts are released: an object of each class the rules read stays alive, so a major gc
   * between two evaluations does not drop their hidden classes and deoptimize the rules (see holdShape).
   */
  private heldSources: ReconcileSources | null = null;
  /** The jobs whose unobserved-output waits for coverage: evaluated again when new coverage is recorded. */
  private readonly coverageWatch = new CoverageWatch();
  /**
   * The policy document the last stored evaluation judged by (JSON; null: none stored by this evaluator yet). An
   * incremental evaluation asked under another document is a full one: a replaced policy changes the expectation
   * of datasets that neither changed nor fell due under the old one.
   */
  private judgedPolicies: string | null = null;

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
    const since = now - this.settings.historyMs;
    // independent reads, sent together (each is a round trip of its own); warm, what changed since the mark the held
    // facts reflect is asked with them, as the stored mark is that one unless another process evaluated meanwhile
    // (then it is asked again from the stored mark)
    const heldMark = requested === 'incremental' ? this.cache?.mark : undefined;
    const early = heldMark ? { changes: fs.changesSince(heldMark), openJobs: fs.jobsWithOpenRuns() } : null;
    early?.changes.catch(() => undefined);
    early?.openJobs.catch(() => undefined);
    const [previous, policyDocument, coverage] = await Promise.all([fs.getMark(), fs.getPolicies(), fs.listCoverage(since)]);
    const policies = policyDocument?.policies ?? [];
    const policyKey = JSON.stringify(policies);
    const policiesReplaced = this.judgedPolicies !== null && this.judgedPolicies !== policyKey;
    const mode: EvaluationMode = previous && !policiesReplaced ? requested : 'full';
    const coverageIndex = new CoverageIndex(coverage);

    // the facts: indexed in a FindingsFactsCache (full: all of them; incremental: the cache brought up to date) or,
    // cold, the incremental scope's facts read from the store into the HistorySnapshot
    let runs: FactRun[] = [];
    let writes: WriteFact[] = [];
    let named: WriteFact[] | null = null;
    let datasets: NodeId[];
    let jobs: NodeId[];
    let mark: { eventSeq: number; writeSeq: number };
    // the cache is held again only once this evaluation is stored (a failed one leaves it unknown what it reflects)
    let index = this.cache;
    let dueIndex = this.dueIndex;
    this.cache = null;
    this.dueIndex = null;
    this.heldSources = null; // (it references the held facts: a full evaluation would hold two sets of them)
    if (mode === 'full') {
      mark = await fs.latestMark();
      const [scannedRuns, scanned] = await Promise.all([fs.scanRuns(since), fs.scanWrites(since)]);
      this.rememberJobs(await fs.jobIds());
      index = FindingsFactsCache.of({ writes: scanned.map(writeFact), runs: scannedRuns }, mark, since, this.maxCachedFacts);
      dueIndex = new DueIndex();
      datasets = index.datasets();
      jobs = index.jobs();
    } else {
      const asked = early && sameMark(previous!, heldMark!);
      const [changes, openJobs] = await Promise.all([asked ? early.changes : fs.changesSince(previous!), early ? early.openJobs : fs.jobsWithOpenRuns()]);
      mark = { eventSeq: changes.eventSeq, writeSeq: changes.writeSeq };
      if (!this.jobIds || changes.jobs.some((j) => !this.knownJobs.has(j))) this.rememberJobs(await fs.jobIds());
      // jobs with open runs are evaluated whatever changed; so are, when coverage is new, those waiting for it
      const recheck = this.coverageWatch.jobsToRecheck(coverage);
      const always = recheck.length ? openJobs.concat(recheck) : openJobs;
      const input: Omit<IncrementalInput, 'due'> = { changes, openJobs: always, since, config: this.settings.rules, coverage: coverageIndex };
      // warm, the due datasets come from the states this evaluator stored; cold, from the store
      const scope = index?.serves(previous!, since) && dueIndex ? await incrementalFromCache(fs, index, { ...input, due: dueIndex.due(now) }) : null;
      if (scope) ({ datasets, jobs, named } = scope);
      else {
        index = null;
        dueIndex = null;
        ({ datasets, jobs, runs, writes } = await incrementalFromStore(fs, { ...input, due: await fs.dueDatasets(now) }));
      }
    }
    // the hint index names every job with runs (the jobs table has them all; a run of another is added)
    const unknown = (index ? jobs : [...new Set(runs.map((r) => r.job))]).filter((j) => !this.knownJobs.has(j));
    if (unknown.length) this.rememberJobs([...(this.jobIds ?? []), ...unknown]);

    // tag policies need the tags of what is evaluated: all tagged datasets (full) or those in scope (incremental)
    const tags = policies.some((p) => p.tag !== undefined) ? await fs.datasetTags(mode === 'full' ? undefined : datasets) : undefined;
    const snapshot = new HistorySnapshot(
      {
        domain: this.settings.domain,
        writes,
        runs,
        coverage,
        coverageIndex,
        policies,
        jobs: this.jobIds ?? [],
        ...(this.jobHints && { jobHints: this.jobHints }),
        ...(tags && { tags }),
      },
      this.settings.rules,
      now,
    );
    const sources: ReconcileSources = index ? new CachedSources(snapshot, index, named) : snapshot;
    // incremental: only the open findings of what was evaluated (and the connectors'), the others stay as they are;
    // asked now, so the store answers while the rules run (nothing else writes findings meanwhile: one evaluation
    // at a time), and awaited once the drafts are made (a rejection is handled there, not left unhandled)
    const openFindings = fs.openFindings(mode === 'full' ? undefined : { datasets, jobs });
    openFindings.catch(() => undefined);
    const drafts: FindingDraft[] = [];
    const freshness: FreshnessState[] = [];
    // (indexed loops, no spread: an incremental evaluation runs these a thousand times, often before they are
    // optimized, where for-of and a spread allocate an iterator result per element)
    for (let i = 0; i < datasets.length; i++) {
      const e = evaluateDataset(datasets[i], sources);
      for (let k = 0; k < e.drafts.length; k++) drafts.push(e.drafts[k]);
      // the stored state: the verdict without its level (built field by field: an object rest is a slow runtime call)
      const v = e.freshness;
      const state: FreshnessState = {
        dataset: v.dataset,
        state: v.state,
        source: v.source,
        status: v.status,
        lastUpdate: v.lastUpdate,
        expectedBy: v.expectedBy,
        usualGapMs: v.usualGapMs,
        updates: v.updates,
        policy: v.policy,
      };
      if (v.escalatesAt !== undefined) state.escalatesAt = v.escalatesAt;
      freshness.push(state);
    }
    for (let i = 0; i < jobs.length; i++) for (const d of evaluateJob(jobs[i], sources)) drafts.push(d);
    for (const d of evaluateConnectors(sources)) drafts.push(d);

    const open = await openFindings;
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
    this.judgedPolicies = policyKey;
    this.coverageWatch.record(mode, jobs, (j) => sources.runsOf(j), coverageIndex, coverage, this.settings.rules);
    this.heldSources = sources;
    if (index?.bounded && dueIndex) {
      dueIndex.record(freshness);
      this.cache = index;
      this.dueIndex = dueIndex;
    }

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

  /** Writes and runs held in memory between evaluations (0: cold, or more than the bound). */
  get cachedFacts(): number {
    return this.cache?.facts ?? 0;
  }

  /** Drops the facts held between evaluations: the next incremental evaluation reads the store (and a full one holds them again). */
  releaseFacts(): void {
    this.cache = null;
    this.dueIndex = null;
    this.heldSources = null;
  }

  private get maxCachedFacts(): number {
    return this.settings.cacheFacts ?? DEFAULT_CACHE_FACTS;
  }

  private rememberJobs(ids: NodeId[]): void {
    this.jobIds = ids;
    this.knownJobs = new Set(ids);
    this.jobHints = HistorySnapshot.hintIndexOf(ids);
  }
}
