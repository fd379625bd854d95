/** Replaces one `## Heading` section of bench/RESULTS.md (or appends it), leaving the others as they are. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const resultsFile = (): string => {
  const fromDist = __dirname.includes(`${path.sep}dist${path.sep}`) ? path.resolve(__dirname, '..', '..', 'bench') : __dirname;
  return path.join(fromDist, 'RESULTS.md');
};

export const replaceResultsSection = (heading: string, body: string, file = resultsFile()): void => {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const section = `## ${heading}\n\n${body.trim()}\n`;
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = current.search(new RegExp(`^## ${escaped}\\s*$`, 'm'));
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.slice(start + 3).search(/^## /m);
    next = current.slice(0, start) + section + (after < 0 ? '' : `\n${current.slice(start + 3 + after)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
};
