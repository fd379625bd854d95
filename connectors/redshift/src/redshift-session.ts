/**
 * One `pg` connection to Redshift for one pull. Connecting and every statement go through ctx.schedule
 * (the account's shared limiter). `timestamp` (OID 1114) is read as UTC, whatever the process time zone.
 */
import { Client, types } from 'pg';
import type { ConnectorContext } from '@lineage-hub/connector-sdk';
import type { RedshiftConfig } from './redshift.config';

const TIMESTAMP_OID = 1114;

const utcTimestamp = (value: string): Date => new Date(`${value.replace(' ', 'T')}Z`);

const typeParsers = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID && format !== 'binary' ? utcTimestamp : (types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
} as unknown as typeof types;

/** Epoch ms -> the UTC text a `timestamp` column compares with. */
export const utcText = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

export class RedshiftSession {
  private client: Client | null = null;
  /** Rows read from the system views in this session. */
  rowsRead = 0;

  constructor(
    private readonly config: RedshiftConfig,
    private readonly ctx: ConnectorContext,
  ) {}

  async query<R>(statement: { text: string; values: unknown[] }): Promise<R[]> {
    const client = await this.connect();
    const result = await this.ctx.schedule(() => client.query(statement.text, statement.values));
    this.rowsRead += result.rowCount ?? result.rows.length;
    return result.rows as R[];
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    if (this.client) return this.client;
    const c = this.config;
    const client = new Client({
      host: c.host,
      port: c.port,
      database: c.database,
      user: c.user,
      password: c.password,
      ssl: c.ssl ? { rejectUnauthorized: true } : false,
      application_name: 'lineage-hub-connector',
      statement_timeout: c.statementTimeoutMs,
      connectionTimeoutMillis: c.connectionTimeoutMs,
      options: c.searchPath ? `-c search_path=${c.searchPath.replace(/\s+/g, '')}` : undefined,
      types: typeParsers,
    });
    // A dropped connection surfaces as the next query's error; do not crash the process on it.
    client.on('error', () => undefined);
    await this.ctx.schedule(() => client.connect());
    this.client = client;
    return client;
  }
}
