import { ClassificationCache } from './classification-cache';
import type { ClassificationResponse } from './classification-rpc.contract';

const answer = (domain: string, held: string[], restricted: string[] = [], version = 1): ClassificationResponse => ({ domain, held, restricted, restrictedColumns: {}, version });

describe('ClassificationCache', () => {
  let now = 0;
  const asked: Array<{ domain: string; ids: string[] }> = [];
  let versions: Record<string, number> = { a: 1, b: 1 };
  let tags: Record<string, string[]> = { b: ['dataset:b:x'] };
  const ask = async (domain: string, ids: string[]) => {
    asked.push({ domain, ids });
    if (domain === 'down') throw new Error('no answer');
    return answer(domain, ids.filter((id) => id.includes(`:${domain}:`)), ids.filter((id) => tags[domain]?.includes(id)), versions[domain]);
  };
  beforeEach(() => {
    now = 0;
    asked.length = 0;
    versions = { a: 1, b: 1 };
    tags = { b: ['dataset:b:x'] };
  });
  const cache = () => new ClassificationCache({ ttlMs: 5000, now: () => now });

  it('asks each shard only about ids it was not asked about, and answers the rest from memory', async () => {
    const c = cache();
    const first = await c.classify(['a', 'b'], ['dataset:a:t', 'dataset:b:x'], ask, (d) => versions[d]);
    expect(first.answers.find((x) => x.domain === 'b')!.restricted).toEqual(['dataset:b:x']);
    asked.length = 0;
    const second = await c.classify(['a', 'b'], ['dataset:a:t', 'dataset:b:x', 'job:a:new'], ask, (d) => versions[d]);
    expect(asked).toEqual([
      { domain: 'a', ids: ['job:a:new'] },
      { domain: 'b', ids: ['job:a:new'] },
    ]);
    expect(second.answers.find((x) => x.domain === 'b')).toMatchObject({ held: ['dataset:b:x'], restricted: ['dataset:b:x'] });
    expect(second.answers.find((x) => x.domain === 'a')!.held).toEqual(['dataset:a:t', 'job:a:new']);
  });

  it("a shard whose graph version moved on is asked again (a tag added is seen at once)", async () => {
    const c = cache();
    await c.classify(['b'], ['dataset:b:y'], ask, (d) => versions[d]);
    tags.b.push('dataset:b:y');
    versions.b = 2;
    asked.length = 0;
    const again = await c.classify(['b'], ['dataset:b:y'], ask, (d) => versions[d]);
    expect(asked).toHaveLength(1);
    expect(again.answers[0].restricted).toEqual(['dataset:b:y']);
  });

  it('entries expire after the TTL; TTL 0 never caches; a shard that does not answer is reported and not cached', async () => {
    const c = cache();
    await c.classify(['a'], ['dataset:a:t'], ask);
    now = 5001;
    asked.length = 0;
    await c.classify(['a'], ['dataset:a:t'], ask);
    expect(asked).toHaveLength(1);

    const none = new ClassificationCache({ ttlMs: 0, now: () => now });
    await none.classify(['a'], ['dataset:a:t'], ask);
    await none.classify(['a'], ['dataset:a:t'], ask);
    expect(asked).toHaveLength(3);

    const round = await c.classify(['a', 'down'], ['dataset:a:t'], ask);
    expect(round.missing).toEqual(['down']);
    expect(round.answers.map((x) => x.domain)).toEqual(['a']);
    asked.length = 0;
    await c.classify(['down'], ['dataset:a:t'], ask);
    expect(asked).toEqual([{ domain: 'down', ids: ['dataset:a:t'] }]);
  });
});
