/**
 * The alert store's schema as versioned migrations, applied by libs/store's migrator (one transaction, recorded in
 * alert_schema_migrations, PostgreSQL under its own advisory lock). The SQL is valid SQLite and PostgreSQL. Never
 * edit a shipped migration: append a new one. Migration 1 keeps IF NOT EXISTS so a store created before the
 * migrations (the same tables, made at open) is adopted as it is.
 */
import type { MigrationSet } from '@lineage-hub/store';

const INITIAL = `
CREATE TABLE IF NOT EXISTS alert_state (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  domain TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  findings TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_state_status ON alert_state (status);
CREATE TABLE IF NOT EXISTS alert_silence (
  id TEXT PRIMARY KEY,
  ends_at BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_routes (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_delivery (
  id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL,
  receiver TEXT NOT NULL,
  seq BIGINT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  last_code BIGINT,
  last_detail TEXT,
  snapshot TEXT NOT NULL,
  UNIQUE (alert_id, receiver, seq)
);
CREATE INDEX IF NOT EXISTS alert_delivery_pending ON alert_delivery (status, alert_id, receiver, seq);
CREATE TABLE IF NOT EXISTS alert_attempt (
  delivery_id TEXT NOT NULL,
  attempt BIGINT NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  code BIGINT,
  detail TEXT NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
`;

export const ALERT_MIGRATIONS: MigrationSet = {
  table: 'alert_schema_migrations',
  lockKey: 7_744_120,
  migrations: [{ version: 1, name: 'alerts-initial', sql: INITIAL }],
};
