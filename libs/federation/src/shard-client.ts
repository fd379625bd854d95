/**
 * The one typed way to talk to shards (gateway and worker alike): `call(domain, pattern, request, timeoutMs)`
 * checks request and response against ShardMessages, unwraps the ShardAnswer and raises
 * - ShardRefusedError when the shard answered with a domain error code (not-found, invalid-argument, ...),
 * - ShardUnavailableError when it did not answer (no address, connection refused, deadline passed).
 * One TCP ClientProxy per shard address; a broken socket is reopened on the next call.
 * `lineage.expand` goes over the shard's lean link (lean-expand-client.ts) once `bindExpand` named its port (the
 * shard advertises it in shard.version / shard.info / its registration); a shard without one, or whose lean port
 * cannot be reached or refuses the link, is asked over the Nest pattern as before.
 */
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { isShardAnswer, ShardRefusedError, ShardUnavailableError } from './shard-answer';
import type { ShardMessageName, ShardRequest, ShardResponse } from './shard-contract';
import { ShardRpcPatterns } from './shard-rpc.contract';
import { LeanExpandLink } from './lean-expand-client';

/** After a lean link failed, the Nest pattern serves expand for this long before the link is tried again. */
const LEAN_RETRY_MS = 5_000;

interface Lean {
  port: number;
  link: LeanExpandLink | null;
  failedAt: number;
}

interface Connection {
  host: string;
  port: number;
  client: ClientProxy;
}

const connect = (host: string, port: number): Connection => ({
  host,
  port,
  client: ClientProxyFactory.create({ transport: Transport.TCP, options: { host, port } }),
});

/** A transport error as a client may read it: the kind of failure, not the error text (paths, stack limits, peers). */
const transportFailure = (message: string): string => {
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/ECONNRESET|EPIPE|closed/i.test(message)) return 'connection lost';
  return 'transport error';
};

export class ShardClient {
  private readonly connections = new Map<string, Connection>();
  private readonly lean = new Map<string, Lean>();
  /** The service credential every message carries when set (shards with authentication on require it). */
  protected credential: string | null = null;

  /** Points a domain at an address (a changed address closes the old connection). */
  bind(domain: string, host: string, port: number): void {
    const existing = this.connections.get(domain);
    if (existing?.host === host && existing.port === port) return;
    existing?.client.close();
    this.dropLean(domain);
    this.connections.set(domain, connect(host, port));
  }

  /**
   * The port of the domain's lean expand server, on its RPC host (null/undefined: it has none; expand goes over
   * the Nest pattern). Called again with the same port it keeps the open link.
   */
  bindExpand(domain: string, port: number | null | undefined): void {
    if (!port) return this.dropLean(domain);
    const existing = this.lean.get(domain);
    if (existing?.port === port) return;
    this.dropLean(domain);
    this.lean.set(domain, { port, link: null, failedAt: 0 });
  }

  /** True when expand to this domain goes over a lean link now. */
  expandsLean(domain: string): boolean {
    const link = this.lean.get(domain)?.link;
    return Boolean(link && !link.closed);
  }

  unbind(domain: string): void {
    this.connections.get(domain)?.client.close();
    this.connections.delete(domain);
    this.dropLean(domain);
  }

  async call<M extends ShardMessageName>(domain: string, pattern: M, request: ShardRequest<M>, timeoutMs: number): Promise<ShardResponse<M>> {
    const connection = this.connections.get(domain);
    if (!connection) throw new ShardUnavailableError(domain, `no shard registered for domain "${domain}"`);
    if (pattern === ShardRpcPatterns.expand) {
      const link = await this.leanLink(domain, connection.host);
      if (link) return (await link.expand(request as ShardRequest<typeof ShardRpcPatterns.expand>, timeoutMs)) as ShardResponse<M>;
    }
    let answer: unknown;
    try {
      const message = this.credential ? { ...((request ?? {}) as object), credential: this.credential } : request;
      answer = await firstValueFrom(connection.client.send<unknown>(pattern, message).pipe(timeout(timeoutMs)));
    } catch (error) {
      throw this.unavailable(domain, pattern, error, timeoutMs);
    }
    if (!isShardAnswer(answer)) throw new ShardUnavailableError(domain, `shard "${domain}" answered ${pattern} outside the contract`);
    if (answer.ok) return answer.value as ShardResponse<M>;
    throw new ShardRefusedError(domain, answer.error.message, answer.error.code, answer.error.field);
  }

  close(): void {
    for (const { client } of this.connections.values()) client.close();
    this.connections.clear();
    for (const domain of [...this.lean.keys()]) this.dropLean(domain);
  }

  /** The domain's lean link, opened (and welcomed) on first use; null: use the Nest pattern this time. */
  private async leanLink(domain: string, host: string): Promise<LeanExpandLink | null> {
    const lean = this.lean.get(domain);
    if (!lean) return null;
    if (!lean.link || lean.link.closed) {
      if (lean.link && Date.now() - lean.failedAt < LEAN_RETRY_MS) return null;
      lean.link = new LeanExpandLink(host, lean.port, domain, this.credential);
    }
    const link = lean.link;
    try {
      await link.ready;
      return link;
    } catch {
      lean.failedAt = Date.now();
      return null;
    }
  }

  private dropLean(domain: string): void {
    this.lean.get(domain)?.link?.close();
    this.lean.delete(domain);
  }

  private unavailable(domain: string, pattern: string, error: unknown, timeoutMs: number): ShardUnavailableError {
    if ((error as Error)?.name === 'TimeoutError') {
      return new ShardUnavailableError(domain, `shard "${domain}" did not answer ${pattern} within ${timeoutMs} ms`, 'timeout');
    }
    const message = (error as Error)?.message ?? String(error);
    if (/ECONNREFUSED|ECONNRESET|EPIPE|closed/i.test(message)) this.reconnect(domain);
    // The message reaches clients (a 503): it names the kind of failure, never the transport's own error text.
    return new ShardUnavailableError(domain, `shard "${domain}" ${pattern} failed (${transportFailure(message)})`);
  }

  private reconnect(domain: string): void {
    const connection = this.connections.get(domain);
    if (!connection) return;
    connection.client.close();
    this.connections.set(domain, connect(connection.host, connection.port));
  }
}
