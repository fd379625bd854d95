/**
 * The resolver's base: the per-statement result, canonical names (case rules, defaults, BigQuery shards) and
 * recording reads, writes and written columns. The resolver is one object built in layers, one file per
 * concern: base -> expressions -> FROM -> queries -> statements (lineage-resolver.ts).
 */
import { formatIdentifier } from '@lineage-hub/model';
import type { NamePart } from '../sql-ast';
import { BQ_SHARD, type OutColumn, type ResolverOptions, type StatementLineage } from './resolution.types';

export abstract class ResolverBase {
  protected readonly result: StatementLineage = {
    reads: new Set(),
    writes: [],
    columns: [],
    datasetLevel: [],
    lifecycle: [],
    defines: [],
    temporaries: [],
    creates: [],
    createdColumns: new Map(),
    warnings: [],
    unresolved: 0,
  };

  constructor(protected readonly options: ResolverOptions) {}

  // ---------- names ----------
  protected fold(text: string, rule: 'upper' | 'lower' | 'keep'): string {
    return rule === 'upper' ? text.toUpperCase() : rule === 'lower' ? text.toLowerCase() : text;
  }
  columnKey(part: NamePart): string {
    const { rules } = this.options;
    if (part.quoted && !rules.foldQuoted && rules.columnCase !== 'lower') return part.text;
    if (part.quoted && !rules.foldQuoted && !this.options.bigquery) return part.text;
    const key = this.fold(part.text, rules.columnCase);
    if (this.options.spellings && !this.options.spellings.has(key)) this.options.spellings.set(key, part.text);
    return key;
  }
  protected tablePart(part: NamePart): string {
    const { rules } = this.options;
    const exact = part.quoted && !rules.foldQuoted ? part.text : this.fold(part.text, rules.tableCase);
    return formatIdentifier(exact, rules.tableCase);
  }
  /** Canonical parts of a name, without defaults (schema keys). */
  canonicalParts(parts: NamePart[]): string[] {
    return parts.map((p) => this.tablePart(p));
  }
  /** Canonical, default-qualified table name. */
  tableName(parts: NamePart[]): string {
    const names = parts.map((p) => this.tablePart(p));
    if (this.options.bigquery && names.length > 0) names[names.length - 1] = this.bigqueryShard(names[names.length - 1]);
    const { defaultDatabase: db, defaultSchema: schema } = this.options;
    if (names.length === 1) {
      if (schema) return [db, schema, names[0]].filter(Boolean).join('.');
      if (db) return `${db}.${names[0]}`;
    } else if (names.length === 2 && db) return `${db}.${names.join('.')}`;
    return names.join('.');
  }
  /** BigQuery date-sharded tables (`events_20240101`) and wildcard tables (`events_*`) name their family. */
  protected bigqueryShard(last: string): string {
    const wildcard = /^(.*?)[_$]?\*$/.exec(last);
    if (wildcard && wildcard[1]) return wildcard[1];
    const shard = BQ_SHARD.exec(last);
    return shard ? shard[1].replace(/[_$]$/, '') : last;
  }

  protected write(table: string, defines: boolean): void {
    if (table === '') return; // named at run time
    if (!this.result.writes.includes(table)) this.result.writes.push(table);
    if (defines && !this.result.defines.includes(table)) this.result.defines.push(table);
    // `#name` (Redshift): a temporary table of the session
    if (defines && /(^|\.)#[^.]*$/.test(table) && !this.result.temporaries.includes(table)) this.result.temporaries.push(table);
  }
  protected read(table: string): void {
    if (table === '') return; // named at run time
    this.result.reads.add(table);
  }

  /**
   * Records the columns written to `table` (null: a plain SELECT's output), renamed by `names` if given. A statement
   * that `defines` the table (CREATE ... AS, SELECT INTO) also tells later statements of the script its columns; an
   * INSERT or a load names only the columns it writes, which are not all the table has.
   */
  protected emit(table: string | null, columns: OutColumn[], names: string[] | null, defines = true): void {
    const r = this.result;
    let targetNames = names;
    if (!targetNames && table) {
      const known = this.options.lookupSchema(table);
      if (known && !columns.some((c) => c.name === '*') && known.length >= columns.length) targetNames = known;
    }
    if (targetNames) {
      if (columns.some((c) => c.provider)) {
        r.warnings.push(`${table ?? 'query'}: a * without schema cannot be mapped onto the column list; column lineage omitted`);
        r.unresolved++;
      } else {
        columns.forEach((c, i) => {
          if (i < targetNames!.length) r.columns.push({ table, column: targetNames![i], origins: c.origins });
        });
      }
      if (defines && table && !columns.some((c) => c.provider)) r.createdColumns.set(table, targetNames.slice());
      return;
    }
    for (const c of columns) r.columns.push({ table, column: c.name, origins: c.origins });
    if (defines && table && !columns.some((c) => c.provider)) r.createdColumns.set(table, columns.map((c) => c.name));
  }
}
