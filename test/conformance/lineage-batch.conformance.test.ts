/**
 * Conformance (needs ../shared): every complete OpenLineage conformance event in one batch with broken ones mixed
 * in, to a shard and (a separate hub) to the gateway: the spec's batch answer, and exactly the good events stored.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { brokenEvents, expectSpecBatchAnswer, type MiniHub, mixBatch, startMiniHub, storedEvents } from '../testing/lineage-batch-kit';
import { loadManifestFixtures, OL_DIR, postJson } from '../testing/shard-test-kit';

if (!existsSync(path.join(OL_DIR, 'MANIFEST.md'))) {
  throw new Error(`conformance data missing: ${OL_DIR}/MANIFEST.md (put ../shared beside the checkout or set LINEAGE_SHARED_DIR)`);
}
const good = loadManifestFixtures(OL_DIR)
  .filter((f) => f.kind === 'complete')
  .flatMap((f) => f.events);
const distinct = new Set(good.map((e) => JSON.stringify(e))).size;
const template = good.find((e) => e.run && e.job)!;
const negatives = loadManifestFixtures(OL_DIR).filter((f) => f.kind === 'negative' && f.file.endsWith('event_no_run_id.json')).flatMap((f) => f.events);

describe.each([['shard'], ['gateway']])('the batch answer on every conformance event, at the %s', (edge) => {
  let hub: MiniHub;
  beforeAll(async () => {
    hub = await startMiniHub(['conformance'], '');
  });
  afterAll(() => hub?.close());

  it('stores exactly the good events and lists exactly the broken ones', async () => {
    expect(good.length).toBe(79); // one event per complete file of the MANIFEST
    const { batch, badIndexes } = mixBatch(good, [...brokenEvents(template), ...negatives]);
    const url = edge === 'shard' ? hub.shards.conformance.httpUrl : hub.gateway.url;
    const res = await postJson(`${url}/api/v1/lineage/batch`, batch);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expectSpecBatchAnswer(body, batch.length, badIndexes);
    expect(body.duplicates).toBe(good.length - distinct);
    expect(await storedEvents(hub.shards.conformance)).toBe(distinct);
  });
});
