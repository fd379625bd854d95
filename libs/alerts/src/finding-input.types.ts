import { parseNodeId } from '@lineage-hub/model';

/**
 * The part of a finding (issue 11, libs/model findings) that alerting reads. Kept structural so alerts
 * consume whatever the gateway's GET /api/v1/findings returns without importing the shard's internals.
 */
export interface FindingInput {
  id: string;
  key?: string;
  kind: string;
  /** Node id (dataset:ns:name) or the bare dataset name as the finding names it. */
  dataset?: string | null;
  job?: string | null;
  domain: string;
  status: 'open' | 'resolved';
  openedAt: string;
  resolvedAt?: string | null;
  confidence?: 'high' | 'medium' | 'low';
  /** Which rule raised it (e.g. a freshness policy or `learned`); part of the alert key. */
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
