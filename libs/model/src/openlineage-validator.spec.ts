import * as fs from 'fs';
import * as path from 'path';
import { DomainError } from './errors';
import { createEventValidator, type EventValidator, prepareEvent } from './openlineage-validator';
import type { ColumnLineageDatasetFacet, RunEvent } from './openlineage.types';

const sharedDir = process.env.LINEAGE_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared');
const olDir = path.join(sharedDir, 'conformance', 'openlineage');
const readJson = (relative: string): unknown => JSON.parse(fs.readFileSync(path.join(olDir, relative), 'utf8'));
const eventsIn = (relative: string): unknown[] => {
  const content = readJson(relative);
  return Array.isArray(content) ? content : [content];
};

interface ManifestRow {
  file: string;
  kind: string;
  events?: number;
  coreInvalid?: number;
  byKeyBad?: number;
}

/** Rows of every MANIFEST.md table whose first cell is a file path in backticks. */
const manifestRows = (): ManifestRow[] =>
  fs
    .readFileSync(path.join(olDir, 'MANIFEST.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, ''));
      const row: ManifestRow = { file: cells[0], kind: cells[3] };
      if (cells.length >= 8) {
        row.events = Number(cells[4]);
        row.coreInvalid = Number(cells[5]);
        row.byKeyBad = Number(cells[7].split('/')[1]);
      }
      return row;
    });

const rows = manifestRows();
const completeRows = rows.filter((row) => row.kind === 'complete');
const negativeRows = rows.filter((row) => row.kind === 'negative');

let validator: EventValidator;
beforeAll(() => {
  validator = createEventValidator({ specDir: path.join(olDir, 'spec') });
});

describe('OpenLineage conformance events (kinds from MANIFEST.md)', () => {
  it('finds the complete and negative files in the manifest', () => {
    expect(completeRows.length).toBe(79);
    expect(negativeRows.length).toBe(6);
  });

  it.each(completeRows.map((row) => [row.file, row] as const))('%s validates', (file, row) => {
    const events = eventsIn(file);
    expect(events).toHaveLength(row.events!);
    let warnings = 0;
    for (const event of events) {
      const result = validator.validate(event);
      if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
      warnings += result.warnings.length;
    }
    // the manifest counts standard facets failing their schema by key and placement: each is one warning
    expect(warnings).toBe(row.byKeyBad);
  });

  it.each(negativeRows.map((row) => [row.file, row] as const))('%s is flagged as the manifest says', (file, row) => {
    for (const event of eventsIn(file)) {
      const result = validator.validate(event);
      if (row.coreInvalid! > 0) {
        expect(result.ok).toBe(false);
      } else {
        if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
        expect(result.warnings).toHaveLength(row.byKeyBad!);
      }
    }
  });

  it('rejects an event without run.runId, naming the field', () => {
    const result = validator.validate(readJson('events/negative/proxy-fluentd/event_no_run_id.json'));
    expect(result).toEqual({ ok: false, errors: [{ field: 'run.runId', message: 'is required' }] });
  });

  it.each([
    ['event_invalid_dataset_facet.json', 'outputs[0].facets.ownership'],
    ['event_invalid_input_dataset_facet.json', 'inputs[0].inputFacets.dataQualityMetrics'],
    ['event_invalid_output_dataset_facet.json', 'outputs[0].outputFacets.outputStatistics'],
    ['event_invalid_job_facet.json', 'job.facets.ownership'],
    ['event_invalid_run_facet.json', 'run.facets.parent'],
  ])('accepts %s with a warning for %s and drops that facet', (file, facetPath) => {
    const raw = readJson(`events/negative/proxy-fluentd/${file}`);
    const before = JSON.stringify(raw);
    const result = validator.validate(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings).toEqual([{ facet: facetPath, message: expect.stringContaining(`${facetPath}: `) }]);
    const [container, ...rest] = facetPath.split('.');
    const key = rest.pop()!;
    const holder = rest.reduce<any>((node, part) => node[part], lookup(result.event, container));
    expect(holder).not.toHaveProperty(key);
    expect(JSON.stringify(raw)).toBe(before); // the raw event is untouched
  });

  it('accepts event_full.json with one warning and keeps its valid and custom facets', () => {
    const raw = readJson('events/proxy-fluentd/event_full.json') as any;
    const result = validator.validate(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.map((w) => w.facet)).toEqual(['inputs[0].inputFacets.dataQualityMetrics']);
    const event = result.event as RunEvent;
    expect(Object.keys(event.run.facets ?? {})).toEqual(Object.keys(raw.run.facets));
    expect(Object.keys(event.outputs![0].facets ?? {})).toEqual(Object.keys(raw.outputs[0].facets));
    expect(event.inputs![0].inputFacets).not.toHaveProperty('dataQualityMetrics');
  });
});

const lookup = (event: unknown, container: string): unknown => {
  const match = /^(\w+)(?:\[(\d+)\])?$/.exec(container)!;
  const value = (event as any)[match[1]];
  return match[2] === undefined ? value : value[Number(match[2])];
};

describe('facet examples from the spec', () => {
  const exampleDir = path.join(olDir, 'spec', 'facet-examples');
  const examples = fs
    .readdirSync(exampleDir)
    .flatMap((dir) => fs.readdirSync(path.join(exampleDir, dir)).map((file) => [dir, file] as const));

  const placeInEvent = (dir: string, key: string, facet: any): unknown => {
    const fragment = String(facet._schemaURL ?? '').split('/').pop() ?? '';
    const hint = `${dir} ${fragment}`;
    const event: any = {
      eventType: 'COMPLETE',
      eventTime: '2024-01-01T00:00:00Z',
      producer: 'https://example.com/test',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' },
      job: { namespace: 'ns', name: 'job' },
      inputs: [{ namespace: 'ns', name: 'in' }],
      outputs: [{ namespace: 'ns', name: 'out' }],
    };
    if (/JobFacet/.test(fragment) || dir.endsWith('JobFacet')) event.job.facets = { [key]: facet };
    else if (dir.endsWith('RunFacet')) event.run.facets = { [key]: facet };
    else if (/Input/.test(hint)) event.inputs[0].inputFacets = { [key]: facet };
    else if (/Output/.test(hint)) event.outputs[0].outputFacets = { [key]: facet };
    else event.outputs[0].facets = { [key]: facet };
    return event;
  };

  it.each(examples)('%s/%s passes its facet schema in its placement', (dir, file) => {
    const example = JSON.parse(fs.readFileSync(path.join(exampleDir, dir, file), 'utf8'));
    for (const [key, facet] of Object.entries(example)) {
      const result = validator.validate(placeInEvent(dir, key, facet));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.warnings).toEqual([]);
    }
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
    ['a missing run', { ...base, run: undefined }, 'run'],
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
    const bad = readJson('events/negative/proxy-fluentd/event_no_run_id.json');
    try {
      validator.prepare(bad);
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid-event', field: 'run.runId', details: { errors: [{ field: 'run.runId' }] } });
    }
  });

  it('turns every complete conformance event into a canonical event that validates again', () => {
    for (const row of completeRows) {
      for (const raw of eventsIn(row.file)) {
        const prepared = validator.prepare(raw);
        const again = validator.validate(prepared.event);
        if (!again.ok) throw new Error(`${row.file}: ${JSON.stringify(again.errors)}`);
        expect(again.warnings).toEqual([]);
        expect(validator.prepare(prepared.event).event).toEqual(prepared.event);
      }
    }
  });
});
