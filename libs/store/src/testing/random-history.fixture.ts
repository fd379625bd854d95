/**
 * Seeded random OpenLineage histories for the order-independence suite: a few jobs with overlapping runs (START, a
 * RUNNING now and then, a terminal COMPLETE/FAIL/ABORT or none), outputs with schemas that change between two forms,
 * column lineage, lifecycle changes and job documentation now and then, and dataset events; many at equal times.
 */
import type { IngestInput } from '../lineage-store.port';
import { at, datasetEvent, input, runEvent, type DatasetSpec } from './store-events.fixture';

/** mulberry32: a small deterministic PRNG. */
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const shuffled = <T>(xs: T[], random: () => number): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const facet = (body: Record<string, unknown>) => ({ _producer: 't', _schemaURL: 't', ...body });

export const randomHistory = (seed: number): IngestInput[] => {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const some = <T>(xs: T[]): T[] => xs.filter(() => random() < 0.35);
  const tables = Array.from({ length: 4 + Math.floor(random() * 4) }, (_, i) => `t${i}`);
  const jobs = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, i) => `j${i}`);
  const schema = (): Array<[string, string]> => (random() < 0.5 ? [['a', 'int'], ['b', 'text']] : [['a', 'int'], ['c', 'text']]);
  const output = (name: string, inputs: string[]): DatasetSpec => {
    const facets: Record<string, unknown> = {};
    if (inputs.length > 0 && random() < 0.5) {
      const transformations = [{ type: pick(['DIRECT', 'INDIRECT']), subtype: 'IDENTITY' }];
      facets.columnLineage = facet({ fields: { a: { inputFields: [{ namespace: 'warehouse', name: pick(inputs), field: pick(['a', 'b']), transformations }] } } });
    }
    if (random() < 0.08) facets.lifecycleStateChange = facet({ lifecycleStateChange: pick(['DROP', 'OVERWRITE', 'CREATE', 'TRUNCATE']) });
    return { name, facets, ...(random() < 0.5 ? { fields: schema() } : {}) };
  };
  const events: IngestInput[] = [];
  let runs = 0;
  for (const job of jobs) {
    for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
      const runId = `00000000-0000-4000-8000-${String(++runs).padStart(12, '0')}`;
      const start = Math.floor(random() * 20);
      const inputs = some(tables);
      const outputs = some(tables).map((name) => output(name, inputs));
      const jobFacets = random() < 0.3 ? { documentation: facet({ description: pick(['x', 'y']) }) } : {};
      events.push(input(runEvent({ job, runId, type: 'START', time: at(start), inputs, outputs: random() < 0.7 ? outputs : [], jobFacets })));
      if (random() < 0.3) events.push(input(runEvent({ job, runId, type: 'RUNNING', time: at(start + 1 + Math.floor(random() * 3)), inputs: some(tables), outputs })));
      const end = random();
      const terminal = end < 0.6 ? 'COMPLETE' : end < 0.75 ? 'FAIL' : 'ABORT';
      if (end < 0.85) events.push(input(runEvent({ job, runId, type: terminal, time: at(start + 2 + Math.floor(random() * 8)), inputs, outputs })));
    }
  }
  for (let i = Math.floor(random() * 3); i > 0; i--) events.push(input(datasetEvent(at(Math.floor(random() * 30)), { name: pick(tables), fields: schema() })));
  return events;
};
