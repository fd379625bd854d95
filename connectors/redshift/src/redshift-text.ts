/**
 * Rebuilds SQL from STL_QUERYTEXT / SYS_QUERY_TEXT pieces: order by sequence, concatenate as returned,
 * trim trailing blanks of the whole once (char(n) pads only the last, short piece), then turn the
 * two-character sequence `\n` into a newline (AWS r_STL_QUERYTEXT).
 */
export const rebuildQueryText = (pieces: Array<{ sequence: number; text: string }>): string =>
  [...pieces]
    .sort((a, b) => a.sequence - b.sequence)
    .map((p) => p.text)
    .join('')
    .replace(/\s+$/, '')
    .replace(/\\n/g, '\n');
