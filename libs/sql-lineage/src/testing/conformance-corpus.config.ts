/**
 * Where the shared conformance corpus lives: libs/common's sharedDir (`LINEAGE_SHARED_DIR`, else `../shared` beside
 * the repository root, found by walking up to the lineage-hub package.json, so it works from src and from dist).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { repoRoot, sharedDir } from '@lineage-hub/common';
import type { ConformanceCase } from './conformance-score';

/** The 206 cases of ../shared/conformance/sql-lineage/cases.jsonl. Throws when the corpus is missing. */
export const loadConformanceCases = (): ConformanceCase[] => {
  const file = join(sharedDir(), 'conformance', 'sql-lineage', 'cases.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ConformanceCase);
};

/** The repository's own hand-written cases (libs/sql-lineage/test-cases/*.jsonl). */
export const handWrittenCasesDir = (): string => join(repoRoot(), 'libs', 'sql-lineage', 'test-cases');
