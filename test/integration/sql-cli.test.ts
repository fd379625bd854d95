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
  });
});
