/**
 * What an observed statement did to the table it touched. Connectors map their vendor's statement types onto
 * these (Redshift STL/SYS query types and step names, BigQuery `statement_type`/`job_type`, Snowflake
 * `query_type`, Salesforce record changes). DELETE and TRUNCATE remove data: they are reported, with their
 * operation, but they are never writes of data (no lineage edge, no freshness update).
 */
export const WRITE_OPERATIONS = [
  'INSERT',
  'COPY',
  'LOAD',
  'CTAS',
  'SELECT INTO',
  'UPDATE',
  'MERGE',
  'REFRESH',
  'DELETE',
  'TRUNCATE',
  'OTHER',
] as const;

export type WriteOperation = (typeof WRITE_OPERATIONS)[number];

/** Operations that remove data and carry none in. */
export const REMOVAL_OPERATIONS: readonly WriteOperation[] = ['DELETE', 'TRUNCATE'];

export const isWriteOperation = (value: unknown): value is WriteOperation =>
  typeof value === 'string' && (WRITE_OPERATIONS as readonly string[]).includes(value);

/** True when the operation put data into the table (everything but DELETE and TRUNCATE). */
export const isDataWrite = (operation: WriteOperation | undefined): boolean =>
  operation === undefined || !REMOVAL_OPERATIONS.includes(operation);
