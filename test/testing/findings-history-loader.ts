/**
 * Loads a generated history (libs/reconcile/testing) into a shard's store: runs as OpenLineage events, writes,
 * coverage, policies. Each data write also arrives as the worker delivers it: with the connector's observed run of
 * the statement (provenance `observed`, its ExternalQueryRunFacet naming the query id), which must explain nothing.
 */
import { deterministicUuid, observedRunEvent } from '@lineage-hub/connector-sdk';
import type { LineageStore } from '@lineage-hub/store';
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import type { HistoryFacts, RunFact } from '@lineage-hub/reconcile';

const dataset = (id: NodeId) => {
  const p = parseNodeId(id) as { namespace: string; name: string };
  return { namespace: p.namespace, name: p.name, facets: {} };
};

export const runEvent = (run: RunFact, type: string, time: number, withFacets: boolean) => {
  const job = parseNodeId(run.job) as { namespace: string; name: string };
  const e = {
    eventType: type,
    eventTime: new Date(time).toISOString(),
    producer: 'https://example.com/findings-generator',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: {
      runId: run.runId,
      facets: withFacets && run.externalQueryIds.length
        ? { externalQuery: { _producer: 'https://example.com', _schemaURL: 'https://openlineage.io/spec/facets/1-0-2/ExternalQueryRunFacet.json', externalQueryId: run.externalQueryIds[0], source: 'warehouse' } }
        : {},
    },
    job: { namespace: job.namespace, name: job.name, facets: {} },
    inputs: run.inputs.map(dataset),
    outputs: run.outputs.map(dataset),
  };
  return { event: e, raw: e };
};

export const loadHistory = async (store: LineageStore, facts: HistoryFacts): Promise<void> => {
  const inputs = facts.runs.flatMap((r) => {
    const out = [runEvent(r, 'START', r.startedAt!, true)];
    if (r.endedAt !== null) out.push(runEvent(r, r.state === 'FAIL' ? 'FAIL' : 'COMPLETE', r.endedAt, false));
    return out;
  });
  for (let i = 0; i < inputs.length; i += 500) await store.ingest(inputs.slice(i, i + 500));
  const writes = facts.writes.map((w) => ({
    dataset: w.dataset,
    sources: w.sources,
    writtenAt: w.at,
    queryId: w.queryId,
    connectorId: w.connectorId,
    ...(w.operation && { operation: w.operation as never }),
    ...(w.actor && { actor: w.actor }),
    ...(w.queryText && { queryText: w.queryText }),
    ...(w.rows !== undefined && { rows: w.rows }),
    ...(w.hints && { hints: w.hints }),
  }));
  for (let i = 0; i < writes.length; i += 1000) await store.recordObservedWrites(writes.slice(i, i + 1000));
  const observed = facts.writes
    .filter((w) => w.operation !== 'DELETE' && w.operation !== 'TRUNCATE')
    .map((w) => {
      const out = dataset(w.dataset);
      const event = observedRunEvent({
        producer: 'https://example.com/findings-generator/connector',
        runId: deterministicUuid('observed', w.connectorId, w.queryId, w.dataset),
        job: { namespace: out.namespace, name: `query_${w.queryId}` },
        eventTime: w.at,
        startTime: w.at - 60_000,
        inputs: w.sources.map(dataset),
        outputs: [out],
        externalQueryId: w.queryId,
        source: out.namespace,
        integration: 'GENERATED',
      });
      return { event, raw: event, provenance: 'observed' as const };
    });
  for (let i = 0; i < observed.length; i += 500) await store.ingest(observed.slice(i, i + 500));
  await store.findings.recordCoverage(facts.coverage);
  await store.findings.putPolicies({ policies: [...facts.policies] }, 0);
};
