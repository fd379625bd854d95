import path from 'node:path';
import { repoRoot } from './repo-paths';

/**
 * The shared conformance data and OpenLineage schemas: `LINEAGE_SHARED_DIR`, else `../shared` beside the repository.
 * The one place apps, libs, tests and benches resolve it.
 */
export const sharedDir = (root?: string): string =>
  !root && process.env.LINEAGE_SHARED_DIR ? path.resolve(process.env.LINEAGE_SHARED_DIR) : path.resolve(root ?? repoRoot(), '..', 'shared');

export const defaultOpenLineageSpecDir = (root?: string) => path.join(sharedDir(root), 'conformance', 'openlineage', 'spec');
