import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PassThrough } from 'stream';
import { runCli } from './cli';

const run = async (argv: string[], stdin = '') => {
  const input = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  input.end(stdin);
  const code = await runCli(argv, { stdin: input, stdout, stderr });
  return { code, out, err };
};

describe('lineage sql', () => {
  it('prints the lineage of SQL read on stdin', async () => {
    const { code, out } = await run(['sql', '--dialect', 'snowflake', '--default-db', 'analytics', '--default-schema', 'raw'], 'INSERT INTO mart.t SELECT id, SUM(v) AS v FROM events GROUP BY id');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.inTables).toEqual(['ANALYTICS.RAW.EVENTS']);
    expect(result.outTables).toEqual(['ANALYTICS.MART.T']);
    expect(result.columnLineage.map((e: { downstream: { column: string }; transformation: { subtype: string } }) => `${e.downstream.column}:${e.transformation.subtype}`)).toEqual(['ID:IDENTITY', 'V:AGGREGATION']);
  });

  it('exits 1 on a statement it cannot parse, naming its position, and still prints what it read', async () => {
    const { code, out, err } = await run(['sql', '--dialect', 'postgres'], 'INSERT INTO a SELECT x FROM b;\nFROBNICATE TABLE c;');
    expect(code).toBe(1);
    const result = JSON.parse(out);
    expect(result.inTables).toEqual(['b']);
    expect(result.outTables).toEqual(['a']);
    expect(result.errors).toEqual([expect.stringMatching(/^statement at offset 31: .*FROBNICATE/)]);
    expect(err).toMatch(/1 statement\(s\) could not be parsed: statement at offset 31/);
  });

  it('exits 0 on statements that carry no lineage (GRANT, COMMIT)', async () => {
    const { code, out } = await run(['sql', '--dialect', 'postgres'], 'GRANT SELECT ON t TO bob; COMMIT;');
    expect(code).toBe(0);
    expect(JSON.parse(out).errors).toEqual([]);
  });

  it('expands * with a --schema file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-cli-'));
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify({ 'public.src': ['a', 'b'] }));
    const { code, out } = await run(['sql', '--dialect=postgres', `--schema=${file}`], 'CREATE TABLE public.dst AS SELECT * FROM public.src');
    expect(code).toBe(0);
    expect(JSON.parse(out).columnLineage.map((e: { downstream: { column: string } }) => e.downstream.column)).toEqual(['a', 'b']);
  });

  it('answers --batch JSON lines one for one, with per-line errors', async () => {
    const lines = [
      JSON.stringify({ id: 'q1', dialect: 'bigquery', sql: 'SELECT * FROM ds.t', schema_info: { 'ds.t': ['a'] }, default_db: 'proj' }),
      'not json',
      JSON.stringify({ id: 'q3', dialect: 'oracle', sql: 'select 1' }),
      '',
      JSON.stringify({ id: 4, dialect: 'redshift', sql: 'INSERT INTO a SELECT x FROM b; SELECT FROM WHERE' }),
    ].join('\n');
    const { code, out } = await run(['sql', '--batch'], lines);
    expect(code).toBe(0);
    const rows = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      id: 'q1',
      inTables: ['proj.ds.t'],
      outTables: [],
      columnLineage: [{ downstream: { table: null, column: 'a' }, upstreams: [{ table: 'proj.ds.t', column: 'a' }], transformation: { type: 'DIRECT', subtype: 'IDENTITY' } }],
    });
    expect(rows[1].id).toBeNull();
    expect(rows[1].error).toMatch(/^invalid JSON/);
    expect(rows[2]).toEqual({ id: 'q3', inTables: [], outTables: [], columnLineage: [], error: 'unknown dialect "oracle"' });
    expect(rows[3].id).toBe(4);
    expect(rows[3].outTables).toEqual(['a']);
    expect(rows[3].error).toMatch(/expected a select list/);
  });

  it.each([
    [['sql', '--dialect', 'oracle'], /unknown dialect "oracle"/],
    [['sql', '--bogus'], /unknown flag --bogus/],
    [['sql', '--dialect'], /--dialect needs a value/],
    [['sql'], /--dialect is required/],
    [['sql', '--dialect', 'postgres', '--schema', '/nonexistent/schema.json'], /--schema: cannot read \/nonexistent\/schema.json/],
    [['sql', '--dialect', 'postgres', 'stray'], /unexpected argument "stray"/],
    [['nope'], /lineage: unknown command 'nope'/],
  ])('exits 2 with a clear message on bad usage: %j', async (argv, message) => {
    const { code, out, err } = await run(argv as string[], 'select 1');
    expect(code).toBe(2);
    expect(err).toMatch(message as RegExp);
    expect(out).toBe('');
  });

  it('rejects a schema file that is not a table -> columns object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ t: 'a,b' }));
    const { code, err } = await run(['sql', '--dialect', 'postgres', '--schema', file], 'select 1');
    expect(code).toBe(2);
    expect(err).toMatch(/must be an object of table name -> array of column names/);
  });
});
