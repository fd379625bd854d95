import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { SERVICE_TOKEN } from '@lineage-hub/auth';
import { DomainError } from '@lineage-hub/model';
import { firstValueFrom, timeout } from 'rxjs';

interface Connection {
  key: string;
  client: ClientProxy;
}

/** One TCP ClientProxy per shard address; messages carry their own deadline. */
@Injectable()
export class ShardClientService implements OnModuleDestroy {
  private readonly connections = new Map<string, Connection>();

  constructor(@Optional() @Inject(SERVICE_TOKEN) private readonly serviceToken: string | null = null) {}

  /** Points a domain at an address (a changed address closes the old connection). */
  bind(domain: string, host: string, port: number): void {
    const key = `${host}:${port}`;
    const existing = this.connections.get(domain);
    if (existing?.key === key) return;
    existing?.client.close();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host, port } });
    this.connections.set(domain, { key, client });
  }

  unbind(domain: string): void {
    this.connections.get(domain)?.client.close();
    this.connections.delete(domain);
  }

  async send<T>(domain: string, pattern: string, data: unknown, timeoutMs: number): Promise<T> {
    const connection = this.connections.get(domain);
    if (!connection) throw new DomainError('unavailable', `no shard registered for domain "${domain}"`);
    try {
      // Shards with authentication on answer only messages carrying the service credential.
      const message = this.serviceToken ? { ...((data ?? {}) as object), credential: this.serviceToken } : data;
      return await firstValueFrom(connection.client.send<T>(pattern, message).pipe(timeout(timeoutMs)));
    } catch (error) {
      // A broken socket is reopened on the next send.
      const message = (error as Error)?.message ?? String(error);
      if ((error as Error)?.name === 'TimeoutError') {
        throw new DomainError('timeout', `shard "${domain}" did not answer ${pattern} within ${timeoutMs} ms`);
      }
      if (/ECONNREFUSED|ECONNRESET|EPIPE|closed/i.test(message)) this.reconnect(domain);
      throw new DomainError('unavailable', `shard "${domain}" ${pattern} failed: ${message}`);
    }
  }

  private reconnect(domain: string): void {
    const connection = this.connections.get(domain);
    if (!connection) return;
    connection.client.close();
    const [host, port] = [connection.key.slice(0, connection.key.lastIndexOf(':')), Number(connection.key.slice(connection.key.lastIndexOf(':') + 1))];
    this.connections.set(domain, { key: connection.key, client: ClientProxyFactory.create({ transport: Transport.TCP, options: { host, port } }) });
  }

  async onModuleDestroy(): Promise<void> {
    for (const { client } of this.connections.values()) client.close();
    this.connections.clear();
  }
}
