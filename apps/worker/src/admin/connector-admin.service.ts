/**
 * The connector admin API's logic: instances (validated before anything is scheduled), run-now and run
 * history. The gateway's /api/v1/connectors forwards here.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DomainError, invalidArgument, notFound } from '@lineage-hub/model';
import { CONNECTOR_REGISTRY, type ConnectorRegistry } from '../connector-registry';
import { ConnectorScheduler } from '../runs/connector-scheduler.service';
import { WorkerMetrics } from '../worker-metrics.service';
import { WorkerRuntime } from '../worker-runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../worker.config';
import { loadConnectorFile } from '../instances/connector-file.loader';
import { type ConnectorInstance, resolveSecrets, validateConnectorInstance } from '../instances/connector-instance';
import { keepMaskedSecrets, maskSecrets, openSecrets, sealSecrets } from '../instances/connector-secrets';
import { parseCursorUpdate, parseRunRequest } from './run-request.parser';
import { runView, type RunView } from './run.view';

export interface ConnectorView extends ConnectorInstance {
  status: {
    scheduled: boolean;
    /** Everything before this instant has been read and delivered. */
    watermark: string | null;
    lagSeconds: number | null;
    lastRun: Pick<RunView, 'runId' | 'state' | 'startedAt' | 'finishedAt' | 'error'> | null;
  };
}

@Injectable()
export class ConnectorAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConnectorAdminService.name);

  constructor(
    private readonly runtime: WorkerRuntime,
    private readonly scheduler: ConnectorScheduler,
    private readonly metrics: WorkerMetrics,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
  ) {}

  /** Seeds instances from the YAML file (file entries win for their ids) and schedules every enabled one. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.enabled) return;
    // The file is checked now (a bad entry stops the start); storing it waits for Redis if Redis is away.
    const fromFile = loadConnectorFile(this.config.connectorsFile, this.registry, this.config.secret, false);
    await this.runtime.whenReady('loading connectors', () => this.seed(fromFile));
  }

  private async seed(fromFile: ConnectorInstance[]): Promise<void> {
    const { store } = this.runtime.platform;
    for (const instance of fromFile) await store.put(this.sealed(instance));
    const all = await store.list();
    for (const instance of all) {
      await this.scheduler.sync(instance);
      const cursor = await store.getCursor(instance.id);
      this.metrics.watermark(instance.id, cursor?.watermark ?? null);
    }
    await this.scheduler.prune(new Set(all.map((i) => i.id)));
    this.logger.log({ msg: 'connectors loaded', file: this.config.connectorsFile, fromFile: fromFile.length, total: all.length });
  }

  async list(): Promise<{ connectors: ConnectorView[] }> {
    const { store } = this.runtime.platform;
    const instances = await store.list();
    return { connectors: await Promise.all(instances.map((i) => this.view(i))) };
  }

  async get(id: string): Promise<ConnectorView> {
    return this.view(await this.require(id));
  }

  async create(body: unknown): Promise<ConnectorView> {
    const { instance: plain } = validateConnectorInstance(body, this.registry, this.config.secret);
    await this.requireShard(plain.domain);
    const instance = this.sealed(plain);
    if (!(await this.runtime.platform.store.create(instance)))
      throw new DomainError('conflict', `connector "${instance.id}" already exists (use PUT /api/v1/connectors/${instance.id} to change it)`, 'id');
    await this.schedule(instance);
    return this.view(instance);
  }

  async replace(id: string, body: unknown): Promise<ConnectorView> {
    const previous = await this.require(id);
    const withId = body && typeof body === 'object' && !Array.isArray(body) ? { id, ...(body as object) } : body;
    if ((withId as { id?: unknown })?.id !== id) throw invalidArgument('id', `must match the path ("${id}")`);
    // A secret sent back masked keeps its stored (sealed) value; validation sees it opened.
    const settings = (withId as { settings?: unknown }).settings;
    const kept = settings && typeof settings === 'object' && !Array.isArray(settings) ? keepMaskedSecrets(settings as Record<string, unknown>, previous.settings) : settings;
    const opened = kept && typeof kept === 'object' && !Array.isArray(kept) ? openSecrets(kept as Record<string, unknown>, this.config.secretBox, id) : kept;
    const { instance: plain } = validateConnectorInstance({ ...(withId as object), settings: opened }, this.registry, this.config.secret);
    await this.requireShard(plain.domain);
    const instance = this.sealed(plain);
    await this.runtime.platform.store.put(instance);
    await this.schedule(instance, previous);
    return this.view(instance);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.scheduler.remove(id);
    await this.runtime.platform.store.delete(id);
    this.metrics.watermark(id, null);
  }

  /** Runs now from the cursor, or (with `{from, to}`) a backfill / re-run of that window that leaves the cursor alone. */
  async runNow(id: string, body?: unknown): Promise<RunView> {
    const instance = await this.require(id);
    const { window } = parseRunRequest(body, Date.now());
    return runView(await this.scheduler.runNow(instance, window));
  }

  async runs(id: string, limit: unknown): Promise<{ runs: RunView[] }> {
    await this.require(id);
    const n = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidArgument('limit', 'must be an integer from 1 to 1000');
    return { runs: (await this.runtime.platform.store.listRuns(id, n)).map(runView) };
  }

  async cursor(id: string): Promise<{ connectorId: string; cursor: unknown; watermark: string | null; savedAt: string | null }> {
    await this.require(id);
    const stored = await this.runtime.platform.store.getCursor(id);
    return {
      connectorId: id,
      cursor: stored?.cursor ?? null,
      watermark: stored?.watermark === null || stored?.watermark === undefined ? null : new Date(stored.watermark).toISOString(),
      savedAt: stored ? new Date(stored.savedAt).toISOString() : null,
    };
  }

  /** Sets the cursor the next scheduled or run-now pull starts from; refused while a run holds the connector. */
  async setCursor(id: string, body: unknown) {
    const instance = await this.require(id);
    const update = parseCursorUpdate(body);
    const { store } = this.runtime.platform;
    let cursor = 'cursor' in update ? update.cursor : null;
    let watermark: number | null = null;
    if ('watermark' in update) {
      const factory = this.registry.get(instance.kind);
      if (!factory?.cursorAt) throw invalidArgument('watermark', `connector kind "${instance.kind}" cannot build a cursor from a time; set "cursor" instead`);
      const settings = openSecrets(instance.settings, this.config.secretBox, instance.id);
      cursor = factory.cursorAt(factory.configSchema.parse(resolveSecrets(settings, this.config.secret)), update.watermark);
      watermark = update.watermark;
    }
    const owner = `cursor-update-${Date.now()}`;
    if (!(await store.acquireRunLock(id, owner, 10_000)))
      throw new DomainError('conflict', `connector "${id}" is running; set its cursor when the run has finished`, 'cursor');
    try {
      await store.saveCursor(id, cursor, watermark, Date.now());
    } finally {
      await store.releaseRunLock(id, owner);
    }
    this.metrics.watermark(id, watermark);
    return this.cursor(id);
  }

  /** BullMQ has the last word on cron patterns: a config it cannot schedule is refused and the previous one kept. */
  private async schedule(instance: ConnectorInstance, previous?: ConnectorInstance) {
    try {
      await this.scheduler.sync(instance);
    } catch (err) {
      const { store } = this.runtime.platform;
      if (previous) {
        await store.put(previous);
        await this.scheduler.sync(previous).catch(() => undefined);
      } else {
        await store.delete(instance.id);
      }
      throw invalidArgument('schedule', `could not be scheduled: ${(err as Error).message}`);
    }
  }

  /** A connector whose results no shard would receive is refused, naming the domain (nothing is stored or scheduled). */
  private async requireShard(domain: string): Promise<void> {
    const { delivery } = this.runtime.platform;
    if (await delivery.hasShard(domain)) return;
    const known = delivery.configuredDomains();
    throw invalidArgument(
      'domain',
      `no shard serves domain "${domain}"${known.length ? ` (shards: ${known.join(', ')})` : ''}: with \`npm start\`, add it under \`shards:\` in apps/hub/hub.config.yaml; ` +
        'otherwise start a shard with SHARD_DOMAIN=' + domain + ' (it registers in Redis) or list it in the worker\'s SHARDS (domain=host:rpcPort)',
    );
  }

  /** The instance as stored: literal secrets sealed (refused without LINEAGE_SECRETS_KEY). */
  private sealed(instance: ConnectorInstance): ConnectorInstance {
    return { ...instance, settings: sealSecrets(instance.settings, this.config.secretBox, instance.id) };
  }

  private async require(id: string): Promise<ConnectorInstance> {
    const instance = await this.runtime.platform.store.get(id);
    if (!instance) throw notFound(`connector "${id}"`);
    return instance;
  }

  private async view(instance: ConnectorInstance): Promise<ConnectorView> {
    const { store } = this.runtime.platform;
    const [cursor, [last]] = await Promise.all([store.getCursor(instance.id), store.listRuns(instance.id, 1)]);
    const watermark = cursor?.watermark ?? null;
    return {
      ...instance,
      // secrets are write-only: shown masked, never as stored or as sent
      settings: maskSecrets(instance.settings),
      status: {
        scheduled: instance.enabled,
        watermark: watermark === null ? null : new Date(watermark).toISOString(),
        lagSeconds: watermark === null ? null : Math.max(0, Math.round((Date.now() - watermark) / 1000)),
        lastRun: last ? (({ runId, state, startedAt, finishedAt, error }) => ({ runId, state, startedAt, finishedAt, error }))(runView(last)) : null,
      },
    };
  }
}
