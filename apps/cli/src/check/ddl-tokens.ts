/**
 * A small DDL tokenizer for the CI gate: words, quoted identifiers ("x", `x`, [x]), strings, numbers and
 * punctuation, with comments skipped and each token's line kept; statements split at top-level `;`.
 */
export interface DdlToken {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  text: string;
  /** For words, upper case; for quoted identifiers, the identifier with its quotes. */
  upper: string;
  line: number;
}

export const tokenize = (sql: string): DdlToken[] => {
  const tokens: DdlToken[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: DdlToken['kind'], text: string, startLine: number) => tokens.push({ kind, text, upper: kind === 'word' ? text.toUpperCase() : text, line: startLine });
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) i++;
    else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      for (let k = i; k < stop; k++) if (sql[k] === '\n') line++;
      i = stop;
    } else if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      const start = i;
      const startLine = line;
      i++;
      while (i < sql.length) {
        if (sql[i] === '\n') line++;
        if (sql[i] === close) {
          if (sql[i + 1] === close && close !== ']') {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      push(ch === "'" ? 'string' : 'quoted', sql.slice(start, i), startLine);
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i])) i++;
      push('word', sql.slice(start, i), line);
    } else if (/[0-9]/.test(ch)) {
      const start = i;
      while (i < sql.length && /[0-9.]/.test(sql[i])) i++;
      push('number', sql.slice(start, i), line);
    } else {
      push('punct', ch, line);
      i++;
    }
  }
  return tokens;
};

/** Statements as token lists and their source text, split at `;` outside parentheses. */
export const splitStatements = (sql: string): Array<{ tokens: DdlToken[]; line: number }> => {
  const out: Array<{ tokens: DdlToken[]; line: number }> = [];
  let current: DdlToken[] = [];
  let depth = 0;
  for (const t of tokenize(sql)) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth = Math.max(0, depth - 1);
    if (t.kind === 'punct' && t.text === ';' && depth === 0) {
      if (current.length) out.push({ tokens: current, line: current[0].line });
      current = [];
    } else current.push(t);
  }
  if (current.length) out.push({ tokens: current, line: current[0].line });
  return out;
};

/** The text of tokens as SQL again (single spaces; dots and parentheses kept tight). */
export const joinTokens = (tokens: DdlToken[]): string =>
  tokens.reduce((text, t, i) => {
    const prev = tokens[i - 1];
    const tight = !prev || t.text === '.' || prev.text === '.' || t.text === ')' || t.text === ',' || prev.text === '(' || t.text === '(';
    return text + (tight ? '' : ' ') + t.text;
  }, '');

/** An identifier's name without its quotes (`"A"` -> A, `[a b]` -> a b). */
export const identifierText = (t: DdlToken): string => (t.kind === 'quoted' ? t.text.slice(1, -1) : t.text);
