/**
 * The field paths a Salesforce formula reads (pure): `Amount`, `Account.Owner.Name`, `Account__r.Discount__c`,
 * `ns__Invoice__r.ns__Total__c`. Function names (followed by "("), global variables ($User, $Setup, $Label,
 * $ObjectType, $CustomMetadata, ...), literals and comments are not references.
 *
 * A polymorphic Owner is spanned with an explicit type, `Owner:User.Email` or `Owner:Queue.QueueEmail` (Salesforce
 * Help, "Tips for Building Cross-Object Formulas"): that hop is kept as one part, `Owner:User`.
 */
const LITERALS = new Set(['TRUE', 'FALSE', 'NULL']);
const PART = '[A-Za-z_][A-Za-z0-9_]*(?:\\s*:\\s*[A-Za-z_][A-Za-z0-9_]*)?';
const TOKEN = new RegExp(`\\$?${PART}(?:\\.${PART})*`, 'g');

/**
 * Comments and string literals blanked in one left-to-right pass, so that a quote inside a comment, or `/*` inside
 * a string (`SUBSTITUTE(Path__c, "/*", "")`), does not swallow the text after it.
 */
const stripCommentsAndStrings = (formula: string): string =>
  formula.replace(/\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'/g, ' ');

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
    const path = token.split('.').map((part) => part.replace(/\s+/g, ''));
    const key = path.join('.').toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    paths.push(path);
  }
  return paths;
};
