import { Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { MarquezReadService } from './marquez-read.service';
import { MarquezStatsService } from './marquez-stats.service';

type Q = Record<string, unknown>;

/** Marquez-compatible reads: namespaces, datasets, jobs, runs, search, raw events, the dashboard's stats. */
@Access('read')
@Controller('api/v1')
export class MarquezController {
  constructor(
    private readonly reads: MarquezReadService,
    private readonly dashboard: MarquezStatsService,
  ) {}

  @Get('namespaces')
  namespaces() {
    return this.reads.namespaces();
  }

  @Get('namespaces/:namespace')
  namespace(@Param('namespace') namespace: string) {
    return this.reads.namespace(namespace);
  }

  @Get('namespaces/:namespace/datasets')
  datasets(@Param('namespace') namespace: string, @Query() query: Q) {
    return this.reads.datasets(namespace, query);
  }

  @Get('namespaces/:namespace/datasets/:dataset')
  dataset(@Param('namespace') namespace: string, @Param('dataset') dataset: string) {
    return this.reads.dataset(namespace, dataset);
  }

  @Get('namespaces/:namespace/datasets/:dataset/versions')
  datasetVersions(@Param('namespace') namespace: string, @Param('dataset') dataset: string, @Query() query: Q) {
    return this.reads.datasetVersions(namespace, dataset, query);
  }

  @Get('namespaces/:namespace/jobs')
  jobs(@Param('namespace') namespace: string, @Query() query: Q) {
    return this.reads.jobs(namespace, query);
  }

  @Get('namespaces/:namespace/jobs/:job')
  job(@Param('namespace') namespace: string, @Param('job') job: string) {
    return this.reads.job(namespace, job);
  }

  @Get('namespaces/:namespace/jobs/:job/runs')
  runs(@Param('namespace') namespace: string, @Param('job') job: string, @Query() query: Q) {
    return this.reads.runs(namespace, job, query);
  }

  @Get('jobs')
  allJobs(@Query() query: Q) {
    return this.reads.allJobs(query);
  }

  @Get('stats/:kind')
  stats(@Param('kind') kind: string, @Query() query: Q) {
    return this.dashboard.stats(kind, query);
  }

  @Get('jobs/runs/:id')
  run(@Param('id') id: string) {
    return this.reads.run(id);
  }

  @Get('jobs/runs/:id/facets')
  runFacets(@Param('id') id: string, @Query() query: Q) {
    return this.reads.runFacets(id, query);
  }

  @Get('tags')
  tags() {
    return this.reads.tags();
  }

  @Get('search')
  search(@Query() query: Q) {
    return this.reads.search(query);
  }

  @Get('events/lineage')
  events(@Query() query: Q) {
    return this.reads.events(query);
  }
}
