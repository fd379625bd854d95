/**
 * Where the shared conformance corpus lives: `LINEAGE_SHARED_DIR`, else `../shared` beside the repository root
 * (found by walking up to the lineage-hub package.json, so it works from src and from dist).
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import type { ConformanceCase } from './conformance-score';

const findRoot = (from: string): string | null => {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'lineage-hub') return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
};

/** The repository root: above this file (src or dist), else above the working directory. */
export const repoRoot = (): string => {
  const root = findRoot(__dirname) ?? findRoot(process.cwd());
  if (!root) throw new Error(`cannot find the lineage-hub repository root above ${__dirname} or ${process.cwd()}`);
  return root;
};

export const sharedDir = (): string => {
  const fromEnv = process.env.LINEAGE_SHARED_DIR;
  return fromEnv ? resolve(fromEnv) : resolve(repoRoot(), '..', 'shared');
};

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
