import { parseNodeId } from '@lineage-hub/model';

/**
 * The part of a finding (libs/model `Finding`, served federated by the gateway's GET /api/v1/findings) that
 * alerting reads. Structural, so a `Finding` is one and tests can write plain strings for node ids.
 */
export interface FindingInput {
  id: string;
  key?: string;
  kind: string;
  /** Node id (dataset:ns:name). */
  dataset?: string | null;
  job?: string | null;
  domain: string;
  status: 'open' | 'resolved';
  /** Epoch ms. */
  openedAt: number;
  resolvedAt?: number | null;
  confidence?: 'high' | 'medium' | 'low';
  summary?: string;
  /** Optional rule name, part of the alert key (findings without one share the kind's alert per asset). */
  rule?: string | null;
  evidence?: unknown;
}

/** The finding's asset as a node id. */
export const findingAsset = (finding: FindingInput): string => {
  if (finding.dataset) return finding.dataset.startsWith('dataset:') ? finding.dataset : `dataset:${finding.dataset}`;
  if (finding.job) return finding.job.startsWith('job:') ? finding.job : `job:${finding.job}`;
  return `finding:${finding.id}`;
};

/** The namespace part of a node id (`dataset:{ns}:{name}`), '' when it has none. */
export const assetNamespace = (asset: string): string => {
  try {
    const parsed = parseNodeId(asset);
    return parsed.kind === 'run' ? '' : parsed.namespace;
  } catch {
    return '';
  }
};

/** The rule part of an alert key: the finding's rule, else its kind. */
export const findingRule = (finding: FindingInput): string => finding.rule ?? 'default';
