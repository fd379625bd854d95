/**
 * Changes in DDL files (`lineage check --sql`). Table-level effects (DROP TABLE/VIEW, ALTER ... RENAME TO) come
 * from libs/sql-lineage's lifecycle, with its per-dialect name qualification; column-level ALTERs (DROP COLUMN,
 * RENAME [COLUMN] a TO b, ALTER [COLUMN] c [SET DATA] TYPE t, MODIFY [COLUMN] c [SET DATA TYPE] t, ADD [COLUMN])
 * are read here, with the table qualified by libs/sql-lineage the same way. A statement libs/sql-lineage cannot
 * parse is a usage error naming the file and line: the gate never passes on SQL it did not read.
 */
import { canonicalDataset } from '@lineage-hub/model';
import { extractLineage, type SqlDialect } from '@lineage-hub/sql-lineage';
import { UsageError } from '../cli-io';
import type { SchemaChange } from './change.types';
import { type DdlToken, identifierText, joinTokens, splitStatements } from './ddl-tokens';

export interface SqlSource {
  file: string;
  text: string;
  dialect: SqlDialect;
  namespace: string;
  defaultDatabase?: string;
  defaultSchema?: string;
}

const datasetIdOf = (namespace: string, table: string): string => {
  const { namespace: ns, name } = canonicalDataset(namespace, table);
  return `dataset:${ns}:${name}`;
};

/** Reads `[IF EXISTS] name[.name...]` from position i; returns the index after it. */
const skipName = (tokens: DdlToken[], i: number): number => {
  let k = i;
  if (tokens[k]?.upper === 'IF' && tokens[k + 1]?.upper === 'EXISTS') k += 2;
  if (tokens[k]?.upper === 'ONLY') k++;
  k++;
  while (tokens[k]?.text === '.' && tokens[k + 1]) k += 2;
  return k;
};

/** Splits the actions of ALTER TABLE at top-level commas. */
const actions = (tokens: DdlToken[]): DdlToken[][] => {
  const out: DdlToken[][] = [];
  let current: DdlToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === ',' && depth === 0) {
      out.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) out.push(current);
  return out;
};

const TYPE_END = new Set(['USING', 'COLLATE', 'NOT', 'NULL', 'DEFAULT', 'COMMENT', 'CONSTRAINT', 'PRIMARY', 'REFERENCES', 'UNIQUE', 'CHECK', 'FIRST', 'AFTER', 'OPTIONS']);

const typeText = (tokens: DdlToken[]): string => {
  const end = tokens.findIndex((t) => t.kind === 'word' && TYPE_END.has(t.upper));
  return joinTokens(end < 0 ? tokens : tokens.slice(0, end)).replace(/,\s+/g, ',');
};

const word = (t: DdlToken | undefined, ...words: string[]) => !!t && t.kind === 'word' && words.includes(t.upper);

/** One ALTER TABLE action -> the column change it makes, if any. */
const columnChange = (a: DdlToken[]): Omit<SchemaChange, 'dataset'> | undefined => {
  let i = 0;
  if (word(a[0], 'DROP')) {
    i = word(a[1], 'COLUMN') ? 2 : 1;
    if (word(a[i], 'CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'INDEX', 'KEY', 'PARTITION', 'CHECK', 'DEFAULT')) return undefined;
    if (word(a[i], 'IF') && word(a[i + 1], 'EXISTS')) i += 2;
    return a[i] ? { kind: 'column-dropped', column: identifierText(a[i]) } : undefined;
  }
  if (word(a[0], 'RENAME')) {
    if (word(a[1], 'TO', 'AS')) return undefined; // the table itself: libs/sql-lineage's RENAME
    i = word(a[1], 'COLUMN') ? 2 : 1;
    if (word(a[i], 'CONSTRAINT', 'INDEX', 'KEY')) return undefined;
    if (a[i] && word(a[i + 1], 'TO') && a[i + 2]) return { kind: 'column-renamed', column: identifierText(a[i]), renamedTo: identifierText(a[i + 2]) };
    return undefined;
  }
  if (word(a[0], 'ALTER', 'MODIFY', 'CHANGE')) {
    i = word(a[1], 'COLUMN') ? 2 : 1;
    const column = a[i];
    if (!column) return undefined;
    let k = i + 1;
    if (word(a[0], 'CHANGE')) {
      // MySQL CHANGE [COLUMN] old new type: a rename when the names differ, else a type change
      const renamed = a[k];
      if (!renamed) return undefined;
      if (identifierText(renamed).toLowerCase() !== identifierText(column).toLowerCase()) return { kind: 'column-renamed', column: identifierText(column), renamedTo: identifierText(renamed) };
      return { kind: 'column-type-changed', column: identifierText(column), toType: typeText(a.slice(k + 1)) };
    }
    if (word(a[k], 'SET') && word(a[k + 1], 'DATA') && word(a[k + 2], 'TYPE')) k += 3;
    else if (word(a[k], 'TYPE')) k += 1;
    else if (word(a[k], 'SET', 'DROP', 'COMMENT')) return undefined; // SET DEFAULT, DROP NOT NULL, ...
    else if (!word(a[0], 'MODIFY')) return undefined;
    const toType = typeText(a.slice(k));
    return toType ? { kind: 'column-type-changed', column: identifierText(column), toType } : undefined;
  }
  if (word(a[0], 'ADD')) {
    i = word(a[1], 'COLUMN') ? 2 : 1;
    if (word(a[i], 'CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'INDEX', 'KEY', 'PARTITION', 'CHECK')) return undefined;
    if (word(a[i], 'IF') && word(a[i + 1], 'NOT') && word(a[i + 2], 'EXISTS')) i += 3;
    return a[i] ? { kind: 'column-added', column: identifierText(a[i]), toType: typeText(a.slice(i + 1)) || undefined } : undefined;
  }
  return undefined;
};

export const sqlChanges = (source: SqlSource): SchemaChange[] => {
  const changes: SchemaChange[] = [];
  const request = { dialect: source.dialect, defaultDatabase: source.defaultDatabase, defaultSchema: source.defaultSchema };
  for (const statement of splitStatements(source.text)) {
    const text = joinTokens(statement.tokens);
    const lineage = extractLineage({ sql: text, ...request });
    if (lineage.errors.length) throw new UsageError(`${source.file}:${statement.line}: libs/sql-lineage cannot read this statement: ${lineage.errors.join('; ')}`);
    const where = { file: source.file, line: statement.line };
    for (const event of lineage.lifecycle) {
      if (event.kind === 'DROP') changes.push({ kind: 'dataset-removed', dataset: datasetIdOf(source.namespace, event.table), ...where });
      if (event.kind === 'RENAME') changes.push({ kind: 'dataset-renamed', dataset: datasetIdOf(source.namespace, event.table), renamedTo: datasetIdOf(source.namespace, event.to), ...where });
    }
    const t = statement.tokens;
    if (!(word(t[0], 'ALTER') && word(t[1], 'TABLE'))) continue;
    const table = lineage.outTables[0] ?? lineage.inTables[0];
    if (!table) continue;
    const rest = t.slice(skipName(t, 2));
    for (const action of actions(rest)) {
      const change = columnChange(action);
      if (change) changes.push({ ...change, dataset: datasetIdOf(source.namespace, table), ...where });
    }
  }
  return changes;
};
