import { Inject, Injectable } from '@nestjs/common';
import { invalidArgument, type NodeId } from '@lineage-hub/model';
import type { SearchV2Response } from '@lineage-hub/federation';
import type { LineageStore, RunRecord } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { requiredString, type QueryParams } from './query-params';

/** OpenSearch's default page: Marquez's v2beta search asks for no size, so it answers at most this many hits. */
const HITS = 10;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The name with every case-insensitive occurrence of the query wrapped in <em>, as OpenSearch's plain highlighter marks it. */
const highlight = (name: string, q: string): string[] => {
  const lower = name.toLowerCase();
  const needle = q.toLowerCase();
  let out = '';
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0 && needle; i = lower.indexOf(needle, at)) {
    out += `${escapeHtml(name.slice(at, i))}<em>${escapeHtml(name.slice(i, i + needle.length))}</em>`;
    at = i + needle.length;
  }
  return [out + escapeHtml(name.slice(at))];
};

/** OpenLineage event type of a run's state (what Marquez indexes with the document). */
const eventType = (run: RunRecord | null) => (run ? (run.state === 'NEW' || run.state === 'OTHER' ? 'OTHER' : run.state) : null);

/**
 * Marquez's `GET /api/v2beta/search/{jobs|datasets}?q=`: `{hits, highlights}`, each hit the document Marquez
 * indexes (jobs: run_id, eventType, name, type, namespace, facets, runFacets; datasets: run_id, eventType, name,
 * namespace, facets, inputFacets, outputFacets) and its highlight (`{name: ["...<em>q</em>..."]}`). The hub
 * matches names (case-insensitive substring) in its own store, newest first; no OpenSearch is needed.
 */
@Injectable()
export class MarquezSearchV2Service {
  constructor(@Inject(LINEAGE_STORE) private readonly store: LineageStore) {}

  async search(index: string, query: QueryParams): Promise<SearchV2Response> {
    if (index !== 'jobs' && index !== 'datasets') throw invalidArgument('index', `must be jobs or datasets, got "${index}"`);
    const q = requiredString(query, 'q');
    if (!q.trim()) throw invalidArgument('q', 'must not be blank');
    const hits = await this.store.search(q, { type: index === 'jobs' ? 'JOB' : 'DATASET', limit: HITS });
    const ids = hits.map((h) => h.nodeId);
    const docs = index === 'jobs' ? await this.jobDocs(ids) : await this.datasetDocs(ids);
    const found = hits.filter((h) => docs.has(h.nodeId));
    return { hits: found.map((h) => docs.get(h.nodeId) as Record<string, unknown>), highlights: found.map((h) => ({ name: highlight(h.name, q) })) };
  }

  private async jobDocs(ids: NodeId[]) {
    const [jobs, latest] = await Promise.all([this.store.getJobs(ids), this.store.latestRuns(ids)]);
    const runs = jobs.map((j) => latest.get(j.id) ?? null);
    return new Map(
      jobs.map((job, i) => [
        job.id,
        {
          run_id: runs[i]?.runId ?? null,
          eventType: eventType(runs[i]),
          name: job.name,
          type: job.type === 'STREAMING' || job.type === 'STREAM' ? 'STREAM' : 'BATCH',
          namespace: job.namespace,
          facets: job.facets ?? {},
          runFacets: runs[i]?.facets ?? {},
        } as Record<string, unknown>,
      ]),
    );
  }

  private async datasetDocs(ids: NodeId[]) {
    const datasets = await this.store.getDatasets(ids);
    const versions = await Promise.all(datasets.map((d) => this.store.listDatasetVersions(d.id, { limit: 1, offset: 0 })));
    const runIds = versions.map((v) => v.items[0]?.runId ?? null);
    const found = new Map((await this.store.getRuns(runIds.filter((id): id is string => !!id))).map((r) => [r.runId, r]));
    const runs = runIds.map((id) => (id ? found.get(id) ?? null : null));
    return new Map(
      datasets.map((ds, i) => [
        ds.id,
        {
          run_id: runIds[i],
          eventType: eventType(runs[i]),
          name: ds.name,
          namespace: ds.namespace,
          facets: ds.facets ?? {},
          inputFacets: {},
          outputFacets: {},
        } as Record<string, unknown>,
      ]),
    );
  }
}
