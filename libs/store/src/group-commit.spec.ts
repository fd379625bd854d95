import { GroupCommit } from './group-commit';
import type { IngestInput, LineageStore } from './lineage-store.port';
import { SqliteLineageStore } from './sqlite-lineage.store';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { at, input, runEvent } from './testing/store-events.fixture';

useThisRealmForSqliteErrors();

const single = (i: number, job = `job_${i % 4}`): IngestInput => input(runEvent({ job, runId: `run-${i}`, type: 'START', time: at(i), inputs: [`in_${i}`], outputs: ['out'] }));

describe('GroupCommit over a real store', () => {
  let store: LineageStore;
  let commits: number[];
  let groups: GroupCommit;
  beforeEach(async () => {
    store = await SqliteLineageStore.open(':memory:');
    commits = [];
    groups = new GroupCommit(async (batch) => {
      commits.push(batch.length);
      return store.ingest(batch);
    });
  });
  afterEach(() => store.close());

  it('32 concurrent single events share a few commits; each caller gets its own outcome, durable when it resolves', async () => {
    const seen: Array<Promise<void>> = [];
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        groups.submit([single(i)]).then((r) => {
          seen.push(store.getRun(`run-${i}`).then((run) => expect(run?.runId).toBe(`run-${i}`)));
          return r;
        }),
      ),
    );
    await Promise.all(seen);
    expect(commits.length).toBeLessThanOrEqual(2);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(32);
    expect(results.map((r) => r.outcomes.length)).toEqual(new Array(32).fill(1));
    expect(new Set(results.map((r) => r.outcomes[0].seq)).size).toBe(32);
    expect((await store.stats()).events).toBe(32);
  });

  it('the same event from two callers of one group: stored once, the second is a duplicate of the same seq', async () => {
    await groups.submit([single(100)]);
    const [a, b] = await Promise.all([groups.submit([single(1)]), groups.submit([single(1)])]);
    expect(a.outcomes[0]).toEqual({ seq: 2, duplicate: false });
    expect(b.outcomes[0]).toEqual({ seq: 2, duplicate: true });
  });

  it('a refused event fails only its own caller; the others of its group are stored', async () => {
    await groups.submit([single(100, 'owner')]);
    const calls = [
      groups.submit([single(1)]),
      groups.submit([single(2)]),
      groups.submit([single(3), input(runEvent({ job: 'j', runId: '', type: 'START', time: at(1) }))]), // empty run id, index 1
      groups.submit([single(4)]),
      groups.submit([input(runEvent({ job: 'thief', runId: 'run-100', type: 'START', time: at(1) }))]), // another job's run id
      groups.submit([single(5)]),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid-argument', field: 'run.runId', details: { index: 1 } });
    expect((settled[4] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', field: 'run.runId' });
    expect((await store.stats()).events).toBe(5);
    expect(await store.getRun('run-3')).toBeNull();
  });

  it('callers that arrive in the same turn of the event loop (requests parsed after a commit) go in one group; stats count commits and events', async () => {
    const calls: Array<Promise<unknown>> = [groups.submit([single(1)])];
    // what a commit's end looks like to the next requests: they are parsed in callbacks and microtasks after it
    process.nextTick(() => calls.push(groups.submit([single(2)])));
    queueMicrotask(() => calls.push(groups.submit([single(3), single(4)])));
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(calls);
    expect(commits).toEqual([4]);
    expect(groups.stats()).toEqual({ commits: 1, events: 4 });
    await groups.submit([single(5)]);
    expect(groups.stats()).toEqual({ commits: 2, events: 5 });
  });
});
