/** Static shard list: `SHARDS=domain=host:rpcPort,domain=host:rpcPort`. */
import { invalidArgument } from '@lineage-hub/model';

export interface ShardAddress {
  domain: string;
  host: string;
  port: number;
  httpUrl?: string;
}

const DOMAIN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Parses the SHARDS list; throws an invalid-argument DomainError naming the bad entry. */
export const parseShardList = (text: string | undefined, field = 'SHARDS'): ShardAddress[] => {
  if (!text || !text.trim()) return [];
  const seen = new Set<string>();
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw invalidArgument(field, `"${entry}" is not domain=host:port`);
      const domain = entry.slice(0, eq).trim();
      const address = entry.slice(eq + 1).trim();
      if (!DOMAIN.test(domain)) throw invalidArgument(field, `"${domain}" is not a valid domain name`);
      if (address.includes('/')) {
        throw invalidArgument(field, `"${entry}" is not domain=host:port: give the shard's RPC host and port, not a URL`);
      }
      const colon = address.lastIndexOf(':');
      const host = colon > 0 ? address.slice(0, colon) : '';
      const port = Number(address.slice(colon + 1));
      if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
        throw invalidArgument(field, `"${entry}" is not domain=host:port (port 1-65535)`);
      }
      if (seen.has(domain)) throw invalidArgument(field, `domain "${domain}" is listed twice`);
      seen.add(domain);
      return { domain, host, port };
    });
};

export const formatShardList = (shards: ShardAddress[]): string =>
  shards.map((s) => `${s.domain}=${s.host}:${s.port}`).join(',');
