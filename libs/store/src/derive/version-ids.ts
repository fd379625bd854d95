/**
 * Version ids Marquez clients see, derived and stable: the same inputs always give the same UUID (name-based,
 * SHA-256 truncated, RFC 4122 version 5 and variant bits set), so a version reads the same on every call and
 * every process without being stored.
 */
import type { NodeId } from '@lineage-hub/model';
import { sha256Hex } from './canonical-json';

export const nameUuid = (...parts: string[]): string => {
  const hex = sha256Hex(parts.join('\u0000'));
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** The version of a dataset a run wrote (one per writing run). */
export const datasetRunVersionId = (dataset: NodeId, runId: string): string => nameUuid('dataset-version', dataset, runId);

/** A job's version as a run saw it: the job and the datasets it read and wrote (order does not matter). */
export const jobVersionId = (job: NodeId, inputs: readonly NodeId[], outputs: readonly NodeId[]): string =>
  nameUuid('job-version', job, [...inputs].sort().join(','), [...outputs].sort().join(','));
