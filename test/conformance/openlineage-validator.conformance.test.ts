/**
 * Conformance (npm run test:conformance; needs ../shared): the project's own OpenLineage definitions against the
 * official JSON Schemas in ../shared/conformance/openlineage/spec (compiled with ajv), on every event object of
 * every event file (complete, negative and matcher files alike), on mutants of them, and on every facet example:
 * the same accept/reject verdict and the same dropped facets, every time. Also the MANIFEST's own counts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sharedDir } from '@lineage-hub/common';
import { createEventValidator, type EventValidator } from '@lineage-hub/model';
import { DATASET_FACETS, INPUT_DATASET_FACETS, OUTPUT_DATASET_FACETS } from '../../libs/model/src/openlineage-dataset-facets.schema';
import { JOB_FACETS, RUN_FACETS } from '../../libs/model/src/openlineage-run-job-facets.schema';
import { createOfficialOracle, type OfficialOracle } from '../../libs/model/src/testing/official-openlineage.oracle';

const olDir = path.join(sharedDir(), 'conformance', 'openlineage');
if (!fs.existsSync(path.join(olDir, 'MANIFEST.md'))) {
  throw new Error(`conformance data missing: ${olDir}/MANIFEST.md (put ../shared beside the checkout or set LINEAGE_SHARED_DIR)`);
}
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
const rows: ManifestRow[] = fs
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
const eventRows = rows.filter((row) => row.file.startsWith('events/'));
const completeRows = rows.filter((row) => row.kind === 'complete');
const negativeRows = rows.filter((row) => row.kind === 'negative');

let validator: EventValidator;
let oracle: OfficialOracle;
beforeAll(() => {
  validator = createEventValidator();
  oracle = createOfficialOracle(path.join(olDir, 'spec'));
});

/** Our verdict in the oracle's terms. */
const ours = (raw: unknown) => {
  const result = validator.validate(raw);
  return result.ok ? { accepted: true, dropped: result.warnings.map((w) => w.facet) } : { accepted: false, dropped: [] };
};

/**
 * The one rule the hub adds to the schema (which does not enforce `format`): eventTime must be a parseable date-time.
 * Applied to the official verdict too, so every other difference shows.
 */
const withEventTimeRule = (raw: unknown, verdict: { accepted: boolean; dropped: string[] }) =>
  verdict.accepted && Number.isNaN(Date.parse((raw as { eventTime?: string }).eventTime as string)) ? { accepted: false, dropped: [] } : verdict;

/** Variants that must flip some verdicts: each top-level field removed, or replaced by a value of another type. */
const mutants = (raw: unknown): unknown[] => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const out: unknown[] = [];
  for (const key of Object.keys(raw)) {
    const { [key]: _dropped, ...rest } = raw as Record<string, unknown>;
    out.push(rest);
    for (const other of [42, 'x', [], {}, null]) out.push({ ...rest, [key]: other });
  }
  return out;
};

describe('the project definitions agree with the official OpenLineage schemas', () => {
  it('lists every event file of the MANIFEST', () => {
    expect(eventRows.length).toBe(150);
    expect(completeRows.length).toBe(79);
    expect(negativeRows.length).toBe(6);
  });

  it('gives every event object the official verdict and drops exactly the facets the official facet schemas fail', () => {
    const disagreements: string[] = [];
    let accepted = 0;
    let rejected = 0;
    let dropped = 0;
    let checked = 0;
    for (const row of eventRows) {
      eventsIn(row.file).forEach((raw, i) => {
        for (const [variant, event] of [['as sent', raw], ...mutants(raw).map((m, j) => [`mutant ${j}`, m] as const)] as const) {
          const official = withEventTimeRule(event, oracle.judge(event));
          const mine = ours(event);
          checked++;
          if (official.accepted) accepted++;
          else rejected++;
          dropped += official.dropped.length;
          if (official.accepted !== mine.accepted || JSON.stringify([...official.dropped].sort()) !== JSON.stringify([...mine.dropped].sort())) {
            disagreements.push(`${row.file}#${i} ${variant}: official ${JSON.stringify(official)} ours ${JSON.stringify(mine)}`);
          }
        }
      });
    }
    expect(disagreements).toEqual([]);
    // the comparison is not vacuous: both verdicts and dropped facets occur
    expect(checked).toBeGreaterThan(2000);
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(500);
    expect(dropped).toBeGreaterThan(5);
  });

  it('defines exactly the standard facets (key and placement) of the official facet schemas', () => {
    const mine = [...RUN_FACETS, ...JOB_FACETS, ...DATASET_FACETS, ...INPUT_DATASET_FACETS, ...OUTPUT_DATASET_FACETS].map((d) => `${d.placement}:${d.key}`).sort();
    expect(mine).toEqual(oracle.standardFacets().map(([placement, key]) => `${placement}:${key}`).sort());
  });

  describe('facet examples from the spec (as written, with the base facet fields added, and mutated)', () => {
    const exampleDir = path.join(olDir, 'spec', 'facet-examples');
    const examples = fs.readdirSync(exampleDir).flatMap((dir) => fs.readdirSync(path.join(exampleDir, dir)).map((file) => [dir, file] as const));
    const definitions = [...RUN_FACETS, ...JOB_FACETS, ...DATASET_FACETS, ...INPUT_DATASET_FACETS, ...OUTPUT_DATASET_FACETS];
    /** The official facet file a definition comes from (two files define two facets each). */
    const fileOf = (name: string) =>
      name.startsWith('Lineage') ? 'LineageFacet' : /^(Input|Output)Subset/.test(name) ? 'BaseSubsetDatasetFacet' : name;
    /** The official file's root: `{key: anyOf(...)}` for LineageFacet, `{subset: oneOf(input, output)}` for subsets. */
    const oursForFile = (file: string, example: Record<string, unknown>) =>
      Object.entries(example).every(([key, facet]) => {
        const defs = definitions.filter((d) => fileOf(d.name) === file && d.key === key);
        if (!defs.length) return true;
        const passing = defs.filter((d) => validator.validateFacet(d.placement, d.key, facet)?.ok).length;
        return file === 'BaseSubsetDatasetFacet' ? passing === 1 : passing >= 1;
      }) && (file !== 'BaseSubsetDatasetFacet' || 'subset' in example);

    it('has an example for most standard facets', () => {
      expect(examples.length).toBeGreaterThanOrEqual(46);
    });

    it.each(examples)('%s/%s', (dir, file) => {
      const example = readJson(path.join('spec', 'facet-examples', dir, file)) as Record<string, Record<string, unknown>>;
      const withBase = Object.fromEntries(Object.entries(example).map(([k, v]) => [k, { _producer: 'https://example.com/p', _schemaURL: 'https://example.com/s', ...v }]));
      const variants: Array<[string, Record<string, unknown>]> = [
        ['as written', example],
        ['with base fields', withBase],
        ...Object.entries(withBase).flatMap(([key, facet]) => mutants(facet).map((m, j): [string, Record<string, unknown>] => [`${key} mutant ${j}`, { ...withBase, [key]: m }])),
      ];
      const disagreements = variants
        .map(([label, variant]) => [label, oracle.judgeFacetExample(dir, variant), oursForFile(dir, variant)] as const)
        .filter(([, official, mine]) => official !== mine);
      expect(disagreements).toEqual([]);
      expect(oracle.judgeFacetExample(dir, withBase)).toBe(true);
    });
  });
});

describe('OpenLineage conformance events, as the MANIFEST counts them', () => {
  it.each(completeRows.map((row) => [row.file, row] as const))('%s validates', (file, row) => {
    const events = eventsIn(file);
    expect(events).toHaveLength(row.events!);
    let warnings = 0;
    for (const event of events) {
      const result = validator.validate(event);
      if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
      warnings += result.warnings.length;
      // prepared (canonical) events validate again, with nothing more to drop, and prepare is idempotent
      const prepared = validator.prepare(event);
      const again = validator.validate(prepared.event);
      if (!again.ok) throw new Error(`${file}: ${JSON.stringify(again.errors)}`);
      expect(again.warnings).toEqual([]);
      expect(validator.prepare(prepared.event).event).toEqual(prepared.event);
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

  it('rejects the event without run.runId, naming the field', () => {
    const result = validator.validate(readJson('events/negative/proxy-fluentd/event_no_run_id.json'));
    expect(result).toEqual({ ok: false, errors: [{ field: 'run.runId', message: 'is required' }] });
  });
});
