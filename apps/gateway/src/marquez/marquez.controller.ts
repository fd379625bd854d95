import { Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { MarquezDashboardService } from './marquez-dashboard.service';
import { MarquezFederationService } from './marquez-federation.service';

type Q = Record<string, string>;

/** Marquez-compatible reads, answered across every shard. */
@Access('read')
@Controller('api/v1')
export class MarquezController {
  constructor(
    private readonly marquez: MarquezFederationService,
    private readonly dashboard: MarquezDashboardService,
  ) {}

  @Get('namespaces')
  namespaces() {
    return this.marquez.namespaces();
  }

  @Get('namespaces/:namespace')
  namespace(@Param('namespace') namespace: string) {
    return this.marquez.namespace(namespace);
  }

  @Get('namespaces/:namespace/datasets')
  datasets(@Param('namespace') namespace: string, @Query() q: Q) {
    return this.marquez.datasets(namespace, q);
  }

  @Get('namespaces/:namespace/datasets/:name')
  dataset(@Param('namespace') namespace: string, @Param('name') name: string) {
    return this.marquez.dataset(namespace, name);
  }

  @Get('namespaces/:namespace/datasets/:name/versions')
  datasetVersions(@Param('namespace') namespace: string, @Param('name') name: string, @Query() q: Q) {
    return this.marquez.datasetVersions(namespace, name, q);
  }

  @Get('namespaces/:namespace/jobs')
  jobs(@Param('namespace') namespace: string, @Query() q: Q) {
    return this.marquez.jobs(namespace, q);
  }

  @Get('namespaces/:namespace/jobs/:name')
  job(@Param('namespace') namespace: string, @Param('name') name: string) {
    return this.marquez.job(namespace, name);
  }

  @Get('namespaces/:namespace/jobs/:name/runs')
  runs(@Param('namespace') namespace: string, @Param('name') name: string, @Query() q: Q) {
    return this.marquez.runs(namespace, name, q);
  }

  @Get('jobs')
  allJobs(@Query() q: Record<string, string | string[]>) {
    return this.marquez.allJobs(q);
  }

  @Get('stats/:kind')
  stats(@Param('kind') kind: string, @Query() q: Q) {
    return this.dashboard.stats(kind, q);
  }

  @Get('tags')
  tags() {
    return this.dashboard.tags();
  }

  @Get('jobs/runs/:id')
  run(@Param('id') id: string) {
    return this.marquez.run(id);
  }

  @Get('jobs/runs/:id/facets')
  runFacets(@Param('id') id: string, @Query() q: Q) {
    return this.marquez.runFacets(id, q);
  }

  @Get('events/lineage')
  events(@Query() q: Q) {
    return this.marquez.events(q);
  }

  @Get('search')
  search(@Query() q: Q) {
    return this.marquez.search(q);
  }

  @Get('lineage')
  lineage(@Query() q: Q) {
    return this.marquez.lineage(q);
  }

  @Get('column-lineage')
  columnLineage(@Query() q: Q) {
    return this.marquez.columnLineage(q);
  }
}
