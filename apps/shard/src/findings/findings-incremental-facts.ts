/**
 * What an incremental evaluation evaluates and the facts it needs for that: the datasets that got writes or have
 * a deadline due (and the outputs of the jobs whose runs changed), the jobs whose runs changed, that have a run
 * open or that write those datasets; with every write and run a full evaluation would read for those subjects.
 * Taken from the facts cache when it is warm (the rules then read the facts from it), read from the store otherwise.
 * Warm, a writer of a written dataset is evaluated only when one of the new writes can change its findings
 * (writeConcernsWriter: it may name a job, or a connector observes the dataset and the write falls in the window of
 * one of the writer's last runs); cold, always.
 */
import type { NodeId, ObservedWrite } from '@lineage-hub/model';
import { runForQuery, unobservedOutputWindowStart, writeConcernsWriter, type CoverageIndex, type ReconcileConfig, type WriteFact } from '@lineage-hub/reconcile';
import type { FactRun, FindingsChangesSince, FindingsStore } from '@lineage-hub/store';
import type { FindingsFactsCache } from './findings-facts-cache';
import { writeFact } from './findings-facts';

export interface IncrementalFacts {
  datasets: NodeId[];
  jobs: NodeId[];
  runs: FactRun[];
  writes: WriteFact[];
}

export interface IncrementalInput {
  changes: FindingsChangesSince;
  /** Datasets whose expected update is due. */
  due: readonly NodeId[];
  /** Jobs evaluated whatever changed: those with a run still open (and those whose unobserved-output waits for new coverage). */
  openJobs: readonly NodeId[];
  since: number;
  config: ReconcileConfig;
  /** The connectors' coverage (what decides whether a new write concerns the jobs that output its dataset). */
  coverage: CoverageIndex;
}

const writeKey = (w: WriteFact) => `${w.connectorId}|${w.queryId}|${w.dataset}`;

/** The writes the runs' external query ids name (at or after `since`, as a full read), beside the others, each once. */
const withNamedWrites = async (fs: FindingsStore, runs: readonly FactRun[], writes: WriteFact[], since: number): Promise<WriteFact[]> => {
  const queryIds = runs.flatMap((r) => r.externalQueryIds);
  if (!queryIds.length) return writes;
  const named = (await fs.writesByQueryIds(queryIds)).filter((w) => w.writtenAt >= since);
  if (!named.length) return writes;
  const byKey = new Map(writes.map((w) => [writeKey(w), w]));
  for (const w of named) {
    const f = writeFact(w);
    if (!byKey.has(writeKey(f))) byKey.set(writeKey(f), f);
  }
  return [...byKey.values()];
};

const addWriters = (cache: FindingsFactsCache, dataset: NodeId, into: Set<NodeId>): void => {
  const runs = cache.runsOutputting(dataset);
  for (let k = 0; k < runs.length; k++) into.add(runs[k].job);
};

const addConcernedWriters = (cache: FindingsFactsCache, w: WriteFact, input: IncrementalInput, into: Set<NodeId>): void => {
  const runs = cache.runsOutputting(w.dataset);
  const asked: NodeId[] = []; // a writer's runs repeat in the list: each writer asked once
  for (let k = 0; k < runs.length; k++) {
    const job = runs[k].job;
    if (into.has(job) || asked.includes(job)) continue;
    asked.push(job);
    if (writeConcernsWriter(w, cache.runsOf(job), cache.runsByQueryId, input.config, input.coverage)) into.add(job);
  }
};

/** What an incremental evaluation over the cache evaluates, and the writes its jobs' runs name by query id. */
export interface CachedScope {
  datasets: NodeId[];
  jobs: NodeId[];
  named: WriteFact[];
}

/**
 * The subjects, from the cache brought up to date first (the new writes, and the runs of the jobs that got events,
 * re-read). Null when the cache outgrew its bound: it is then of no use and the caller reads the store.
 */
export const incrementalFromCache = async (fs: FindingsStore, cache: FindingsFactsCache, input: IncrementalInput): Promise<CachedScope | null> => {
  const { changes, since } = input;
  const changedRuns = await fs.runsOfJobs(changes.jobs, since);
  // the outputs of the changed jobs' runs, before and after (a run's outputs may change with its events)
  // (indexed loops: this runs once per evaluation, so unoptimized, where for-of allocates a result per element)
  const changedOrDue = changes.datasets.concat(input.due);
  const touched = new Set<NodeId>(changedOrDue);
  for (const d of changes.described) touched.add(d); // (tags: the policy that applies may have changed)
  for (const j of changes.jobs) for (const r of cache.runsOf(j)) for (const o of r.outputs) touched.add(o);
  for (const r of changedRuns) for (const o of r.outputs) touched.add(o);
  const fresh = changes.writes.map(writeFact);
  if (!cache.update({ eventSeq: changes.eventSeq, writeSeq: changes.writeSeq }, since, fresh, changes.jobs, changedRuns)) return null;

  // what a full evaluation would evaluate of these: datasets with writes or output runs in the window, jobs with
  // runs; the jobs: those whose runs changed or are open, that write the datasets, or that the new writes name
  const datasets: NodeId[] = [];
  touched.forEach((d) => {
    if (cache.hasDataset(d)) datasets.push(d);
  });
  const jobSet = new Set<NodeId>(changes.jobs);
  for (let i = 0; i < input.openJobs.length; i++) jobSet.add(input.openJobs[i]);
  // a writer of a written dataset only when one of the new writes can change what its rules find (most new writes
  // name no job and, under a connector's coverage, fall outside its last runs' windows: their dataset's own rules
  // are what they change); the writers of a due dataset as before
  for (let i = 0; i < fresh.length; i++) if (fresh[i].at >= since) addConcernedWriters(cache, fresh[i], input, jobSet);
  for (let i = 0; i < input.due.length; i++) addWriters(cache, input.due[i], jobSet);
  for (let i = 0; i < fresh.length; i++) {
    const r = runForQuery(cache.runsByQueryId, fresh[i].queryId, fresh[i].rootQueryId);
    if (r) jobSet.add(r.job);
  }
  const jobs: NodeId[] = [];
  jobSet.forEach((j) => {
    if (cache.hasJob(j)) jobs.push(j);
  });
  const queryIds: string[] = [];
  for (const j of jobs) for (const r of cache.runsOf(j)) for (const q of r.externalQueryIds) queryIds.push(q);
  const named = queryIds.length ? (await fs.writesByQueryIds(queryIds)).filter((w) => w.writtenAt >= since).map(writeFact) : [];
  return { datasets, jobs, named };
};

/**
 * Of `datasets`, those a full evaluation evaluates: with a write, or a declared run outputting them, in the window;
 * the runs of their writers not in `runs` yet are added to it (what their time attribution and cadence read).
 */
const describedWithHistory = async (fs: FindingsStore, datasets: readonly NodeId[], runs: FactRun[], since: number): Promise<{ datasets: NodeId[]; writers: Set<NodeId> }> => {
  if (!datasets.length) return { datasets: [], writers: new Set() };
  const known = new Set<NodeId>(runs.map((r) => r.job));
  const [written, writers] = await Promise.all([fs.writesTo(datasets, since), fs.writersOf(datasets)]);
  const fetched = writers.filter((j) => !known.has(j));
  if (fetched.length) runs.push(...(await fs.runsOfJobs(fetched, since)));
  const withHistory = new Set<NodeId>(written.map((w) => w.dataset));
  for (const r of runs) for (const o of r.outputs) withHistory.add(o);
  return { datasets: datasets.filter((d) => withHistory.has(d)), writers: new Set(writers) };
};

/** From the store: the subjects' runs and writes by indexed reads (what the jobs' rules read of their other outputs only). */
export const incrementalFromStore = async (fs: FindingsStore, input: IncrementalInput): Promise<IncrementalFacts> => {
  const { changes, since, config: cfg } = input;
  const changedOrDue = [...new Set<NodeId>([...changes.datasets, ...input.due])];
  const jobSet = new Set<NodeId>([...changes.jobs, ...input.openJobs, ...(await fs.writersOf(changedOrDue))]);
  const runs = await fs.runsOfJobs([...jobSet], since);
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
  // and the datasets that events without a run described (their tags may have changed): those with history in the
  // window, as a full evaluation evaluates them
  const described = await describedWithHistory(fs, changes.described.filter((d) => !datasetSet.has(d)), runs, since);
  for (const d of described.datasets) {
    datasetSet.add(d);
    added.push(d);
  }
  const more = (await fs.writersOf(added)).filter((j) => !jobSet.has(j) && !described.writers.has(j));
  if (more.length) runs.push(...(await fs.runsOfJobs(more, since)));
  // the other outputs of the jobs re-evaluated: only what those jobs' rules read of them (unobserved-output's
  // recent windows, statements that may name a job), not their whole history
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
  const [own, others] = await Promise.all([fs.writesTo([...datasetSet], since), fs.recentOrNamingWritesTo([...outputs], since, recentSince, Object.keys(cfg.actors))]);
  const writes = [...own, ...others].map((w: ObservedWrite) => writeFact(w));
  return { datasets: [...datasetSet], jobs: [...jobSet], runs, writes: await withNamedWrites(fs, runs, writes, since) };
};
