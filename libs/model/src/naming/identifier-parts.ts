/**
 * Quote-aware splitting and case folding of dotted SQL identifiers ("db.schema.table").
 * A quoted part keeps its case; an unquoted part folds by the platform's rule.
 * Canonical output quotes a part only when reading it back unquoted would change it
 * (it holds a dot or a quote, or its case differs from the fold), so canonicalisation is idempotent.
 */
export type CaseRule = 'upper' | 'lower' | 'keep';

/** Opening quote -> closing quote. */
const QUOTE_PAIRS: Record<string, string> = { '"': '"', '`': '`', '[': ']' };

export interface SplitOptions {
  /** Opening quote characters the platform understands (default `"`). */
  quotes?: string;
}

/** Splits on dots outside quotes. Each part keeps its quotes (and doubled-quote escapes) as written. */
export const splitIdentifierParts = (name: string, options: SplitOptions = {}): string[] => {
  const quotes = options.quotes ?? '"';
  if (!/["`[]/.test(name)) return name.split('.');
  const parts: string[] = [];
  let current = '';
  let closing: string | null = null;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (closing !== null) {
      current += ch;
      if (ch === closing) {
        if (name[i + 1] === closing && closing !== ']') {
          current += closing; // doubled quote: an escaped quote inside the part
          i++;
        } else {
          closing = null;
        }
      }
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else {
      if (quotes.includes(ch) && QUOTE_PAIRS[ch]) closing = QUOTE_PAIRS[ch];
      current += ch;
    }
  }
  parts.push(current);
  return parts;
};

/** `"a""b"` -> `a"b`; `` `x` `` -> `x`; `[x]` -> `x`; returns null when the part is not wholly quoted. */
export const unquoteIdentifier = (part: string): string | null => {
  if (part.length < 2) return null;
  const open = part[0];
  const close = QUOTE_PAIRS[open];
  if (!close || part[part.length - 1] !== close) return null;
  const inner = part.slice(1, -1);
  return close === ']' ? inner : inner.split(close + close).join(close);
};

const fold = (text: string, rule: CaseRule) =>
  rule === 'upper' ? text.toUpperCase() : rule === 'lower' ? text.toLowerCase() : text;

/**
 * The canonical spelling of one identifier that the platform stores as `exact`:
 * unquoted when reading it back unquoted gives the same identifier, else double-quoted.
 */
export const formatIdentifier = (exact: string, rule: CaseRule): string => {
  const safe = !/[."]/.test(exact) && fold(exact, rule) === exact && exact.trim() === exact && exact !== '';
  return safe ? exact : `"${exact.split('"').join('""')}"`;
};

/**
 * Canonicalises one identifier part as written in SQL: unquoted parts fold by `rule`,
 * quoted parts (`"..."`, backticks, brackets) keep their case and lose the quotes unless they are needed.
 */
export const canonicalIdentifier = (part: string, rule: CaseRule): string => {
  const trimmed = part.trim();
  const unquoted = unquoteIdentifier(trimmed);
  return formatIdentifier(unquoted ?? fold(trimmed, rule), rule);
};

/** Canonicalises every part of a dotted name by `rule` (quotes understood: `quotes`). */
export const canonicalDottedName = (name: string, rule: CaseRule, quotes = '"'): string =>
  splitIdentifierParts(name, { quotes })
    .map((part) => canonicalIdentifier(part, rule))
    .join('.');

/**
 * For platforms that fold every identifier regardless of quoting (Redshift by default, MySQL, Hive):
 * quotes are dropped and the text folded; quotes come back only around a part holding a dot or a quote.
 */
export const foldedDottedName = (name: string, rule: 'upper' | 'lower', quotes = '"'): string =>
  splitIdentifierParts(name, { quotes })
    .map((part) => {
      const trimmed = part.trim();
      return formatIdentifier(fold(unquoteIdentifier(trimmed) ?? trimmed, rule), rule);
    })
    .join('.');
