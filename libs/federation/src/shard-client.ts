/**
 * The one typed way to talk to shards (gateway and worker alike): `call(domain, pattern, request, timeoutMs)`
 * checks request and response against ShardMessages, unwraps the ShardAnswer and raises
 * - ShardRefusedError when the shard answered with a domain error code (not-found, invalid-argument, ...),
 * - ShardUnavailableError when it did not answer (no address, connection refused, deadline passed).
 * One TCP ClientProxy per shard address; a broken socket is reopened on the next call.
 */
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { isShardAnswer, ShardRefusedError, ShardUnavailableError } from './shard-answer';
import type { ShardMessageName, ShardRequest, ShardResponse } from './shard-contract';

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
  /** The service credential every message carries when set (shards with authentication on require it). */
  protected credential: string | null = null;

  /** Points a domain at an address (a changed address closes the old connection). */
  bind(domain: string, host: string, port: number): void {
    const existing = this.connections.get(domain);
    if (existing?.host === host && existing.port === port) return;
    existing?.client.close();
    this.connections.set(domain, connect(host, port));
  }

  unbind(domain: string): void {
    this.connections.get(domain)?.client.close();
    this.connections.delete(domain);
  }

  async call<M extends ShardMessageName>(domain: string, pattern: M, request: ShardRequest<M>, timeoutMs: number): Promise<ShardResponse<M>> {
    const connection = this.connections.get(domain);
    if (!connection) throw new ShardUnavailableError(domain, `no shard registered for domain "${domain}"`);
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
