/** /health: up when the process is; says plainly when connectors are disabled and why. */
import { Inject, Injectable } from '@nestjs/common';
import { CONNECTOR_REGISTRY, type ConnectorRegistry } from './connector-registry';
import { ConnectorRunProcessor } from './runs/connector-run.processor';
import { CONNECTORS_DISABLED_REASON, WorkerRuntime } from './worker-runtime';

@Injectable()
export class WorkerHealthService {
  constructor(
    private readonly runtime: WorkerRuntime,
    private readonly processor: ConnectorRunProcessor,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
  ) {}

  async check() {
    const kinds = this.registry.kinds();
    if (!this.runtime.enabled) return { status: 'degraded', service: 'worker', connectors: 'disabled', reason: CONNECTORS_DISABLED_REASON, kinds };
    let redis = this.runtime.redisReady ? 'up' : 'down';
    if (redis === 'up') {
      try {
        await this.runtime.connections.redis.ping();
      } catch {
        redis = 'down';
      }
    }
    const processing = this.processor.running;
    return {
      status: redis === 'up' && processing ? 'ok' : 'degraded',
      service: 'worker',
      connectors: 'enabled',
      redis,
      processing,
      kinds,
      instances: redis === 'up' ? await this.runtime.connections.store.list().then((l) => l.length, () => null) : null,
    };
  }
}
