import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type ShardRequest, ShardRpcPatterns as P } from '@lineage-hub/federation';
import { invalidArgument } from '@lineage-hub/model';
import { LineageQueryService } from '../graph/lineage-query.service';
import { MarquezReadService } from '../marquez/marquez-read.service';
import { MarquezSearchV2Service } from '../marquez/marquez-search-v2.service';
import { MarquezStatsService } from '../marquez/marquez-stats.service';
import type { QueryParams } from '../marquez/query-params';
import { RpcDomainErrorFilter } from './rpc-domain-error.filter';
import { ShardAnswerInterceptor } from './shard-answer.interceptor';

type Req<M extends keyof typeof P> = ShardRequest<(typeof P)[M]>;
/** A typed request read by the same validating parameter parsers as the HTTP query string. */
const q = (request: object | undefined): QueryParams => (request ?? {}) as QueryParams;
const r = <T extends object>(request: T | undefined): Partial<T> => request ?? {};

/** The reads the gateway federates, one typed message each (libs/federation shard-reads.contract.ts). */
@Controller()
@UseFilters(RpcDomainErrorFilter)
@UseInterceptors(ShardAnswerInterceptor)
export class ShardReadsRpcController {
  constructor(
    private readonly reads: MarquezReadService,
    private readonly lineage: LineageQueryService,
    private readonly dashboard: MarquezStatsService,
    private readonly searchV2Service: MarquezSearchV2Service,
  ) {}

  @MessagePattern(P.namespaces)
  namespaces() {
    return this.reads.namespaces();
  }

  @MessagePattern(P.namespace)
  namespace(@Payload() request: Req<'namespace'>) {
    return this.reads.namespace(text(r(request).namespace, 'namespace'));
  }

  @MessagePattern(P.datasets)
  datasets(@Payload() request: Req<'datasets'>) {
    return this.reads.datasets(text(r(request).namespace, 'namespace'), q(request));
  }

  @MessagePattern(P.dataset)
  dataset(@Payload() request: Req<'dataset'>) {
    return this.reads.dataset(text(r(request).namespace, 'namespace'), text(r(request).name, 'name'));
  }

  @MessagePattern(P.datasetVersions)
  datasetVersions(@Payload() request: Req<'datasetVersions'>) {
    return this.reads.datasetVersions(text(r(request).namespace, 'namespace'), text(r(request).name, 'name'), q(request));
  }

  @MessagePattern(P.jobs)
  jobs(@Payload() request: Req<'jobs'>) {
    return this.reads.jobs(text(r(request).namespace, 'namespace'), q(request));
  }

  @MessagePattern(P.job)
  job(@Payload() request: Req<'job'>) {
    return this.reads.job(text(r(request).namespace, 'namespace'), text(r(request).name, 'name'));
  }

  @MessagePattern(P.runs)
  runs(@Payload() request: Req<'runs'>) {
    return this.reads.runs(text(r(request).namespace, 'namespace'), text(r(request).name, 'name'), q(request));
  }

  @MessagePattern(P.run)
  run(@Payload() request: Req<'run'>) {
    return this.reads.run(text(r(request).runId, 'runId'));
  }

  @MessagePattern(P.runFacets)
  runFacets(@Payload() request: Req<'runFacets'>) {
    return this.reads.runFacets(text(r(request).runId, 'runId'), q(request));
  }

  @MessagePattern(P.search)
  search(@Payload() request: Req<'search'>) {
    return this.reads.search(q(request));
  }

  @MessagePattern(P.events)
  events(@Payload() request: Req<'events'>) {
    return this.reads.events(q(request));
  }

  @MessagePattern(P.tags)
  tags() {
    return this.reads.tags();
  }

  @MessagePattern(P.lineage)
  lineageGraph(@Payload() request: Req<'lineage'>) {
    return this.lineage.lineage(q(request));
  }

  @MessagePattern(P.columnLineage)
  columnLineage(@Payload() request: Req<'columnLineage'>) {
    return this.lineage.columnLineage(q(request));
  }

  @MessagePattern(P.allJobs)
  allJobs(@Payload() request: Req<'allJobs'>) {
    return this.reads.allJobs(q(request));
  }

  @MessagePattern(P.stats)
  stats(@Payload() request: Req<'stats'>) {
    return this.dashboard.stats(text(r(request).kind, 'kind'), q(request)).then((intervals) => ({ intervals }));
  }

  @MessagePattern(P.searchV2)
  searchV2(@Payload() request: Req<'searchV2'>) {
    return this.searchV2Service.search(text(r(request).index, 'index'), q(request));
  }

  @MessagePattern(P.datasetVersionsAt)
  datasetVersionsAt(@Payload() request: Req<'datasetVersionsAt'>) {
    return this.reads.datasetVersionsAt(request);
  }

  @MessagePattern(P.observedWrites)
  observedWrites(@Payload() request: Req<'observedWrites'>) {
    return this.reads.observedWrites(q(request));
  }
}

/** A required string field of a typed request (`invalid-argument` naming it otherwise). */
const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') throw invalidArgument(field, 'is required (a string)');
  return value;
};
