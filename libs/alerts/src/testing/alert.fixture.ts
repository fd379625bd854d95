/** A complete alert for notifier and API tests; override what the test is about. */
import type { Alert } from '../alert.types';
import type { FindingInput } from '../finding-input.types';

export const sampleAlert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'al_0123456789abcdef0123',
  key: 'stale|dataset:postgres://db:5432:sales.public.orders|default',
  kind: 'stale',
  asset: 'dataset:postgres://db:5432:sales.public.orders',
  rule: 'default',
  domain: 'sales',
  namespace: 'postgres://db:5432',
  status: 'firing',
  severity: 'critical',
  summary: 'stale on dataset:postgres://db:5432:sales.public.orders [sales]',
  findings: ['f-1'],
  affected: [
    { asset: 'dataset:snowflake://acme:MKT.PUBLIC.CAMPAIGNS', domain: 'marketing', findingId: 'f-2', kind: 'stale' },
    { asset: 'dataset:bigquery:fin.ledger.revenue', domain: 'finance', findingId: 'f-3', kind: 'stale' },
  ],
  rootAlertId: null,
  pages: true,
  blastRadius: { datasets: 2, domains: { marketing: 1, finance: 1 }, critical: [{ id: 'dataset:bigquery:fin.ledger.revenue', domain: 'finance', reason: 'tier:1' }], complete: true },
  tags: ['tier:2'],
  owners: ['team:sales-eng'],
  openedAt: '2026-01-05T06:00:00.000Z',
  updatedAt: '2026-01-05T06:00:00.000Z',
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  clearingSince: null,
  notifiedFingerprint: null,
  lastNotifiedAt: null,
  flaps: 0,
  silencedBy: [],
  ...overrides,
});

export const sampleFinding = (id: string, dataset: string, domain: string, overrides: Partial<FindingInput> = {}): FindingInput => ({
  id,
  kind: 'stale',
  dataset,
  domain,
  status: 'open',
  openedAt: Date.parse('2026-01-05T06:00:00.000Z'),
  confidence: 'high',
  evidence: {},
  ...overrides,
});
