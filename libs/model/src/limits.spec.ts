import { checkEventLimits, checkTextLimit, LIMITS } from './limits';

const event = (patch: Record<string, unknown>) => ({
  eventType: 'START',
  eventTime: '2024-01-01T00:00:00Z',
  run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8', facets: {} },
  job: { namespace: 'ns', name: 'job', facets: {} },
  inputs: [{ namespace: 'pg://h', name: 'db.s.t', facets: {} }],
  outputs: [],
  ...patch,
});

const refusal = (value: unknown) => {
  try {
    checkEventLimits(value);
  } catch (error) {
    return { code: (error as { code: string }).code, field: (error as { field: string }).field };
  }
  return null;
};

describe('checkEventLimits', () => {
  it('accepts an ordinary event and values exactly at the limits', () => {
    expect(refusal(event({}))).toBeNull();
    expect(refusal(event({ job: { namespace: 'n'.repeat(LIMITS.namespaceBytes), name: 'j'.repeat(LIMITS.nameBytes) } }))).toBeNull();
    expect(refusal(event({ run: { runId: '😀'.repeat(LIMITS.runIdBytes / 4) } }))).toBeNull();
  });

  it('names the field of each breach', () => {
    expect(refusal(event({ run: { runId: '' } }))).toEqual({ code: 'invalid-argument', field: 'run.runId' });
    expect(refusal(event({ run: { runId: '  ' } }))).toEqual({ code: 'invalid-argument', field: 'run.runId' });
    expect(refusal(event({ job: { namespace: 'ns', name: 'é'.repeat(LIMITS.nameBytes / 2 + 1) } }))).toEqual({ code: 'invalid-argument', field: 'job.name' });
    expect(refusal(event({ outputs: [{}, { namespace: 'ns', name: 'a\u0000' }] }))).toEqual({ code: 'invalid-argument', field: 'outputs[1].name' });
    expect(refusal(event({ dataset: { namespace: 'x'.repeat(LIMITS.namespaceBytes + 1), name: 'd' } }))).toEqual({ code: 'invalid-argument', field: 'dataset.namespace' });
    expect(refusal(event({ producer: 'bad \udc00 surrogate' }))).toEqual({ code: 'invalid-argument', field: 'producer' });
    expect(refusal(event({ inputs: [{ namespace: 'ns', name: 't', facets: { 'odd key': { v: ['\u0000'] } } }] }))).toEqual({ code: 'invalid-argument', field: 'inputs[0].facets["odd key"].v[0]' });
  });

  it('walks any depth without recursion and refuses beyond the nesting limit, naming the facet', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(refusal(event({ run: { runId: 'r', facets: { deep } } }))).toEqual({ code: 'invalid-argument', field: 'run.facets.deep' });
  });

  it('bounds each facet, not the event', () => {
    const half = 'x'.repeat(LIMITS.facetBytes / 2);
    expect(refusal(event({ job: { namespace: 'ns', name: 'j', facets: { a: { q: half }, b: { q: half } } } }))).toBeNull();
    expect(refusal(event({ job: { namespace: 'ns', name: 'j', facets: { a: { q: half, r: half } } } }))).toEqual({ code: 'invalid-argument', field: 'job.facets.a' });
  });

  it('checkTextLimit counts UTF-8 bytes and accepts surrogate pairs', () => {
    expect(() => checkTextLimit('f', '😀', 4)).not.toThrow();
    expect(() => checkTextLimit('f', '😀x', 4)).toThrow('f: longer than 4 bytes');
  });
});
