/**
 * `lineage verify --derived`: rebuilds the derived tables (edges, runs, datasets, versions, jobs, ...) from the event
 * log into a scratch store (a SQLite file of its own, deleted after) and compares them with the live ones, row by
 * row. A live row the events do not produce has no event behind it (e.g. an edge inserted by hand); a row the events
 * produce that the live tables lack is missing. Both make the answer `ok: false`.
 *
 * The provenance of an event (declared, observed, manual) comes from the request that sent it, not from the event,
 * so the rebuild takes it from the live run the event derives to (declared when there is none): a changed provenance
 * alone is not detected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DerivedRow, DerivedTable, IngestInput, LineageStore } from './lineage-store.port';
import { canonicalJson } from './derive/canonical-json';
import { DERIVED_TABLES } from './relational/derived-rows.reader';
import { SqliteLineageStore } from './sqlite-lineage.store';

export interface DerivedTableComparison {
  table: DerivedTable;
  live: number;
  rebuilt: number;
  /** Live rows no event produces. */
  unbacked: number;
  /** Rows the events produce that the live table lacks. */
  missing: number;
}

export interface DerivedDifference {
  table: DerivedTable;
  problem: 'no event behind it' | 'missing';
  row: DerivedRow;
}

export interface DerivedVerification {
  ok: boolean;
  /** Events replayed (seq 1 to the head when the live rows were read). */
  events: number;
  /** Events the current validation refuses, so the rebuild could not replay them (their seqs, the first 20). */
  unreplayable: number[];
  tables: DerivedTableComparison[];
  /** The first differences (at most `sample` per table). */
  differences: DerivedDifference[];
}

export interface VerifyDerivedOptions {
  /** The event as the shard's ingest prepares it (validation, canonical names). Throws for an event it refuses. */
  prepare: (raw: Record<string, any>) => Pick<IngestInput, 'event' | 'raw'>;
  /** Runs fn with ingest paused (the shard's write queue), so the live rows and the head seq belong together. */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Differences listed per table (default 20). */
  sample?: number;
  /** Where the scratch store is created (default the OS temp folder). */
  scratchDir?: string;
}

const TABLES = Object.keys(DERIVED_TABLES) as DerivedTable[];
const PAGE = 1000;

/** The run an event derives to (see deriveEvent): its runId, or the pseudo-run its hash names. */
const runKey = (event: Record<string, any>, hash: string): string | null => {
  if (event?.job && typeof event.job === 'object') {
    const runId = event.run?.runId;
    return typeof runId === 'string' && runId ? runId : `job-event:${hash}`;
  }
  return event?.dataset && typeof event.dataset === 'object' ? `dataset-event:${hash}` : null;
};

const readAll = async (store: LineageStore): Promise<Map<DerivedTable, DerivedRow[]>> => {
  const out = new Map<DerivedTable, DerivedRow[]>();
  for (const table of TABLES) out.set(table, await store.derivedRows(table));
  return out;
};

const compare = (table: DerivedTable, live: DerivedRow[], rebuilt: DerivedRow[], sample: number) => {
  const expected = new Map<string, { row: DerivedRow; count: number }>();
  for (const row of rebuilt) {
    const key = canonicalJson(row);
    const known = expected.get(key);
    if (known) known.count++;
    else expected.set(key, { row, count: 1 });
  }
  const differences: DerivedDifference[] = [];
  let unbacked = 0;
  for (const row of live) {
    const known = expected.get(canonicalJson(row));
    if (known && known.count > 0) {
      known.count--;
      continue;
    }
    unbacked++;
    if (differences.length < sample) differences.push({ table, problem: 'no event behind it', row });
  }
  let missing = 0;
  for (const { row, count } of expected.values()) {
    if (count === 0) continue;
    missing += count;
    if (differences.length < 2 * sample) differences.push({ table, problem: 'missing', row });
  }
  return { comparison: { table, live: live.length, rebuilt: rebuilt.length, unbacked, missing }, differences };
};

/** Replays the events up to `head` into `scratch`, in seq order, in batches (one event at a time when a batch fails). */
const replay = async (live: LineageStore, scratch: LineageStore, head: number, provenanceOf: Map<string, string>, opts: VerifyDerivedOptions) => {
  const unreplayable: number[] = [];
  let replayed = 0;
  for (let after = 0; after < head; ) {
    const page = (await live.eventsBySeq(after, PAGE)).filter((e) => e.seq <= head);
    if (page.length === 0) break;
    after = page[page.length - 1].seq;
    const inputs: Array<{ seq: number; input: IngestInput }> = [];
    for (const stored of page) {
      try {
        const key = runKey(stored.event, stored.hash);
        const provenance = (key && provenanceOf.get(key)) as IngestInput['provenance'];
        inputs.push({ seq: stored.seq, input: { ...opts.prepare(stored.event), ...(provenance ? { provenance } : {}), receivedAt: stored.receivedAt } });
      } catch {
        unreplayable.push(stored.seq);
      }
    }
    try {
      await scratch.ingest(inputs.map((i) => i.input));
      replayed += inputs.length;
    } catch {
      for (const { seq, input } of inputs) {
        try {
          await scratch.ingest([input]);
          replayed++;
        } catch {
          unreplayable.push(seq);
        }
      }
    }
  }
  return { replayed, unreplayable };
};

export async function verifyDerived(live: LineageStore, opts: VerifyDerivedOptions): Promise<DerivedVerification> {
  const exclusive = opts.exclusive ?? (<T>(fn: () => Promise<T>) => fn());
  const sample = opts.sample ?? 20;
  const { head, liveRows } = await exclusive(async () => ({ head: await live.headSeq(), liveRows: await readAll(live) }));
  const provenanceOf = new Map((liveRows.get('runs') ?? []).map((r) => [r.run_id as string, r.provenance as string]));
  const dir = mkdtempSync(path.join(opts.scratchDir ?? tmpdir(), 'lineage-verify-derived-'));
  const scratch = await SqliteLineageStore.open(path.join(dir, 'rebuilt.db'));
  try {
    const { replayed, unreplayable } = await replay(live, scratch, head, provenanceOf, opts);
    const rebuiltRows = await readAll(scratch);
    const tables: DerivedTableComparison[] = [];
    const differences: DerivedDifference[] = [];
    for (const table of TABLES) {
      const result = compare(table, liveRows.get(table) ?? [], rebuiltRows.get(table) ?? [], sample);
      tables.push(result.comparison);
      differences.push(...result.differences);
    }
    const ok = unreplayable.length === 0 && tables.every((t) => t.unbacked === 0 && t.missing === 0);
    return { ok, events: replayed, unreplayable: unreplayable.slice(0, 20), tables, differences };
  } finally {
    await scratch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
