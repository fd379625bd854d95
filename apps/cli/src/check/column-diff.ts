/**
 * Column changes between two schemas of one dataset (dbt manifests, OpenLineage schema facets). A column that
 * disappears while exactly one new column of the same type appears is taken as a rename; any other disappearance
 * is a drop. Types are compared case-insensitively.
 */
import type { SchemaChange } from './change.types';

export interface ColumnSchema {
  name: string;
  type?: string;
}

const key = (name: string) => name.toLowerCase();
const sameType = (a?: string, b?: string) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

export const diffColumns = (dataset: string, base: ColumnSchema[], head: ColumnSchema[], where: Pick<SchemaChange, 'file' | 'line'> = {}): SchemaChange[] => {
  const before = new Map(base.map((c) => [key(c.name), c]));
  const after = new Map(head.map((c) => [key(c.name), c]));
  const gone = base.filter((c) => !after.has(key(c.name)));
  const added = head.filter((c) => !before.has(key(c.name)));
  const changes: SchemaChange[] = [];
  if (gone.length === 1 && added.length === 1 && sameType(gone[0].type, added[0].type)) {
    changes.push({ kind: 'column-renamed', dataset, column: gone[0].name, renamedTo: added[0].name, ...where });
  } else {
    for (const c of gone) changes.push({ kind: 'column-dropped', dataset, column: c.name, fromType: c.type, ...where });
    for (const c of added) changes.push({ kind: 'column-added', dataset, column: c.name, toType: c.type, ...where });
  }
  for (const c of base) {
    const next = after.get(key(c.name));
    if (next && c.type && next.type && !sameType(c.type, next.type)) changes.push({ kind: 'column-type-changed', dataset, column: c.name, fromType: c.type, toType: next.type, ...where });
  }
  return changes;
};
