import { DomainError } from '@lineage-hub/model';
import { domainForNamespace, parseNamespaceDomains } from './namespace-domains';
import { formatShardList, parseShardList } from './shard-address';
import { parseAdvertise } from './shard-registration';

describe('SHARDS list', () => {
  it('parses domain=host:port entries and formats them back', () => {
    const shards = parseShardList(' sales=10.0.0.5:5001, marketing=shard-mkt.internal:5101 ');
    expect(shards).toEqual([
      { domain: 'sales', host: '10.0.0.5', port: 5001 },
      { domain: 'marketing', host: 'shard-mkt.internal', port: 5101 },
    ]);
    expect(formatShardList(shards)).toBe('sales=10.0.0.5:5001,marketing=shard-mkt.internal:5101');
    expect(parseShardList(undefined)).toEqual([]);
  });

  it.each([
    ['sales', 'is not domain=host:port'],
    ['sales=host', 'is not domain=host:port'],
    ['sales=host:99999', 'port 1-65535'],
    ['bad domain=h:1', 'not a valid domain name'],
    ['a=h:1,a=h:2', 'listed twice'],
  ])('refuses %p naming what is wrong', (text, message) => {
    expect(() => parseShardList(text)).toThrow(DomainError);
    expect(() => parseShardList(text)).toThrow(message);
  });
  it('refuses a URL where an RPC address belongs, naming the entry', () => {
    expect(() => parseShardList('sales=http://10.0.0.5:5001')).toThrow(/sales=http:\/\/10.0.0.5:5001.*not a URL/);
  });
});

describe('NAMESPACE_DOMAINS', () => {
  const rules = parseNamespaceDomains('snowflake://acme-sales=sales, postgres://*=sales, postgres://fin-db:5432=finance, dbt-marketing=marketing');

  it('matches exact namespaces, prefixes, and prefers the longest match', () => {
    expect(domainForNamespace(rules, 'snowflake://acme-sales')).toBe('sales');
    expect(domainForNamespace(rules, 'postgres://orders:5432')).toBe('sales');
    expect(domainForNamespace(rules, 'postgres://fin-db:5432')).toBe('finance');
    expect(domainForNamespace(rules, 'dbt-marketing')).toBe('marketing');
    expect(domainForNamespace(rules, 'kafka://b:9092')).toBeUndefined();
  });

  it('refuses an entry without a domain', () => {
    expect(() => parseNamespaceDomains('snowflake://acme=')).toThrow('NAMESPACE_DOMAINS');
  });
});

describe('SHARD_ADVERTISE', () => {
  it('takes host:port and refuses anything else', () => {
    expect(parseAdvertise('shard-sales.internal:5001')).toEqual({ host: 'shard-sales.internal', port: 5001 });
    expect(() => parseAdvertise('shard-sales.internal')).toThrow('SHARD_ADVERTISE');
  });
});
