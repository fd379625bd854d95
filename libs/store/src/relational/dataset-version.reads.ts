/**
 * Dataset versions and column lineage as Marquez shows them, derived from what the store keeps (no schema is
 * stored again per run):
 * - a dataset has one version per run that wrote it (runs.outputs), newest first, with the schema version in
 *   effect when that run wrote it (dataset_versions, one row per distinct schema); a dataset no run wrote shows
 *   its schema versions. A run version's id is datasetRunVersionId(dataset, run): stable, a UUID.
 * - a dataset's column lineage is its fields' current column edges (kind 'column', valid_to NULL) with their
 *   input fields and transformations.
 * A dataset's writers are found through its writes edges (indexed by to_id) and their owners' runs.
 */
import { parseNodeId, type NodeId, type Transformation } from '@lineage-hub/model';
import { datasetRunVersionId } from '../derive/version-ids';
import type { ColumnLineageRecord, DatasetVersionRecord, Page } from '../lineage-store.port';
import type { SqlExecutor } from '../sql/sql-driver';
import { parse, selectIn, type Row } from './row-codec';
import { fieldsFromColumn } from './stored-fields.codec';

interface WriterRun {
  runId: string;
  startedAt: number;
  /** When its output was written: the end of the run, else its last state change. */
  writtenAt: number;
}

interface SchemaRow {
  version: string;
  createdAt: number;
  fields: DatasetVersionRecord['fields'];
  runId: string | null;
  facets: Record<string, unknown>;
}

const newestFirst = (a: WriterRun, b: WriterRun) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0);

export class DatasetVersionReads {
  constructor(private readonly db: SqlExecutor) {}

  async listDatasetVersions(id: NodeId, page: Page): Promise<{ items: DatasetVersionRecord[]; total: number }> {
    const [writers, schemas] = await Promise.all([this.writerRuns([id]).then((m) => m.get(id) ?? []), this.schemas([id]).then((m) => m.get(id) ?? [])]);
    if (writers.length === 0) {
      const newest = [...schemas].reverse();
      return {
        total: newest.length,
        items: newest.slice(page.offset, page.offset + page.limit).map((s) => ({ dataset: id, ...s })),
      };
    }
    return {
      total: writers.length,
      items: writers.slice(page.offset, page.offset + page.limit).map((run) => {
        const schema = schemaAt(schemas, run.writtenAt);
        return {
          dataset: id,
          version: datasetRunVersionId(id, run.runId),
          createdAt: run.writtenAt,
          fields: schema?.fields ?? [],
          runId: run.runId,
          facets: schema?.facets ?? {},
        };
      }),
    };
  }

  /** Each dataset's newest version id (as listDatasetVersions' first item), for those that have one. */
  async currentVersions(ids: NodeId[]): Promise<Map<NodeId, string>> {
    const out = new Map<NodeId, string>();
    if (ids.length === 0) return out;
    const [writers, schemas] = await Promise.all([this.writerRuns(ids), this.schemas(ids)]);
    for (const id of ids) {
      const newest = writers.get(id)?.[0];
      const schema = schemas.get(id);
      if (newest) out.set(id, datasetRunVersionId(id, newest.runId));
      else if (schema?.length) out.set(id, schema[schema.length - 1].version);
    }
    return out;
  }

  /**
   * For each request, the version of `dataset` current at `at`: the newest run (other than `exceptRun`) that wrote
   * it and started at or before `at`, else the schema version seen by then, else null.
   */
  async versionsAt(requests: Array<{ dataset: NodeId; at: number; exceptRun?: string }>): Promise<Array<string | null>> {
    if (requests.length === 0) return [];
    const ids = [...new Set(requests.map((r) => r.dataset))];
    const [writers, schemas] = await Promise.all([this.writerRuns(ids), this.schemas(ids)]);
    return requests.map(({ dataset, at, exceptRun }) => {
      const run = (writers.get(dataset) ?? []).find((w) => w.startedAt <= at && w.runId !== exceptRun);
      if (run) return datasetRunVersionId(dataset, run.runId);
      const list = schemas.get(dataset) ?? [];
      return [...list].reverse().find((s) => s.createdAt <= at)?.version ?? null;
    });
  }

  /** The current column lineage of each dataset's fields (datasets without any are left out). */
  async columnLineage(ids: NodeId[]): Promise<Map<NodeId, ColumnLineageRecord[]>> {
    const out = new Map<NodeId, ColumnLineageRecord[]>();
    if (ids.length === 0) return out;
    const wanted = new Set<string>(ids);
    // column edges are owned by the job that wrote them (or, for a DatasetEvent, by the dataset itself)
    const owners = new Set<string>(ids);
    for (const row of await selectIn(this.db, "SELECT DISTINCT owner FROM edges WHERE kind IN ('reads', 'writes') AND to_id IN", ids)) owners.add(row.owner);
    const rows = await selectIn(this.db, "SELECT from_id, to_id, to_dataset, transformations FROM edges WHERE kind = 'column' AND valid_to IS NULL AND owner IN", [...owners]);
    const byField = new Map<string, ColumnLineageRecord>();
    for (const row of rows) {
      if (!wanted.has(row.to_dataset)) continue;
      const to = parseNodeId(row.to_id);
      const from = parseNodeId(row.from_id);
      if (to.kind !== 'datasetField' || from.kind !== 'datasetField') continue;
      let entry = byField.get(row.to_id);
      if (!entry) {
        byField.set(row.to_id, (entry = { dataset: row.to_dataset, field: to.field, inputs: [] }));
        out.set(row.to_dataset, [...(out.get(row.to_dataset) ?? []), entry]);
      }
      const transformations = parse<Transformation[] | null>(row.transformations, null) ?? [];
      const known = entry.inputs.find((i) => i.namespace === from.namespace && i.dataset === from.name && i.field === from.field);
      if (known) known.transformations.push(...transformations.filter((t) => !known.transformations.some((k) => JSON.stringify(k) === JSON.stringify(t))));
      else entry.inputs.push({ namespace: from.namespace, dataset: from.name, field: from.field, transformations });
    }
    for (const list of out.values()) {
      list.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
      for (const entry of list) entry.inputs.sort((a, b) => `${a.namespace}\u0000${a.dataset}\u0000${a.field}`.localeCompare(`${b.namespace}\u0000${b.dataset}\u0000${b.field}`));
    }
    return out;
  }

  /** The runs that wrote each dataset, newest first. */
  private async writerRuns(ids: NodeId[]): Promise<Map<NodeId, WriterRun[]>> {
    const out = new Map<NodeId, WriterRun[]>();
    const wanted = new Set<string>(ids);
    const owners = [...new Set((await selectIn(this.db, "SELECT DISTINCT owner FROM edges WHERE kind IN ('reads', 'writes') AND to_id IN", ids)).map((r) => r.owner as string))];
    if (owners.length === 0) return out;
    const rows = await selectIn(this.db, "SELECT run_id, started_at, state_at, ended_at, outputs FROM runs WHERE kind = 'run' AND owner IN", owners);
    for (const row of rows) {
      const outputs = parse<NodeId[]>(row.outputs, []);
      for (const output of outputs) {
        if (!wanted.has(output)) continue;
        const startedAt = Number(row.started_at);
        const writtenAt = row.ended_at !== null && row.ended_at !== undefined ? Number(row.ended_at) : Math.max(startedAt, Number(row.state_at));
        let list = out.get(output);
        if (!list) out.set(output, (list = []));
        list.push({ runId: row.run_id, startedAt, writtenAt });
      }
    }
    for (const list of out.values()) list.sort(newestFirst);
    return out;
  }

  /** Each dataset's schema versions, oldest first. */
  private async schemas(ids: NodeId[]): Promise<Map<NodeId, SchemaRow[]>> {
    const out = new Map<NodeId, SchemaRow[]>();
    const rows: Row[] = await selectIn(this.db, 'SELECT dataset_id, version, created_at, fields, run_id, facets FROM dataset_versions WHERE dataset_id IN', ids);
    rows.sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.version < b.version ? -1 : 1));
    for (const r of rows) {
      const facets = parse<Record<string, unknown>>(r.facets, {});
      const entry: SchemaRow = { version: r.version, createdAt: Number(r.created_at), fields: fieldsFromColumn(r.fields, facets), runId: r.run_id ?? null, facets };
      let list = out.get(r.dataset_id);
      if (!list) out.set(r.dataset_id, (list = []));
      list.push(entry);
    }
    return out;
  }
}

/** The schema in effect at `at`: the newest seen by then, else (a schema first seen later in the same run) the oldest. */
const schemaAt = (schemas: SchemaRow[], at: number): SchemaRow | undefined => {
  for (let i = schemas.length - 1; i >= 0; i--) if (schemas[i].createdAt <= at) return schemas[i];
  return schemas[0];
};
