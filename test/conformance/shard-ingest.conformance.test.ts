/**
 * Conformance (needs ../shared): a real shard (SQLite in a temp folder) takes every complete event of the
 * OpenLineage conformance data (../shared/conformance/openlineage/MANIFEST.md) in replay order, places each
 * RunEvent's inputs and outputs around its job, answers column lineage for every columnLineage facet, refuses the
 * envelope without a runId and stores the invalid-facet events with a warning. Fails loudly without ../shared.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalNodeId } from '@lineage-hub/model';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { getJson, loadManifestFixtures, OL_DIR, postJson } from '../testing/shard-test-kit';

if (!existsSync(path.join(OL_DIR, 'MANIFEST.md'))) {
  throw new Error(`conformance data missing: ${OL_DIR}/MANIFEST.md (put ../shared beside the checkout or set LINEAGE_SHARED_DIR)`);
}
const fixtures = loadManifestFixtures(OL_DIR);
const completeEvents = fixtures.filter((f) => f.kind === 'complete').flatMap((f) => f.events.map((event) => ({ file: f.file, event })));
const negative = fixtures.filter((f) => f.kind === 'negative');
const runEvents = completeEvents.filter(({ event }) => event.run && event.job);
const dsId = (ref: { namespace: string; name: string }) => canonicalNodeId(`dataset:${ref.namespace}:${ref.name}`);
const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

describe('a shard on the OpenLineage conformance events', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'shard-conf-'));
  let shard: RunningShard;

  beforeAll(async () => {
    shard = await startShard(
      shardConfig({ port: 0, rpcPort: 0, rpcHost: '127.0.0.1', domain: 'conformance', storeUrl: `sqlite:${path.join(tmp, 'lineage.db')}`, logLevel: 'error' }),
    );
  });
  afterAll(async () => {
    await shard?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the 79 complete and 6 negative files of the MANIFEST', () => {
    expect(fixtures.filter((f) => f.kind === 'complete')).toHaveLength(79);
    expect(negative).toHaveLength(6);
  });

  it('accepts every complete event on POST /api/v1/lineage, in replay order', async () => {
    for (const { file, event } of completeEvents) {
      const res = await postJson(`${shard.httpUrl}/api/v1/lineage`, event);
      expect({ file, status: res.status }).toEqual({ file, status: 200 });
    }
  });

  it("places each RunEvent's inputs and outputs around its job (as of the event time)", async () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { file, event } of runEvents) {
      const job = `job:${event.job.namespace}:${event.job.name}`;
      const ios = [...(event.inputs ?? []).map((d: any) => ['in', dsId(d)]), ...(event.outputs ?? []).map((d: any) => ['out', dsId(d)])];
      if (!ios.length) continue;
      const { status, body } = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: job, depth: 1, asOf: event.eventTime })}`);
      expect({ file, status }).toEqual({ file, status: 200 });
      const node = body.graph.find((n: any) => n.id === job);
      for (const [side, id] of ios) {
        const found = side === 'in' ? node.inEdges.some((e: any) => e.origin === id) : node.outEdges.some((e: any) => e.destination === id);
        if (!found) missing.push(`${file}: ${side} ${id}`);
        checked++;
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('answers column lineage for every output that declared a columnLineage facet', async () => {
    let checked = 0;
    for (const { file, event } of runEvents) {
      for (const output of event.outputs ?? []) {
        const fields = output.facets?.columnLineage?.fields;
        if (!fields) continue;
        const { status, body } = await getJson(`${shard.httpUrl}/api/v1/column-lineage?${q({ nodeId: dsId(output), depth: 1, asOf: event.eventTime })}`);
        expect({ file, status }).toEqual({ file, status: 200 });
        for (const [field, spec] of Object.entries<any>(fields)) {
          const fieldId = canonicalNodeId(`datasetField:${output.namespace}:${output.name}:${field}`);
          const node = body.graph.find((n: any) => n.id === fieldId);
          for (const input of spec.inputFields ?? []) {
            const inputId = canonicalNodeId(`datasetField:${input.namespace}:${input.name}:${input.field}`);
            expect({ file, fieldId, inputId, edge: !!node?.inEdges.some((e: any) => e.destination === inputId) }).toEqual({ file, fieldId, inputId, edge: true });
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('refuses the envelope without a runId (400 naming run.runId) and stores each invalid-facet event with a warning', async () => {
    for (const file of negative) {
      const [event] = file.events;
      const res = await postJson(`${shard.httpUrl}/api/v1/lineage`, event);
      const body = (await res.json()) as any;
      if (file.file.endsWith('event_no_run_id.json')) {
        expect({ file: file.file, status: res.status, message: body.message }).toEqual({ file: file.file, status: 400, message: expect.stringMatching(/run\.runId/) });
      } else {
        expect({ file: file.file, status: res.status, warned: body.warnings?.length > 0 }).toEqual({ file: file.file, status: 200, warned: true });
      }
    }
  });
});
