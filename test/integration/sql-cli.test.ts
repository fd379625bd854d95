/**
 * The real `lineage` command (bin/lineage.js -> dist/apps/cli/src/main.js, built by `npm run build`) as a user
 * runs it: SQL on stdin, JSON on stdout, usage errors on stderr with exit code 2.
 */
import { spawnSync } from 'child_process';
import { resolve } from 'path';

const root = resolve(__dirname, '..', '..');
const lineage = (args: string[], input: string) =>
  spawnSync(process.execPath, [resolve(root, 'bin', 'lineage.js'), ...args], { input, encoding: 'utf8', timeout: 30_000 });

describe('lineage sql (built binary)', () => {
  it('prints the lineage of a Redshift script read on stdin', () => {
    const run = lineage(
      ['sql', '--dialect', 'redshift', '--default-db', 'dev', '--default-schema', 'public'],
      'CREATE TEMP TABLE s AS SELECT id, amount FROM sales; INSERT INTO totals SELECT id, SUM(amount) AS total FROM s GROUP BY id;',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.inTables).toEqual(['dev.public.sales']);
    expect(result.outTables).toEqual(['dev.public.totals']);
    expect(result.columnLineage.map((e: { downstream: { column: string } }) => e.downstream.column)).toEqual(['id', 'total']);
  });

  it('answers --batch with one JSON line per input line', () => {
    const input = [
      JSON.stringify({ id: 1, dialect: 'snowflake', sql: 'MERGE INTO t USING s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v' }),
      JSON.stringify({ id: 2, dialect: 'bigquery', sql: 'SELECT * FROM `p.d.events_20240101`' }),
    ].join('\n');
    const run = lineage(['sql', '--batch'], input);
    expect(run.status).toBe(0);
    const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.id, r.inTables, r.outTables])).toEqual([
      [1, ['S'], ['T']],
      [2, ['p.d.events'], []],
    ]);
  });

  it('exits 1 when a statement does not parse, saying which, instead of a confident answer', () => {
    const run = lineage(['sql', '--dialect', 'postgres'], 'INSERT INTO a SELECT x FROM b;\nFROBNICATE TABLE c;');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/1 statement\(s\) could not be parsed: statement at offset 31/);
    expect(JSON.parse(run.stdout).errors).toHaveLength(1);
  });

  it('exits 2 with a clear message on a bad dialect or flag', () => {
    const bad = lineage(['sql', '--dialect', 'oracle'], 'select 1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown dialect "oracle"; expected one of bigquery, snowflake, redshift, postgres, ansi/);
    const flag = lineage(['sql', '--dialect', 'postgres', '--verbose'], 'select 1');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag --verbose/);
    expect(flag.stdout).toBe('');
    const conventions = lineage(['sql', '--dialect', 'postgres', '--conventions', 'marquez'], 'select 1');
    expect(conventions.status).toBe(2);
    expect(conventions.stderr).toMatch(/--conventions must be one of openlineage, sqllineage/);
  });

  it("answers lines of the shared corpus format with their peer's conventions and sqllineage flags", () => {
    const drop = 'DROP TABLE IF EXISTS tab1';
    const lateral = 'INSERT INTO t SELECT a AS x, x + 1 AS y FROM s';
    const input = [
      { id: 'sqllineage', dialect: 'ansi', sql: drop, source_repo: 'reata/sqllineage' },
      { id: 'openlineage', dialect: 'postgres', sql: drop, source_repo: 'OpenLineage/OpenLineage' },
      { id: 'plain', dialect: 'ansi', sql: drop },
      { id: 'explicit', dialect: 'ansi', sql: drop, source_repo: 'reata/sqllineage', conventions: 'openlineage' },
      { id: 'lateral', dialect: 'ansi', sql: lateral, config: { SQLLINEAGE_LATERAL_COLUMN_ALIAS_REFERENCE: '1' } },
      { id: 'bad', dialect: 'ansi', sql: drop, conventions: 'marquez' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const run = lineage(['sql', '--batch'], input);
    expect(run.status).toBe(0);
    const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.slice(0, 4).map((r) => [r.id, r.outTables])).toEqual([
      ['sqllineage', []],
      ['openlineage', ['tab1']],
      ['plain', ['tab1']],
      ['explicit', ['tab1']],
    ]);
    const y = rows[4].columnLineage.find((e: { downstream: { column: string } }) => e.downstream.column === 'y');
    expect(y.upstreams).toEqual([{ table: 's', column: 'a' }]);
    expect(rows[5].error).toBe('conventions must be one of openlineage, sqllineage');
    // --conventions answers every line that does not say otherwise
    const all = lineage(['sql', '--batch', '--conventions', 'sqllineage'], JSON.stringify({ id: 1, dialect: 'ansi', sql: drop }));
    expect(JSON.parse(all.stdout).outTables).toEqual([]);
  });
});
