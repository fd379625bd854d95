/** What a pull request changes about datasets, from any of the CLI's change sources. */
export type ChangeKind = 'column-dropped' | 'column-renamed' | 'column-type-changed' | 'column-added' | 'dataset-removed' | 'dataset-renamed';

export const CHANGE_KINDS: readonly ChangeKind[] = ['column-dropped', 'column-renamed', 'column-type-changed', 'column-added', 'dataset-removed', 'dataset-renamed'];

export interface SchemaChange {
  kind: ChangeKind;
  /** Canonical dataset id (`dataset:{namespace}:{name}`). */
  dataset: string;
  column?: string;
  /** The new column name (column-renamed) or the new dataset id (dataset-renamed). */
  renamedTo?: string;
  fromType?: string;
  toType?: string;
  /** Where the change was read from (a file, and a line when known): SARIF and GitHub annotations point there. */
  file?: string;
  line?: number;
}

/**
 * A change breaks readers when what they read goes away or changes meaning: a dropped or renamed column, a
 * removed or renamed dataset, a type change other than a widening that keeps every value (see isWidening).
 * An added column breaks nobody.
 */
export const isBreaking = (change: SchemaChange): boolean => {
  switch (change.kind) {
    case 'column-added':
      return false;
    case 'column-type-changed':
      return !isWidening(change.fromType, change.toType);
    default:
      return true;
  }
};

const INTEGER_WIDTH: Record<string, number> = { tinyint: 1, smallint: 2, int2: 2, integer: 4, int: 4, int4: 4, bigint: 8, int8: 8, int64: 8 };
const FLOAT_WIDTH: Record<string, number> = { real: 4, float4: 4, float: 8, float8: 8, 'double precision': 8, double: 8, float64: 8 };

const parseType = (type: string) => {
  const m = /^\s*([a-z0-9_ ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(type);
  return m ? { base: m[1].toLowerCase().replace(/\s+/g, ' '), p: m[2] ? Number(m[2]) : undefined, s: m[3] ? Number(m[3]) : undefined } : undefined;
};

const TEXT = new Set(['varchar', 'character varying', 'char', 'character', 'nvarchar', 'string', 'text']);

/** Widenings that keep every value: a wider integer or float, a longer text, a decimal with more digits on both sides. */
export const isWidening = (from: string | undefined, to: string | undefined): boolean => {
  if (!from || !to) return false;
  const a = parseType(from);
  const b = parseType(to);
  if (!a || !b) return false;
  if (a.base === b.base && a.p === b.p && a.s === b.s) return true;
  if (INTEGER_WIDTH[a.base] && INTEGER_WIDTH[b.base]) return INTEGER_WIDTH[b.base] >= INTEGER_WIDTH[a.base];
  if (FLOAT_WIDTH[a.base] && FLOAT_WIDTH[b.base]) return FLOAT_WIDTH[b.base] >= FLOAT_WIDTH[a.base];
  if (TEXT.has(a.base) && TEXT.has(b.base)) return b.p === undefined || (a.p !== undefined && b.p >= a.p);
  if (['numeric', 'decimal', 'number'].includes(a.base) && a.base === b.base && a.p !== undefined && b.p !== undefined) {
    const sa = a.s ?? 0;
    const sb = b.s ?? 0;
    return sb >= sa && b.p - sb >= a.p - sa;
  }
  return false;
};

export const changeLabel = (c: SchemaChange): string => {
  const target = c.column ? `${c.dataset}:${c.column}` : c.dataset;
  switch (c.kind) {
    case 'column-dropped':
      return `column ${target} dropped`;
    case 'column-renamed':
      return `column ${target} renamed to ${c.renamedTo}`;
    case 'column-type-changed':
      return `column ${target} changed type ${c.fromType ?? '?'} -> ${c.toType ?? '?'}`;
    case 'column-added':
      return `column ${target} added`;
    case 'dataset-removed':
      return `dataset ${target} removed`;
    case 'dataset-renamed':
      return `dataset ${target} renamed to ${c.renamedTo}`;
  }
};
