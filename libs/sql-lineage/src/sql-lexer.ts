/**
 * A forgiving SQL tokenizer for every supported dialect. It never throws: an unterminated string or comment
 * runs to the end of the input, and an unknown character becomes a one-character operator token.
 */
import type { SqlDialect } from './sql-dialect';

export type TokenType =
  | 'word' // unquoted identifier or keyword
  | 'quoted' // quoted identifier ("x", `x`, [x])
  | 'string'
  | 'number'
  | 'param' // @x, @@x, $1, ?, Snowflake stage references (@stage/path)
  | 'op'
  | 'eof';

export interface Token {
  type: TokenType;
  /** Word: as written; quoted: the inner text (escapes resolved); string: the inner text; op: the operator. */
  text: string;
  /** Upper-cased text of a word (keyword comparisons); '' for other tokens. */
  upper: string;
  start: number;
  end: number;
  /** The quote character of a quoted identifier. */
  quote?: string;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isWordPart = (c: number) => isWordStart(c) || isDigit(c) || c === 36; // $ is allowed inside identifiers
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;

const THREE_CHAR_OPS = ['->>', '#>>', '!~*', '||/'];
const TWO_CHAR_OPS = ['::', '||', '=>', '->', '<=', '>=', '<>', '!=', '==', '<<', '>>', '#>', '@>', '<@', '?|', '?&', '~~', '!~', '~*', '**', '|/', ':=', '&&'];

const STRING_PREFIXES = new Set(['r', 'b', 'rb', 'br', 'e', 'n', 'x', 'u&']);

/**
 * `[` right after an expression (no space between: `arr[1]`, `f(x)[0]`, `m['k']`) is a subscript; anywhere else, in
 * generic SQL and Redshift, it opens a delimited identifier (Redshift as OpenLineage's parser reads it:
 * `SELECT [col1] FROM [test_schema].[test_table]`; a SUPER path `c.orders[0]` stays a subscript).
 */
const subscriptPosition = (tokens: readonly Token[], at: number): boolean => {
  const prev = tokens[tokens.length - 1];
  if (!prev || prev.end !== at) return false;
  return prev.type === 'word' || prev.type === 'quoted' || (prev.type === 'op' && (prev.text === ')' || prev.text === ']'));
};

/**
 * A T-SQL / Synapse / Access delimited identifier `[any text]` (Microsoft's "delimited identifiers": any characters
 * but the closing bracket, which is written `]]`), on one line and not empty; null when `[` does not open one.
 */
const bracketedIdentifier = (sql: string, i: number): { text: string; end: number } | null => {
  let text = '';
  for (let j = i + 1; j < sql.length; j++) {
    const c = sql[j];
    if (c === '\n' || c === '\r') return null;
    if (c !== ']') {
      text += c;
      continue;
    }
    if (sql[j + 1] === ']') {
      text += ']';
      j++;
      continue;
    }
    return text.trim() === '' ? null : { text, end: j + 1 };
  }
  return null;
};

export const tokenize = (sql: string, dialect: SqlDialect): Token[] => {
  const tokens: Token[] = [];
  const n = sql.length;
  const backslashEscapes = dialect === 'bigquery' || dialect === 'snowflake';
  const doubleQuotedStrings = dialect === 'bigquery';
  let i = 0;
  const push = (type: TokenType, text: string, start: number, end: number, quote?: string) => {
    tokens.push({ type, text, upper: type === 'word' ? text.toUpperCase() : '', start, end, quote });
  };
  const readQuoted = (start: number, quote: string, allowBackslash: boolean): { text: string; end: number } => {
    // Triple-quoted strings (BigQuery): '''...''' or """..."""
    if (dialect === 'bigquery' && sql.startsWith(quote + quote + quote, start)) {
      const close = sql.indexOf(quote + quote + quote, start + 3);
      const end = close < 0 ? n : close + 3;
      return { text: sql.slice(start + 3, close < 0 ? n : close), end };
    }
    let j = start + 1;
    let text = '';
    let chunkStart = j;
    while (j < n) {
      const ch = sql[j];
      if (allowBackslash && ch === '\\') {
        text += sql.slice(chunkStart, j) + (sql[j + 1] ?? '');
        j += 2;
        chunkStart = j;
        continue;
      }
      if (ch === quote) {
        if (sql[j + 1] === quote) {
          text += sql.slice(chunkStart, j) + quote;
          j += 2;
          chunkStart = j;
          continue;
        }
        text += sql.slice(chunkStart, j);
        return { text, end: j + 1 };
      }
      j++;
    }
    return { text: text + sql.slice(chunkStart, n), end: n };
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const ch = sql[i];
    // comments
    if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (ch === '#' && dialect === 'bigquery') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    const start = i;
    if (isWordStart(c) || (ch === '#' && isWordStart(sql.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      const word = sql.slice(i, j);
      const lower = word.toLowerCase();
      const next = sql[j];
      if ((next === "'" || (next === '"' && doubleQuotedStrings)) && STRING_PREFIXES.has(lower)) {
        const raw = lower.includes('r');
        const s = readQuoted(j, next, !raw && (backslashEscapes || lower === 'e'));
        push('string', s.text, start, s.end);
        i = s.end;
        continue;
      }
      if (lower === 'u' && next === '&' && sql[j + 1] === "'") {
        const s = readQuoted(j + 1, "'", false);
        push('string', s.text, start, s.end);
        i = s.end;
        continue;
      }
      push('word', word, start, j);
      i = j;
      continue;
    }
    if (isDigit(c) || (ch === '.' && isDigit(sql.charCodeAt(i + 1)))) {
      let j = i;
      if (ch === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
        j += 2;
        while (j < n && /[0-9a-fA-F]/.test(sql[j])) j++;
      } else {
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        if (sql[j] === '.' && sql[j + 1] !== '.') {
          j++;
          while (j < n && isDigit(sql.charCodeAt(j))) j++;
        }
        if ((sql[j] === 'e' || sql[j] === 'E') && (isDigit(sql.charCodeAt(j + 1)) || ((sql[j + 1] === '+' || sql[j + 1] === '-') && isDigit(sql.charCodeAt(j + 2))))) {
          j += 2;
          while (j < n && isDigit(sql.charCodeAt(j))) j++;
        }
      }
      // BigQuery project ids and some table names may start with digits: `123abc` is one word.
      if (j < n && isWordStart(sql.charCodeAt(j))) {
        while (j < n && isWordPart(sql.charCodeAt(j))) j++;
        push('word', sql.slice(i, j), start, j);
      } else {
        push('number', sql.slice(i, j), start, j);
      }
      i = j;
      continue;
    }
    if (ch === "'") {
      const s = readQuoted(i, "'", backslashEscapes);
      push('string', s.text, start, s.end);
      i = s.end;
      continue;
    }
    if (ch === '"') {
      if (doubleQuotedStrings) {
        const s = readQuoted(i, '"', true);
        push('string', s.text, start, s.end);
        i = s.end;
      } else {
        const s = readQuoted(i, '"', false);
        push('quoted', s.text, start, s.end, '"');
        i = s.end;
      }
      continue;
    }
    if (ch === '`') {
      const s = readQuoted(i, '`', dialect === 'bigquery');
      push('quoted', s.text, start, s.end, '`');
      i = s.end;
      continue;
    }
    if (ch === '$') {
      // $$ ... $$ or $tag$ ... $tag$ (dollar quoting), else $1 parameters
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        push('string', sql.slice(i + tag[0].length, close < 0 ? n : close), start, end, '$');
        i = end;
        continue;
      }
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      const prev = tokens[tokens.length - 1];
      // t.$1: a staged file's column (Snowflake); a bare $1 in a SELECT list of a stage query too
      const afterDot = prev && prev.type === 'op' && prev.text === '.' && prev.end === i;
      push(afterDot || (dialect === 'snowflake' && /^\$\d+$/.test(sql.slice(i, j))) ? 'word' : 'param', sql.slice(i, j), start, j);
      i = j;
      continue;
    }
    if (ch === '@') {
      let j = i + 1;
      if (sql[j] === '@') j++;
      if (dialect === 'snowflake') {
        while (j < n && !isSpace(sql.charCodeAt(j)) && !',;()'.includes(sql[j])) j++;
      } else {
        while (j < n && (isWordPart(sql.charCodeAt(j)) || sql[j] === '.')) j++;
      }
      if (j > i + 1) {
        push('param', sql.slice(i, j), start, j);
        i = j;
        continue;
      }
    }
    if (ch === '?' && !'|&'.includes(sql[i + 1] ?? '')) {
      push('param', '?', start, i + 1);
      i++;
      continue;
    }
    if (ch === '[' && (dialect === 'ansi' || dialect === 'redshift') && !subscriptPosition(tokens, start)) {
      const bracketed = bracketedIdentifier(sql, i);
      if (bracketed) {
        push('quoted', bracketed.text, start, bracketed.end, '[');
        i = bracketed.end;
        continue;
      }
    }
    const three = sql.slice(i, i + 3);
    if (THREE_CHAR_OPS.includes(three)) {
      push('op', three, start, i + 3);
      i += 3;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      push('op', two, start, i + 2);
      i += 2;
      continue;
    }
    push('op', ch, start, i + 1);
    i++;
  }
  tokens.push({ type: 'eof', text: '', upper: '', start: n, end: n });
  return tokens;
};
