/**
 * The gateway's /api/v1/connectors is the worker's: connector configuration, validation (each kind's own
 * schema), scheduling and run history live with the worker that runs them. The gateway forwards method,
 * path, query and body, and answers the worker's status and body as they are; when the worker cannot be
 * reached it says so (503) and how to start it.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { SERVICE_TOKEN } from '@lineage-hub/auth';
import { DomainError, invalidArgument } from '@lineage-hub/model';
import { CONNECTOR_ADMIN_CONFIG, type ConnectorAdminConfig } from './connector-admin.config';

export interface ProxiedReply {
  status: number;
  body: unknown;
}

@Injectable()
export class ConnectorAdminProxy {
  constructor(
    @Inject(CONNECTOR_ADMIN_CONFIG) private readonly config: ConnectorAdminConfig,
    @Optional() @Inject(SERVICE_TOKEN) private readonly serviceToken: string | null = null,
  ) {}

  async forward(method: string, path: string, query: Record<string, unknown>, body?: unknown): Promise<ProxiedReply> {
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => typeof v === 'string') as Array<[string, string]>).toString();
    const url = `${this.config.workerUrl}${confinePath(path)}${search ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // The caller was checked here (admin); the worker trusts the gateway's service credential.
          ...(this.serviceToken ? { authorization: `Bearer ${this.serviceToken}` } : {}),
        },
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

/** The worker APIs the gateway forwards: connector admin and alerting. Nothing else of the worker is reachable. */
export const FORWARDED_PREFIXES = ['/api/v1/connectors', '/api/v1/alerts', '/api/v1/silences', '/api/v1/alert-routes', '/api/v1/receivers', '/api/v1/alert-dead-letters'] as const;

/**
 * The worker path for a gateway path: each segment decoded once and re-encoded, so `%2e%2e`, `..`, `.`, encoded
 * slashes or backslashes can never leave the forwarded prefix (a URL parser would otherwise resolve them and reach
 * the worker's other endpoints). A path outside FORWARDED_PREFIXES is a 400 naming `path`.
 */
export function confinePath(path: string): string {
  const PREFIX = FORWARDED_PREFIXES.find((p) => path === p || path.startsWith(`${p}/`));
  if (!PREFIX) throw invalidArgument('path', `must be under ${FORWARDED_PREFIXES.join(', ')}`);
  const segments = path.slice(PREFIX.length).split('/').filter((s) => s !== '');
  const safe = segments.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw invalidArgument('path', 'is not valid percent-encoding');
    }
    if (decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) throw invalidArgument('path', `segment "${segment}" is not allowed`);
    return encodeURIComponent(decoded);
  });
  return [PREFIX, ...safe].join('/');
}
