import { parseNamespaceDomains, ShardRefusedError } from '@lineage-hub/federation';
import type { GatewayConfig } from '../gateway.config';
import type { ShardClientService } from '../shards/shard-client.service';
import type { ShardRegistryService } from '../shards/shard-registry.service';
import { OwnerInputVersions, runsIn } from './owner-input-versions.service';

const input = (namespace: string, name: string, version: string | null) => ({ datasetVersionId: { namespace, name, version }, facets: {} });
const run = (id: string, startedAt: string, inputs: ReturnType<typeof input>[]) => ({ id, startedAt, createdAt: startedAt, inputDatasetVersions: inputs, facets: {} });

describe('OwnerInputVersions', () => {
  const config = { namespaceDomains: parseNamespaceDomains('snowflake://sales=sales,s3://*=finance'), shardTimeoutMs: 1000, queryBudgetMs: 1000 } as GatewayConfig;
  const registry = { list: () => [{ domain: 'sales' }, { domain: 'finance' }] } as unknown as ShardRegistryService;
  const clientOf = (answer: (domain: string, request: any) => unknown) => {
    const calls: Array<{ domain: string; request: any }> = [];
    const client = {
      call: async (domain: string, _pattern: string, request: any) => {
        calls.push({ domain, request });
        return answer(domain, request);
      },
    } as unknown as ShardClientService;
    return { client, calls };
  };

  it('finds runs wherever an answer holds them (run, runs, latestRun(s), createdByRun), not inside facets', () => {
    const r = (id: string) => run(id, '2026-01-01T00:00:00.000Z', []);
    const body = { jobs: [{ latestRun: r('a'), latestRuns: [r('a2')] }], versions: [{ createdByRun: r('b') }], facets: { x: r('hidden') }, runs: [r('c')] };
    expect(runsIn(body).map((x) => x.id).sort()).toEqual(['a', 'a2', 'b', 'c']);
  });

  it("asks each owner once for the versions its datasets had when another domain's runs started, and names them", async () => {
    const started = '2026-01-01T10:00:00.000Z';
    const answers = [
      { domain: 'finance', body: { runs: [run('r1', started, [input('snowflake://sales', 'ORDERS', 'reader-v'), input('s3://finance', 'x', 'own-v')]), run('r1', started, [input('snowflake://sales', 'ORDERS', 'reader-v')])] } },
      { domain: 'sales', body: run('r2', started, [input('snowflake://sales', 'ORDERS', 'sales-own-v'), input('postgres://db', 't', 'nobody-v')]) },
    ];
    const { client, calls } = clientOf((_domain, request) => ({ versions: request.requests.map(() => 'owner-v') }));
    const missing = await new OwnerInputVersions(config, registry, client).resolve(answers);
    expect(missing).toEqual([]);
    expect(calls).toEqual([{ domain: 'sales', request: { requests: [{ namespace: 'snowflake://sales', name: 'ORDERS', at: Date.parse(started), exceptRun: 'r1' }] } }]);
    const versions = runsIn(answers).flatMap((r) => r.inputDatasetVersions.map((i) => i.datasetVersionId?.version));
    expect(versions).toEqual(['owner-v', 'own-v', 'owner-v', 'sales-own-v', 'nobody-v']);
  });

  it("keeps the reader's id when the owner has none then, and names an owner that does not answer", async () => {
    const answers = () => [{ domain: 'finance', body: run('r1', '2026-01-01T10:00:00.000Z', [input('snowflake://sales', 'ORDERS', 'reader-v')]) }];
    const none = answers();
    expect(await new OwnerInputVersions(config, registry, clientOf(() => ({ versions: [null] })).client).resolve(none)).toEqual([]);
    expect(none[0].body.inputDatasetVersions[0].datasetVersionId.version).toBe('reader-v');
    const down = answers();
    const failing = clientOf(() => {
      throw new ShardRefusedError('sales', 'no answer', 'timeout');
    });
    expect(await new OwnerInputVersions(config, registry, failing.client).resolve(down)).toEqual(['sales']);
    expect(down[0].body.inputDatasetVersions[0].datasetVersionId.version).toBe('reader-v');
  });
});
