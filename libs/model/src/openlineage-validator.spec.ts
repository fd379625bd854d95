import { DomainError } from './errors';
import { createEventValidator, type EventValidator, prepareEvent } from './openlineage-validator';
import type { ColumnLineageDatasetFacet, RunEvent } from './openlineage.types';

/** Project-owned cases written from the OpenLineage 2-0-2 spec; the conformance data is checked in *.conformance.spec.ts. */
let validator: EventValidator;
beforeAll(() => {
  validator = createEventValidator();
});

const facetBase = { _producer: 'https://example.com/producer', _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json' };
const runEvent = (extra: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE',
  eventTime: '2024-05-01T10:00:00Z',
  producer: 'https://example.com/producer',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' },
  job: { namespace: 'airflow', name: 'dag.task' },
  inputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders' }],
  outputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.daily' }],
  ...extra,
});

describe('standard facets, by key and placement', () => {
  it.each([
    ['run.facets.parent', { run: { runId: 'r', facets: { parent: { ...facetBase, run: {}, job: { namespace: 'n', name: 'j' } } } } }],
    ['run.facets.nominalTime', { run: { runId: 'r', facets: { nominalTime: { ...facetBase, nominalEndTime: '2024-01-01T00:00:00Z' } } } }],
    ['run.facets.errorMessage', { run: { runId: 'r', facets: { errorMessage: { ...facetBase, message: 'boom' } } } }],
    ['job.facets.ownership', { job: { namespace: 'n', name: 'j', facets: { ownership: { ...facetBase, owners: [{ type: 'team' }] } } } }],
    ['job.facets.sql', { job: { namespace: 'n', name: 'j', facets: { sql: { ...facetBase, query: 42 } } } }],
    ['job.facets.jobType', { job: { namespace: 'n', name: 'j', facets: { jobType: { ...facetBase, processingType: 'BATCH', integration: 'x', emissionPattern: { eventTrigger: 'a', eventContentMode: 'b', windowDuration: 0 } } } } }],
    ['outputs[0].facets.schema', { outputs: [{ namespace: 'n', name: 'd', facets: { schema: { ...facetBase, fields: [{ type: 'int' }] } } }] }],
    ['outputs[0].facets.columnLineage', { outputs: [{ namespace: 'n', name: 'd', facets: { columnLineage: { ...facetBase, fields: { a: { inputFields: [{ namespace: 'n', name: 'x' }] } } } } }] }],
    ['outputs[0].facets.lifecycleStateChange', { outputs: [{ namespace: 'n', name: 'd', facets: { lifecycleStateChange: { ...facetBase, lifecycleStateChange: 'MOVE' } } }] }],
    ['outputs[0].outputFacets.outputStatistics', { outputs: [{ namespace: 'n', name: 'd', outputFacets: { outputStatistics: { ...facetBase, rowCount: 'many' } } }] }],
    ['inputs[0].inputFacets.dataQualityMetrics', { inputs: [{ namespace: 'n', name: 'd', inputFacets: { dataQualityMetrics: { ...facetBase, rowCount: 3 } } }] }],
    ['inputs[0].facets.symlinks', { inputs: [{ namespace: 'n', name: 'd', facets: { symlinks: { ...facetBase, identifiers: [{ namespace: 'n', name: 'x' }] } } }] }],
  ])('drops an invalid %s with a warning naming it and keeps the event', (facetPath, extra) => {
    const raw = runEvent(extra);
    const before = JSON.stringify(raw);
    const result = validator.validate(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings).toEqual([{ facet: facetPath, message: expect.stringContaining(`${facetPath}: `) }]);
    expect(JSON.stringify(result.event)).not.toContain(`"${facetPath.split('.').pop()}":`);
    expect(JSON.stringify(raw)).toBe(before); // the raw event is untouched
  });

  it('keeps valid standard facets, and judges a key by its placement (subset on an input and on an output)', () => {
    const subset = (side: 'inputCondition' | 'outputCondition') => ({ ...facetBase, [side]: { type: 'location', locations: ['s3://b/p=1'] } });
    const raw = runEvent({
      inputs: [{ namespace: 'n', name: 'a', inputFacets: { subset: subset('inputCondition') } }],
      outputs: [{ namespace: 'n', name: 'b', outputFacets: { subset: subset('inputCondition') } }],
    });
    const result = validator.validate(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.map((w) => w.facet)).toEqual(['outputs[0].outputFacets.subset']);
    expect((result.event as RunEvent).inputs![0].inputFacets).toEqual({ subset: subset('inputCondition') });
  });

  it('answers validateFacet for standard facets and null for custom ones', () => {
    expect(validator.validateFacet('DatasetFacet', 'schema', { ...facetBase, fields: [{ name: 'a', type: 'int', fields: [{ name: 'b' }] }] })).toEqual({ ok: true });
    expect(validator.validateFacet('DatasetFacet', 'schema', { ...facetBase, fields: [{ name: 'a', fields: [{ type: 'x' }] }] })).toMatchObject({ ok: false });
    expect(validator.validateFacet('JobFacet', 'schema', { anything: true })).toBeNull();
    expect(validator.validateFacet('RunFacet', 'myCompany_thing', {})).toBeNull();
  });

  it('refuses an event that is valid as two kinds at once (the spec: exactly one of RunEvent, DatasetEvent, JobEvent)', () => {
    const result = validator.validate({ eventTime: '2024-01-01T00:00:00Z', producer: 'p', schemaURL: 's', job: { namespace: 'n', name: 'j' }, dataset: { namespace: 'n', name: 'd' } });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'event', message: expect.stringMatching(/DatasetEvent and a valid JobEvent/) }] });
  });
});

describe('envelope errors', () => {
  const base = {
    eventType: 'START',
    eventTime: '2024-05-01T10:00:00.000Z',
    producer: 'https://example.com/producer',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: 'run_id' },
    job: { namespace: 'airflow', name: 'dag.task' },
  };

  it.each([
    ['a non-object body', [1, 2], 'event'],
    ['a null body', null, 'event'],
    ['a missing eventTime', { ...base, eventTime: undefined }, 'eventTime'],
    ['an unparseable eventTime', { ...base, eventTime: 'yesterday' }, 'eventTime'],
    ['a missing producer', { ...base, producer: undefined }, 'producer'],
    ['an unknown eventType', { ...base, eventType: 'FINISHED' }, 'eventType'],
    ['a missing job name', { ...base, job: { namespace: 'airflow' } }, 'job.name'],
    ['a run without runId', { ...base, run: {} }, 'run.runId'],
    ['a run that is not an object', { ...base, run: 'r-1' }, 'run'],
    ['a numeric runId', { ...base, run: { runId: 42 } }, 'run.runId'],
    ['an input without namespace', { ...base, inputs: [{ name: 'a' }] }, 'inputs[0].namespace'],
    ['an output name that is not a string', { ...base, outputs: [{ namespace: 'n', name: 'ok' }, { namespace: 'n', name: 7 }] }, 'outputs[1].name'],
    ['inputs that are not an array', { ...base, inputs: {} }, 'inputs'],
    ['a run facet without _producer', { ...base, run: { runId: 'r', facets: { custom: { _schemaURL: 'x' } } } }, 'run.facets.custom._producer'],
    ['a dataset event without dataset namespace', { eventTime: base.eventTime, producer: 'p', schemaURL: 's', dataset: { name: 'x' } }, 'dataset.namespace'],
    ['a job event without job name', { eventTime: base.eventTime, producer: 'p', schemaURL: 's', job: { namespace: 'n' } }, 'job.name'],
  ])('rejects %s naming %s', (_label, raw, field) => {
    const body = raw && typeof raw === 'object' ? JSON.parse(JSON.stringify(raw)) : raw;
    const result = validator.validate(body);
    if (result.ok) throw new Error('expected the event to be rejected');
    expect(result.errors.map((e) => e.field)).toContain(field);
  });

  it.each([
    ['RunEvent', base],
    ['DatasetEvent', { eventTime: base.eventTime, producer: 'p', schemaURL: 's', dataset: { namespace: 'n', name: 'd' } }],
    ['JobEvent', { eventTime: base.eventTime, producer: 'p', schemaURL: 's', job: { namespace: 'n', name: 'j' } }],
  ])('recognises a %s', (kind, raw) => {
    const result = validator.validate(raw);
    expect(result).toMatchObject({ ok: true, kind, warnings: [] });
  });

  it('passes custom facets and deleted facets untouched', () => {
    const raw = {
      ...base,
      job: {
        ...base.job,
        facets: {
          myCompany_owner: { _producer: 'p', _schemaURL: 's', team: 'x' },
          sql: { _producer: 'p', _schemaURL: 's', _deleted: true },
        },
      },
    };
    const result = validator.validate(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings).toEqual([]);
    expect((result.event as RunEvent).job.facets).toEqual(raw.job.facets);
  });
});

describe('prepareEvent', () => {
  const raw = {
    eventType: 'COMPLETE',
    eventTime: '2024-05-01T10:00:00Z',
    producer: 'https://example.com/producer',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' },
    job: {
      namespace: 'Airflow-Prod',
      name: 'Orders.Load',
      facets: {
        lineage: {
          _producer: 'p',
          _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/LineageFacet.json#/$defs/LineageJobFacet',
          entries: [
            {
              type: 'DATASET',
              namespace: 'SNOWFLAKE://Org-Acct',
              name: 'analytics.public.orders',
              inputs: [
                { type: 'DATASET', namespace: 'postgresql://DB:5432', name: 'Shop.Public.Orders' },
                { type: 'JOB', namespace: 'Airflow-Prod', name: 'Orders.Extract' },
              ],
              fields: { id: { inputs: [{ type: 'DATASET', namespace: 's3a://Bucket/', name: '/raw/orders', field: 'id' }] } },
            },
          ],
        },
      },
    },
    inputs: [
      {
        namespace: 'postgresql://DB:5432',
        name: 'Shop.Public.Orders',
        facets: {
          symlinks: {
            _producer: 'p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json',
            identifiers: [{ namespace: 'hive://Metastore:9083', name: 'Shop.Orders', type: 'TABLE' }],
          },
        },
      },
    ],
    outputs: [
      {
        namespace: 'snowflake://ORG-ACCT',
        name: 'analytics.public."Orders_Daily"',
        facets: {
          columnLineage: {
            _producer: 'p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
            fields: {
              total: {
                inputFields: [
                  {
                    namespace: 'postgresql://DB:5432',
                    name: 'Shop.Public.Orders',
                    field: 'amount',
                    transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', masking: false }],
                  },
                ],
              },
            },
            dataset: [{ namespace: 'postgresql://DB:5432', name: 'shop.public.orders', field: 'status', transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
          },
          lineage: {
            _producer: 'p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/LineageFacet.json#/$defs/LineageDatasetFacet',
            inputs: [{ type: 'DATASET', namespace: 'redshift://C.US-EAST-1:5439', name: 'Dev.Public.Orders' }],
          },
          lifecycleStateChange: {
            _producer: 'p',
            _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json',
            lifecycleStateChange: 'RENAME',
            previousIdentifier: { namespace: 'snowflake://org-acct', name: 'analytics.public.orders_old' },
          },
        },
        outputFacets: {
          outputStatistics: { _producer: 'p', _schemaURL: 's', rowCount: 'many' },
        },
      },
    ],
  };

  it('canonicalises every dataset reference and keeps jobs as sent', () => {
    const before = JSON.stringify(raw);
    const prepared = prepareEvent(raw, validator);
    const event = prepared.event as RunEvent;
    expect(prepared.kind).toBe('RunEvent');
    expect(prepared.raw).toBe(raw);
    expect(prepared.input).toEqual({ event: prepared.event, raw });
    expect(JSON.stringify(raw)).toBe(before);

    expect(event.job).toMatchObject({ namespace: 'Airflow-Prod', name: 'Orders.Load' });
    expect(event.inputs![0]).toMatchObject({ namespace: 'postgres://db:5432', name: 'shop.public.orders' });
    expect((event.inputs![0].facets!.symlinks as any).identifiers[0]).toEqual({
      namespace: 'hive://metastore:9083',
      name: 'shop.orders',
      type: 'TABLE',
    });
    expect(event.outputs![0]).toMatchObject({ namespace: 'snowflake://org-acct', name: 'ANALYTICS.PUBLIC."Orders_Daily"' });

    const columnLineage = event.outputs![0].facets!.columnLineage as ColumnLineageDatasetFacet;
    expect(columnLineage.fields.total.inputFields[0]).toEqual({
      namespace: 'postgres://db:5432',
      name: 'shop.public.orders',
      field: 'amount',
      transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', masking: false }],
    });
    expect(columnLineage.dataset![0]).toMatchObject({ namespace: 'postgres://db:5432', name: 'shop.public.orders', field: 'status' });
    expect((event.outputs![0].facets!.lineage as any).inputs[0]).toMatchObject({
      namespace: 'redshift://c.us-east-1:5439',
      name: 'dev.public.orders',
    });
    expect((event.outputs![0].facets!.lifecycleStateChange as any).previousIdentifier).toEqual({
      namespace: 'snowflake://org-acct',
      name: 'ANALYTICS.PUBLIC.ORDERS_OLD',
    });

    const entry = (event.job.facets!.lineage as any).entries[0];
    expect(entry).toMatchObject({ namespace: 'snowflake://org-acct', name: 'ANALYTICS.PUBLIC.ORDERS' });
    expect(entry.inputs).toEqual([
      { type: 'DATASET', namespace: 'postgres://db:5432', name: 'shop.public.orders' },
      { type: 'JOB', namespace: 'Airflow-Prod', name: 'Orders.Extract' },
    ]);
    expect(entry.fields.id.inputs[0]).toMatchObject({ namespace: 's3://bucket', name: 'raw/orders', field: 'id' });

    expect(prepared.warnings.map((w) => w.facet)).toEqual(['outputs[0].outputFacets.outputStatistics']);
    expect(event.outputs![0].outputFacets).toEqual({});
  });

  it('canonicalises the dataset of a DatasetEvent', () => {
    const prepared = validator.prepare({
      eventTime: '2024-05-01T10:00:00Z',
      producer: 'p',
      schemaURL: 's',
      dataset: { namespace: 'S3N://Bucket', name: '/a/b' },
    });
    expect(prepared).toMatchObject({ kind: 'DatasetEvent', event: { dataset: { namespace: 's3://bucket', name: 'a/b' } } });
  });

  it('throws an invalid-event DomainError naming the field', () => {
    const bad: Record<string, any> = runEvent();
    delete bad.run.runId;
    try {
      validator.prepare(bad);
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid-event', field: 'run.runId', details: { errors: [{ field: 'run.runId' }] } });
    }
  });
});
