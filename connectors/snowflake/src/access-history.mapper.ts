/**
 * ACCESS_HISTORY x QUERY_HISTORY rows -> observed lineage (pure), without parsing SQL for columns.
 * Rules (README "What is lineage", from Snowflake's ACCESS_HISTORY / QUERY_HISTORY pages):
 * - only table-like objects are datasets: stages (internal or external), functions and procedures are not;
 * - TEMPORARY tables live for one session: the CREATE that makes one (text `CREATE [OR REPLACE] [LOCAL|GLOBAL]
 *   TEMP|TEMPORARY|VOLATILE TABLE`) marks its objectId, and no statement touching that objectId names it as a
 *   dataset; TRANSIENT tables persist (dbt's default materialisation) and are datasets;
 * - Snowflake's own work (user SYSTEM: serverless maintenance such as automatic clustering and materialized-view
 *   upkeep) yields nothing;
 * - DELETE and TRUNCATE_TABLE are reported with their operation, never as writes of data (no lineage output);
 * - the QUERY_TAG (often JSON with dag_id/task_id or dbt's fields) and dbt's query comment (appended at the end
 *   on Snowflake) ride along as job hints; a stored procedure's statement inherits those of the CALL a client
 *   submitted (its root), where its own say nothing else (inheritHints, as a BigQuery script's child jobs do).
 * Column lineage:
 * objects_modified[].columns[].directSources/baseSources are column lineage, base_objects_accessed are the
 * table inputs, object_modified_by_ddl gives drops and (with the statement text) renames.
 * Names: ACCESS_HISTORY reports identifiers as stored; an unquoted part with lower-case letters can only be a
 * quoted identifier, so it is quoted before libs/model canonicalises (unquoted -> upper, quoted keeps case).
 */
import { deterministicUuid, observedRunEvent, statementFingerprint } from '@lineage-hub/connector-sdk';
import { datasetId, type DatasetName, inheritHints, isDataWrite, jobHints, type NodeId, type ObservedWrite, type WriteOperation } from '@lineage-hub/model';
import { isTableLike, LEADING_COMMENTS, objectKey, RENAME, sqlNameDataset, storedColumn, storedObjectDataset } from './snowflake-object.naming';

export const PRODUCER = 'https://github.com/lineage-hub/lineage-hub/tree/main/connectors/snowflake';
const LIFECYCLE_FACET =
  'https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json#/$defs/LifecycleStateChangeDatasetFacet';
const PARENT_FACET = 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet';

export interface AccessedObject {
  objectDomain?: string;
  objectId?: number | string;
  objectName?: string;
  columns?: Array<{ columnId?: number; columnName: string; directSources?: SourceColumn[]; baseSources?: SourceColumn[] }>;
}

export interface SourceColumn {
  columnName: string;
  objectDomain?: string;
  objectId?: number | string;
  objectName: string;
}

export interface AccessHistoryRow {
  QUERY_ID: string;
  START_NS: string;
  USER_NAME: string | null;
  BASE_OBJECTS_ACCESSED: AccessedObject[] | null;
  OBJECTS_MODIFIED: AccessedObject[] | null;
  OBJECT_MODIFIED_BY_DDL: { objectDomain?: string; objectId?: number | string; objectName?: string; operationType?: string; properties?: unknown } | null;
  PARENT_QUERY_ID: string | null;
  ROOT_QUERY_ID: string | null;
  QUERY_TEXT: string | null;
  QUERY_TYPE: string | null;
  DATABASE_NAME: string | null;
  SCHEMA_NAME: string | null;
  END_MS: number | null;
  ROWS_WRITTEN: number | null;
  QUERY_TAG?: string | null;
  /** The text and tag of the outermost CALL that ran this statement (QUERY_HISTORY of ROOT_QUERY_ID), when one did. */
  ROOT_QUERY_TEXT?: string | null;
  ROOT_QUERY_TAG?: string | null;
}

export interface MapContext {
  connectorId: string;
  namespace: string;
  jobNamespace: string;
  /** objectName / columnName -> canonical spelling, memoised for one pull (the same few names repeat). */
  names?: Map<string, DatasetName>;
  columns?: Map<string, string>;
  /** objectIds of TEMPORARY tables seen created (kept in the cursor across pulls). */
  temporary?: Set<number>;
}

/** Snowflake's own user for serverless work. */
export const SYSTEM_USERS = new Set(['SYSTEM']);

/**
 * `CREATE [OR REPLACE] [SECURE] [LOCAL|GLOBAL] TEMP|TEMPORARY|VOLATILE [RECURSIVE] TABLE|VIEW`, after any leading comments:
 * temporary views (dbt's `__dbt_tmp` relation of an incremental model) live for the session as temporary tables do.
 */
const TEMP_CREATE = new RegExp(
  `^${LEADING_COMMENTS}\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:SECURE\\s+)?(?:(?:LOCAL|GLOBAL)\\s+)?(?:TEMP|TEMPORARY|VOLATILE)\\s+(?:RECURSIVE\\s+)?(?:TABLE|VIEW)\\b`,
  'i',
);

const OPERATIONS: Record<string, WriteOperation> = {
  INSERT: 'INSERT',
  MULTI_TABLE_INSERT: 'INSERT',
  UPDATE: 'UPDATE',
  MERGE: 'MERGE',
  DELETE: 'DELETE',
  TRUNCATE_TABLE: 'TRUNCATE',
  CREATE_TABLE_AS_SELECT: 'CTAS',
  COPY: 'COPY',
};

/** QUERY_HISTORY.query_type -> the write operation. */
export const snowflakeOperation = (queryType: string | null): WriteOperation => OPERATIONS[String(queryType ?? '').toUpperCase()] ?? 'OTHER';

const key = (d: DatasetName) => `${d.namespace}|${d.name}`;

export interface MappedRow {
  event: Record<string, any> | null;
  writes: ObservedWrite[];
}

export const mapAccessHistoryRow = (row: AccessHistoryRow, ctx: MapContext): MappedRow => {
  if (SYSTEM_USERS.has(String(row.USER_NAME ?? '').toUpperCase())) return { event: null, writes: [] };
  const temporary = ctx.temporary ?? new Set<number>();
  const ddlCreate = row.OBJECT_MODIFIED_BY_DDL;
  if (ddlCreate && TEMP_CREATE.test(row.QUERY_TEXT ?? '')) {
    const id = objectKey(ddlCreate.objectId);
    if (id !== undefined) temporary.add(id);
    for (const o of row.OBJECTS_MODIFIED ?? []) {
      const modified = objectKey(o.objectId);
      if (modified !== undefined) temporary.add(modified);
    }
    return { event: null, writes: [] };
  }
  const isTemporary = (o: { objectId?: unknown }) => {
    const id = objectKey(o.objectId);
    return id !== undefined && temporary.has(id);
  };
  const outputs = new Map<string, DatasetName & { columnLineage?: Record<string, Array<DatasetName & { field: string }>> }>();
  const inputs = new Map<string, DatasetName>();
  const lifecycle = new Map<string, { state: string; previous?: DatasetName }>();

  const dataset = (objectName: string) => {
    let ds = ctx.names?.get(objectName);
    if (!ds) {
      ds = storedObjectDataset(ctx.namespace, objectName);
      ctx.names?.set(objectName, ds);
    }
    return ds;
  };
  const columnOf = (name: string) => {
    let c = ctx.columns?.get(name);
    if (c === undefined) {
      c = storedColumn(name);
      ctx.columns?.set(name, c);
    }
    return c;
  };

  for (const object of row.OBJECTS_MODIFIED ?? []) {
    if (!isTableLike(object.objectDomain) || !object.objectName || isTemporary(object)) continue;
    const target = dataset(object.objectName);
    const fields: Record<string, Array<DatasetName & { field: string }>> = {};
    for (const column of object.columns ?? []) {
      const seen = new Set<string>();
      const sources: Array<DatasetName & { field: string }> = [];
      for (const source of [...(column.directSources ?? []), ...(column.baseSources ?? [])]) {
        if (!isTableLike(source.objectDomain) || !source.objectName || isTemporary(source)) continue;
        const ds = dataset(source.objectName);
        const field = columnOf(source.columnName);
        const id = `${key(ds)}|${field}`;
        if (seen.has(id)) continue;
        seen.add(id);
        sources.push({ ...ds, field });
        if (key(ds) !== key(target)) inputs.set(key(ds), ds);
      }
      if (sources.length) fields[columnOf(column.columnName)] = sources;
    }
    outputs.set(key(target), { ...target, ...(Object.keys(fields).length ? { columnLineage: fields } : {}) });
  }
  for (const object of row.BASE_OBJECTS_ACCESSED ?? []) {
    if (!isTableLike(object.objectDomain) || !object.objectName || isTemporary(object)) continue;
    const ds = dataset(object.objectName);
    inputs.set(key(ds), ds);
  }
  for (const out of outputs.keys()) inputs.delete(out);
  const written = [...outputs.values()];

  const ddl = row.OBJECT_MODIFIED_BY_DDL;
  if (ddl && isTableLike(ddl.objectDomain) && ddl.objectName && !isTemporary(ddl)) {
    const operation = String(ddl.operationType ?? '').toUpperCase();
    const rename = RENAME.exec(row.QUERY_TEXT ?? '');
    if (operation === 'DROP') {
      const dropped = storedObjectDataset(ctx.namespace, ddl.objectName);
      if (!outputs.has(key(dropped))) outputs.set(key(dropped), dropped);
      lifecycle.set(key(dropped), { state: 'DROP' });
    } else if (operation === 'ALTER' && rename) {
      const before = sqlNameDataset(ctx.namespace, rename[1], row.DATABASE_NAME, row.SCHEMA_NAME) ?? storedObjectDataset(ctx.namespace, ddl.objectName);
      const after = sqlNameDataset(ctx.namespace, rename[2], row.DATABASE_NAME, row.SCHEMA_NAME);
      if (after) {
        outputs.set(key(after), after);
        lifecycle.set(key(after), { state: 'RENAME', previous: before });
      }
    } else if ((operation === 'CREATE' || operation === 'REPLACE') && outputs.size === 0) {
      const created = storedObjectDataset(ctx.namespace, ddl.objectName);
      outputs.set(key(created), created);
      lifecycle.set(key(created), { state: operation === 'CREATE' ? 'CREATE' : 'OVERWRITE' });
    }
  }
  if (outputs.size === 0) return { event: null, writes: [] };
  const operation = snowflakeOperation(row.QUERY_TYPE);
  const own = jobHints({ sql: row.QUERY_TEXT ?? undefined, queryTag: row.QUERY_TAG });
  const hints = inheritHints(jobHints({ sql: row.ROOT_QUERY_TEXT ?? undefined, queryTag: row.ROOT_QUERY_TAG }), own);

  const endedAt = Number(row.END_MS ?? 0) || Number(BigInt(row.START_NS) / 1_000_000n);
  const startedAt = Number(BigInt(row.START_NS) / 1_000_000n);
  const rows = row.ROWS_WRITTEN === null || row.ROWS_WRITTEN === undefined ? undefined : Number(row.ROWS_WRITTEN);
  const sql = row.QUERY_TEXT ?? undefined;
  const actor = row.USER_NAME ? { actor: row.USER_NAME } : {};
  // a statement of a stored procedure: the outermost CALL (root_query_id; parent_query_id is the innermost one), the
  // statement a client submitted and a declared run (an orchestrator's task) may name
  const root = row.ROOT_QUERY_ID || row.PARENT_QUERY_ID;
  /** What the statement did to each table it wrote, read from `sources` (none for a removal). */
  const writesFrom = (sources: NodeId[]): ObservedWrite[] =>
    written.map((d) => ({
      dataset: datasetId(d.namespace, d.name),
      sources,
      writtenAt: endedAt,
      operation,
      ...actor,
      queryId: row.QUERY_ID,
      ...(root ? { rootQueryId: root } : {}),
      ...(sql ? { queryText: sql } : {}),
      ...(rows !== undefined ? { rows } : {}),
      ...(hints ? { hints } : {}),
      connectorId: ctx.connectorId,
    }));
  if (!isDataWrite(operation)) {
    // A DELETE or TRUNCATE: reported with its operation, no lineage and no sources.
    return { event: null, writes: writesFrom([]) };
  }
  const event = observedRunEvent({
    producer: PRODUCER,
    runId: deterministicUuid('snowflake', ctx.namespace, row.QUERY_ID),
    job: { namespace: ctx.jobNamespace, name: sql ? `query_${statementFingerprint(sql)}` : `query_${row.QUERY_ID}` },
    eventTime: endedAt,
    startTime: startedAt,
    inputs: [...inputs.values()],
    outputs: [...outputs.values()].map((o) => ({ ...o, ...(rows !== undefined && !lifecycle.has(key(o)) ? { rowCount: rows } : {}) })),
    sql,
    externalQueryId: row.QUERY_ID,
    source: ctx.namespace,
    integration: 'SNOWFLAKE',
  });
  for (const out of event.outputs) {
    const change = lifecycle.get(key(out));
    if (!change) continue;
    out.facets = {
      ...(out.facets ?? {}),
      lifecycleStateChange: {
        _producer: PRODUCER,
        _schemaURL: LIFECYCLE_FACET,
        lifecycleStateChange: change.state,
        ...(change.previous ? { previousIdentifier: { namespace: change.previous.namespace, name: change.previous.name } } : {}),
      },
    };
  }
  if (row.PARENT_QUERY_ID) {
    event.run.facets.parent = {
      _producer: PRODUCER,
      _schemaURL: PARENT_FACET,
      run: { runId: deterministicUuid('snowflake', ctx.namespace, row.PARENT_QUERY_ID) },
      job: { namespace: ctx.jobNamespace, name: `query_${row.PARENT_QUERY_ID}` },
    };
  }

  return { event, writes: writesFrom([...inputs.values()].map((d) => datasetId(d.namespace, d.name))) };
};
