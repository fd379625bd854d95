/**
 * The field paths a Salesforce formula reads (pure): `Amount`, `Account.Owner.Name`, `Account__r.Discount__c`.
 * Function names (followed by "("), global variables ($User, $Setup, $Label, ...), literals and comments are
 * not references.
 */
const LITERALS = new Set(['TRUE', 'FALSE', 'NULL']);
const TOKEN = /\$?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/g;

const stripCommentsAndStrings = (formula: string): string =>
  formula
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/'(?:[^'\\]|\\.)*'/g, ' ');

export const formulaFieldPaths = (formula: string): string[][] => {
  const text = stripCommentsAndStrings(formula);
  const seen = new Set<string>();
  const paths: string[][] = [];
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const rest = text.slice((match.index ?? 0) + token.length);
    if (token.startsWith('$') || /^\s*\(/.test(rest) || LITERALS.has(token.toUpperCase())) continue;
    const before = text[(match.index ?? 0) - 1];
    if (before && /[A-Za-z0-9_.$]/.test(before)) continue;
    const key = token.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    paths.push(token.split('.'));
  }
  return paths;
};
