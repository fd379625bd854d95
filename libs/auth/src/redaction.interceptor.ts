import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, Optional, type Provider, type Type } from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { datasetId, jobId, notFound } from '@lineage-hub/model';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { ACCESS_RULE } from './access.decorator';
import { applyRedaction, planRedaction } from './answer-redaction';
import { AuditLog } from './audit-log';
import { currentViewer } from './auth-context';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { REDACTION_SETTINGS } from './auth.tokens';
import type { RedactionSettings } from './auth-runtime';
import { collectNodeIds, datasetOf, isPlainObject, nodeIdOfString } from './node-refs';
import { NODE_FACTS, type NodeFactsSource } from './node-facts';
import { Redactor } from './redaction';
import type { AccessRule, Principal } from './role.types';

/** The rules whose answers are redacted: reads, and the steward's routes (policies, alerts). */
const REDACTED: ReadonlySet<AccessRule> = new Set(['read', 'steward']);

/**
 * Redaction, once for every HTTP answer of an app (apps that serve lineage register it globally with
 * `redactionProviders`). For a viewer: the nodes the answer refers to are looked up, the hidden ones replaced by
 * per-viewer opaque ids (answerRedaction), `hiddenCount` added; a request that names a hidden node (`nodeId`,
 * or the dataset/job of the path) is a 404, as if it did not exist; restricted nodes shown to a cleared viewer
 * are audited as `read.restricted`. Authentication off or a service caller: the answer passes untouched.
 */
@Injectable()
export class RedactionInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(REDACTION_SETTINGS) private readonly settings: RedactionSettings,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Optional() @Inject(NODE_FACTS) private readonly facts: NodeFactsSource | null = null,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.options.enabled || !this.facts) return next.handle();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    const viewer = currentViewer();
    if (!viewer || viewer.service || !rule || !REDACTED.has(rule)) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(mergeMap((body) => from(this.redact(body, viewer, req))));
  }

  private async redact(body: unknown, viewer: Principal, req: Request): Promise<unknown> {
    const requested = [...requestedNodes(req), ...runOwner(body, req)];
    const ids = collectNodeIds(body);
    for (const id of requested) ids.add(id);
    if (ids.size === 0) return withCount(body, 0);
    const lookup = new Set(ids);
    for (const id of ids) {
      const dataset = datasetOf(id);
      if (dataset) lookup.add(dataset);
    }
    const facts = await this.facts!.factsOf([...lookup]);
    const redactor = new Redactor(viewer, this.settings.key, this.settings.privateDomains);
    const plan = planRedaction(ids, facts, redactor);
    const named = requested.find((id) => plan.hidden.has(id));
    if (named) throw notFound(describe(named));
    if (plan.restrictedShown.length) {
      const target = `${req.method} ${req.path}: ${plan.restrictedShown.slice(0, 20).join(', ')}${plan.restrictedShown.length > 20 ? ', ...' : ''}`;
      this.audit.tally({ actor: viewer.id, action: 'read.restricted', target, outcome: 'ok' }, { reads: 1, nodes: plan.restrictedShown.length });
    }
    const { body: redacted, hiddenCount } = applyRedaction(body, plan);
    return withCount(redacted, hiddenCount);
  }
}

const withCount = (body: unknown, hiddenCount: number): unknown =>
  body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), hiddenCount } : body;

/** The node a request names: `?nodeId=`, or `/namespaces/:namespace/datasets/:name` and `/jobs/:name`. */
function requestedNodes(req: Request): string[] {
  const out: string[] = [];
  const nodeId = req.query?.nodeId;
  if (typeof nodeId === 'string') {
    const id = nodeIdOfString(nodeId);
    if (id) out.push(id);
  }
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  const namespace = params.namespace;
  const route = String((req.route as { path?: string } | undefined)?.path ?? req.path);
  const datasetName = params.dataset ?? (route.includes('/datasets/') ? params.name : undefined);
  const jobName = params.job ?? (route.includes('/jobs/') ? params.name : undefined);
  if (namespace && datasetName) out.push(datasetId(namespace, datasetName));
  if (namespace && jobName) out.push(jobId(namespace, jobName));
  return out;
}

/**
 * A run read (`/jobs/runs/:id`, its facets) names the run's job: a run of a job hidden from the viewer is a 404
 * like the job itself (the run record and its facets carry the job's SQL and facets).
 */
function runOwner(body: unknown, req: Request): string[] {
  const route = String((req.route as { path?: string } | undefined)?.path ?? req.path);
  if (!route.includes('/jobs/runs/') || !isPlainObject(body)) return [];
  const ref = (body.jobVersion ?? body.job) as { namespace?: unknown; name?: unknown } | undefined;
  return ref && typeof ref.namespace === 'string' && typeof ref.name === 'string' ? [jobId(ref.namespace, ref.name)] : [];
}

const describe = (id: string) => (id.startsWith('job:') ? `job ${id}` : id.startsWith('datasetField:') ? `field ${id}` : `dataset ${id}`);

/**
 * The providers an app that serves lineage adds to its root module: its NODE_FACTS source and the global
 * redaction interceptor (declared in the app's module, where the source is visible). With authentication off the
 * interceptor would pass every answer through unchanged (there is no viewer to redact for), so it is not
 * registered: a global interceptor puts Nest's interceptor chain (an rxjs pipeline, AsyncResource.bind) in front
 * of every route, and a route without any interceptor skips it (the single-event ingest route pays it per event).
 */
export const redactionProviders = (facts: Type<NodeFactsSource>, auth: Pick<AuthOptions, 'enabled'>): Provider[] => [
  { provide: NODE_FACTS, useExisting: facts },
  ...(auth.enabled ? [{ provide: APP_INTERCEPTOR, useClass: RedactionInterceptor }] : []),
];
