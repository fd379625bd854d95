/**
 * The gateway's /api/v1/connectors is the worker's: connector configuration, validation (each kind's own
 * schema), scheduling and run history live with the worker that runs them. The gateway forwards method,
 * path, query and body, and answers the worker's status and body as they are; when the worker cannot be
 * reached it says so (503) and how to start it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@lineage-hub/model';
import { CONNECTOR_ADMIN_CONFIG, type ConnectorAdminConfig } from './connector-admin.config';

export interface ProxiedReply {
  status: number;
  body: unknown;
}

@Injectable()
export class ConnectorAdminProxy {
  constructor(@Inject(CONNECTOR_ADMIN_CONFIG) private readonly config: ConnectorAdminConfig) {}

  async forward(method: string, path: string, query: Record<string, unknown>, body?: unknown): Promise<ProxiedReply> {
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => typeof v === 'string') as Array<[string, string]>).toString();
    const url = `${this.config.workerUrl}${path}${search ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      throw new DomainError(
        'unavailable',
        `the connector worker at ${this.config.workerUrl} did not answer (${(err as Error).message}); start it with \`npm run start:worker\` or set WORKER_URL`,
      );
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { error: 'internal', message: text.slice(0, 500) };
    }
    return { status: response.status, body: parsed };
  }
}
