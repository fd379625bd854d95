/**
 * Local stand-ins for the vendors, on 127.0.0.1, that check each request against the vendor's documented
 * format and answer as the vendor does:
 *   POST /webhook/{name}  Standard Webhooks signature verified with the secret given for {name} (401 when wrong)
 *   POST /slack/{name}    Slack incoming webhook: 200 `ok`; 400 `invalid_payload` / `invalid_blocks`
 *   POST /v2/enqueue      PagerDuty Events v2: 202 {status: success, dedup_key}; 400 {status: "invalid event", errors}
 * Scripted answers (`failNext`) reproduce 4xx, 429 with Retry-After and 5xx; `stop()`/`start()` take it down and
 * bring it back on the same port. Test support only: never exported from the production barrel.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../notifiers/standard-webhooks';

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: string;
  at: number;
  /** The status the fake answered. */
  status: number;
}

export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
  body?: string;
}

const PD_ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** PagerDuty Events v2 validation, as its API answers `errors`. */
export const pagerDutyErrors = (body: any): string[] => {
  const errors: string[] = [];
  if (!body || typeof body !== 'object') return ['Event object is invalid'];
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32) errors.push("'routing_key' must be a 32 character integration key");
  if (!PD_ACTIONS.includes(body.event_action)) errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
  if (body.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255)) errors.push("'dedup_key' must be a string of at most 255 characters");
  if (body.event_action !== 'trigger' && !body.dedup_key) errors.push("'dedup_key' is required for acknowledge and resolve");
  if (body.event_action === 'trigger') {
    const p = body.payload;
    if (!p || typeof p !== 'object') errors.push("'payload' is missing or invalid");
    else {
      if (typeof p.summary !== 'string' || !p.summary) errors.push("'payload.summary' is missing");
      else if (p.summary.length > 1024) errors.push("'payload.summary' is longer than 1024 characters");
      if (typeof p.source !== 'string' || !p.source) errors.push("'payload.source' is missing");
      if (!PD_SEVERITIES.includes(p.severity)) errors.push("'payload.severity' must be one of critical, error, warning, info");
      if (p.timestamp !== undefined && Number.isNaN(Date.parse(p.timestamp))) errors.push("'payload.timestamp' is not ISO 8601");
      for (const field of ['component', 'group', 'class']) if (p[field] !== undefined && typeof p[field] !== 'string') errors.push(`'payload.${field}' must be a string`);
      if (p.custom_details !== undefined && (typeof p.custom_details !== 'object' || p.custom_details === null)) errors.push("'payload.custom_details' must be an object");
    }
    if (body.links !== undefined && (!Array.isArray(body.links) || body.links.some((l: any) => typeof l?.href !== 'string'))) errors.push("'links' must be a list of {href, text}");
  }
  return errors;
};

/** Slack incoming-webhook validation: the error code Slack answers, or null. */
export const slackError = (body: any): string | null => {
  if (!body || typeof body !== 'object' || (typeof body.text !== 'string' && !Array.isArray(body.blocks))) return 'invalid_payload';
  if (typeof body.text === 'string' && /<!(channel|here|everyone)>/.test(body.text)) return 'invalid_payload';
  if (body.blocks === undefined) return null;
  if (!Array.isArray(body.blocks) || body.blocks.length > 50) return 'invalid_blocks';
  for (const block of body.blocks) {
    if (block?.type === 'header' && (block.text?.type !== 'plain_text' || typeof block.text.text !== 'string' || block.text.text.length > 150)) return 'invalid_blocks';
    if (block?.type === 'header' && /<!(channel|here|everyone)>/.test(block.text.text)) return 'invalid_blocks';
    if (block?.type === 'section') {
      const text = block.text?.text;
      if (typeof text !== 'string' || text.length === 0 || text.length > 3000) return 'invalid_blocks';
      if (/<!(channel|here|everyone)>/.test(text)) return 'invalid_blocks';
    }
    if (!['header', 'section', 'context', 'divider', 'actions'].includes(block?.type)) return 'invalid_blocks';
  }
  return null;
};

export class FakeReceivers {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | null = null;
  private port = 0;
  private readonly script: ScriptedAnswer[] = [];
  /** Per-request delay before answering (ms). */
  delayMs = 0;
  /** Requests that arrived (counted before the delay, so a test can act while one is in flight). */
  arrived = 0;

  constructor(private readonly webhookSecrets: Record<string, string> = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next answers, in order, replace the vendor's normal one (e.g. 429 with Retry-After, 503, 400). */
  failNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** Requests the fake accepted (2xx), optionally for one path prefix. */
  accepted(prefix = '/'): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300 && r.path.startsWith(prefix));
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.arrived++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const path = req.url ?? '/';
    const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
      this.requests.push({ path, headers: req.headers, body, raw, at: Date.now(), status });
      res.writeHead(status, { 'content-type': text.startsWith('{') ? 'application/json' : 'text/plain', ...headers });
      res.end(text);
    };
    const scripted = this.script.shift();
    if (scripted) return answer(scripted.status, scripted.body ?? '', scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
    if (req.method !== 'POST') return answer(405, 'method not allowed');
    if (path.startsWith('/webhook/')) {
      const secret = this.webhookSecrets[path.slice('/webhook/'.length)];
      if (body === undefined) return answer(400, 'body is not JSON');
      if (secret) {
        const verdict = verifyWebhook(secret, req.headers, raw);
        if (!verdict.ok) return answer(401, verdict.reason);
      }
      return answer(204, '');
    }
    if (path.startsWith('/slack/')) {
      const error = slackError(body);
      return error ? answer(400, error) : answer(200, 'ok');
    }
    if (path === '/v2/enqueue') {
      const errors = pagerDutyErrors(body);
      if (errors.length) return answer(400, JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors }));
      return answer(202, JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: body.dedup_key ?? 'generated' }));
    }
    return answer(404, 'no_service');
  }
}
