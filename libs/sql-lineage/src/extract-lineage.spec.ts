import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { createEventValidator } from '@lineage-hub/model';
import {
  connectorColumnLineage,
  extractLineage,
  toColumnLineageFacets,
  toSqlColumnLineage,
  type SqlLineageRequest,
} from '@lineage-hub/sql-lineage';
import { handWrittenCasesDir } from '@lineage-hub/sql-lineage/testing';

describe('extractLineage never throws', () => {
  it('answers bad input with an error result instead of throwing', () => {
    const r = extractLineage({ sql: 42 as unknown as string, dialect: 'postgres' });
    expect(r.errors).toEqual(['sql must be a string']);
    expect(r.confidence).toBe(0);
    expect(extractLineage(null as unknown as SqlLineageRequest).errors).toEqual(['sql must be a string']);
  });

  it('parses an unknown dialect as ansi and says so', () => {
    const r = extractLineage({ sql: 'INSERT INTO a SELECT x FROM b', dialect: 'oracle' as never });
    expect(r.dialect).toBe('ansi');
    expect(r.outTables).toEqual(['a']);
    expect(r.warnings).toContain('unknown dialect "oracle", parsed as ansi');
  });

  it('survives every prefix of every hand-written statement and random garbage without an internal error', () => {
    // the project's own cases (the ../shared corpus gets the same treatment in extract-lineage.conformance.spec.ts)
    const dir = handWrittenCasesDir();
    const cases = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
      .map((l) => JSON.parse(l) as { sql: string; dialect: string });
    let runs = 0;
    for (const c of cases) {
      for (let cut = 1; cut < c.sql.length; cut += 13) {
        const r = extractLineage({ sql: c.sql.slice(0, cut), dialect: c.dialect as SqlLineageRequest['dialect'] });
        expect(r.errors.filter((e) => e.startsWith('internal'))).toEqual([]);
        runs++;
      }
    }
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = "SELECT FROM WHERE ( ) , ; ' \" ` $$ -- /* */ JOIN ON a.b * 1 CASE WHEN END WITH AS INSERT INTO MERGE USING \n";
    const words = alphabet.split(' ');
    for (let i = 0; i < 300; i++) {
      const sql = Array.from({ length: 5 + Math.floor(rand() * 40) }, () => words[Math.floor(rand() * words.length)]).join(' ');
      for (const dialect of ['bigquery', 'snowflake', 'redshift', 'postgres', 'ansi'] as const) {
        expect(extractLineage({ sql, dialect }).errors.filter((e) => e.startsWith('internal'))).toEqual([]);
      }
    }
    expect(runs).toBeGreaterThan(1000);
  });

  it('reports an unparsable statement with its reason and keeps the lineage of the others', () => {
    const r = extractLineage({ sql: 'INSERT INTO a SELECT x FROM b; SELECT FROM WHERE; INSERT INTO c SELECT y FROM d', dialect: 'postgres' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^statement at offset 31: /);
    expect(r.inTables).toEqual(['b', 'd']);
    expect(r.outTables).toEqual(['a', 'c']);
    expect(r.statements).toBe(3);
    expect(r.confidence).toBeCloseTo(2 / 3, 2);
  });

  it('turns a statement nested too deeply for the stack into an error of that statement only', () => {
    const deep = '('.repeat(20000) + 'a' + ')'.repeat(20000);
    const r = extractLineage({ sql: `INSERT INTO t SELECT ${deep} AS x FROM s; INSERT INTO u SELECT b FROM v`, dialect: 'postgres' });
    expect(r.errors).toEqual(['statement at offset 0: statement nests too deeply to parse (stack exhausted)']);
    expect(r.outTables).toEqual(['u']);
    expect(r.inTables).toEqual(['v']);
  });

  it('lowers confidence and warns when a column cannot be attributed', () => {
    const r = extractLineage({ sql: 'INSERT INTO t SELECT amount FROM a JOIN b ON a.id = b.id', dialect: 'redshift' });
    expect(r.columnLineage).toEqual([
      { downstream: { table: 't', column: 'amount' }, upstreams: [{ table: null, column: 'amount', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }], transformation: { type: 'DIRECT', subtype: 'IDENTITY' } },
    ]);
    expect(r.confidence).toBeLessThan(1);
    expect(r.warnings.join(' ')).toMatch(/amount could come from several tables/);
  });

  it('keeps a table role honest when only part of a statement parses: unparsed text is a warning, not a guess', () => {
    const r = extractLineage({ sql: 'INSERT INTO t SELECT a FROM s FOO BAR BAZ', dialect: 'postgres' });
    expect(r.outTables).toEqual(['t']);
    expect(r.inTables).toEqual(['s']);
    expect(r.warnings.some((w) => w.startsWith('ignored unparsed text'))).toBe(true);
    expect(r.confidence).toBeLessThan(1);
  });
});

describe('a 100 KB statement', () => {
  it('is parsed whole, every one of its 1,500 columns traced', () => {
    const cols = Array.from({ length: 1500 }, (_, i) => `CASE WHEN a.c${i} > ${i} THEN b.d${i} ELSE COALESCE(a.e${i}, 0) END AS out_${i}`);
    const sql = `INSERT INTO tgt.wide SELECT ${cols.join(',\n')} FROM src.a a JOIN src.b b ON a.id = b.id WHERE a.x > 0`;
    expect(sql.length).toBeGreaterThan(100_000);
    const r = extractLineage({ sql, dialect: 'redshift' });
    expect(r.errors).toEqual([]);
    expect(r.inTables).toEqual(['src.a', 'src.b']);
    expect(r.outTables).toEqual(['tgt.wide']);
    expect(r.columnLineage).toHaveLength(1500);
    const last = r.columnLineage.find((e) => e.downstream.column === 'out_1499')!;
    expect(last.upstreams.map((u) => `${u.table}.${u.column}:${u.transformations.map((t) => t.subtype).join('+')}`).sort()).toEqual([
      'src.a.c1499:CONDITIONAL',
      'src.a.e1499:TRANSFORMATION',
      'src.b.d1499:IDENTITY',
    ]);
    expect(r.datasetLevel).toEqual(
      expect.arrayContaining([
        { table: 'src.a', column: 'id', subtype: 'JOIN' },
        { table: 'src.b', column: 'id', subtype: 'JOIN' },
        { table: 'src.a', column: 'x', subtype: 'FILTER' },
      ]),
    );
  });

  it('handles 2,000 UNION ALL branches and 200 nested derived tables', () => {
    const branches = Array.from({ length: 2000 }, (_, i) => `SELECT a FROM s.t${i}`);
    const union = extractLineage({ sql: `INSERT INTO x ${branches.join(' UNION ALL ')}`, dialect: 'snowflake' });
    expect(union.inTables).toHaveLength(2000);
    expect(union.columnLineage[0].upstreams).toHaveLength(2000);
    let nested = 'SELECT a FROM t';
    for (let i = 0; i < 200; i++) nested = `SELECT a FROM (${nested}) s${i}`;
    const deep = extractLineage({ sql: nested, dialect: 'postgres' });
    expect(deep.columnLineage[0].upstreams.map((u) => `${u.table}.${u.column}`)).toEqual(['t.a']);
  });
});

describe('names, scripts and CREATE forms', () => {
  const edges = (sql: string, dialect: SqlLineageRequest['dialect']) =>
    extractLineage({ sql, dialect }).columnLineage.flatMap((e) => e.upstreams.map((u) => `${e.downstream.table}.${e.downstream.column} <- ${u.table}.${u.column}`));

  it('names an unaliased CAST by its text in generic SQL and by its column in PostgreSQL and Redshift; `::` by its column everywhere', () => {
    expect(edges('INSERT INTO tab1 SELECT cast(col1 AS timestamp) FROM tab2', 'ansi')).toEqual(['tab1.cast(col1 as timestamp) <- tab2.col1']);
    expect(edges('INSERT INTO tab1 SELECT col1::timestamp FROM tab2', 'ansi')).toEqual(['tab1.col1 <- tab2.col1']);
    for (const dialect of ['postgres', 'redshift'] as const) {
      expect(edges('INSERT INTO tab1 SELECT CAST(col1 AS timestamp) FROM tab2', dialect)).toEqual(['tab1.col1 <- tab2.col1']);
    }
  });

  it('does not take the columns an INSERT names for all the columns of its table: a later statement reads others', () => {
    const sql = 'INSERT INTO tab2 (col1) SELECT col1 FROM tab1; INSERT INTO tab3 (col2) SELECT col2 FROM tab2';
    expect(edges(sql, 'bigquery').sort()).toEqual(['tab2.col1 <- tab1.col1', 'tab3.col2 <- tab2.col2']);
    // a CREATE ... AS does define them: the later * expands to them
    expect(edges('CREATE TEMP TABLE t AS SELECT a, b FROM s; INSERT INTO u SELECT * FROM t', 'postgres').sort()).toEqual(['u.a <- s.a', 'u.b <- s.b']);
  });

  it('reads CREATE TABLE|VIEW name SELECT ... without AS (MySQL, Spark), and not an option clause as a query', () => {
    const r = extractLineage({ sql: 'CREATE TABLE t2 SELECT id, name FROM t1', dialect: 'ansi' });
    expect([r.inTables, r.outTables, r.errors]).toEqual([['t1'], ['t2'], []]);
    expect(edges('CREATE TEMPORARY VIEW v SELECT a FROM db.x', 'ansi')).toEqual(['v.a <- db.x.a']);
    expect(extractLineage({ sql: 'CREATE TABLE t (a int) WITH (fillfactor = 70)', dialect: 'postgres' }).inTables).toEqual([]);
  });
});

describe('conventions: openlineage (default) and sqllineage', () => {
  const tables = (sql: string, conventions?: 'openlineage' | 'sqllineage', dialect: SqlLineageRequest['dialect'] = 'ansi') => {
    const r = extractLineage({ sql, dialect, conventions });
    return { in: r.inTables, out: r.outTables, lifecycle: r.lifecycle.map((e) => e.kind) };
  };

  it.each([
    ['DROP TABLE IF EXISTS tab1', { in: [], out: ['tab1'], lifecycle: ['DROP'] }, { in: [], out: [], lifecycle: ['DROP'] }],
    ['TRUNCATE TABLE tab1', { in: [], out: ['tab1'], lifecycle: ['TRUNCATE'] }, { in: [], out: [], lifecycle: ['TRUNCATE'] }],
    ['ALTER TABLE tab1 RENAME TO tab2', { in: ['tab1'], out: ['tab2'], lifecycle: ['RENAME'] }, { in: [], out: [], lifecycle: ['RENAME'] }],
    ['INSERT INTO tab1 SELECT * FROM tab2; ALTER TABLE tab1 RENAME TO tab3', { in: ['tab1', 'tab2'], out: ['tab1', 'tab3'], lifecycle: ['RENAME'] }, { in: ['tab2'], out: ['tab3'], lifecycle: ['RENAME'] }],
    ['WITH cte_1 AS (SELECT col1 FROM tab1) SELECT col2 FROM tab2', { in: ['tab2'], out: [], lifecycle: [] }, { in: ['tab1', 'tab2'], out: [], lifecycle: [] }],
    ['CREATE TABLE tab_a AS SELECT * FROM tab_b; CREATE TABLE tab_c AS SELECT * FROM tab_a', { in: ['tab_a', 'tab_b'], out: ['tab_a', 'tab_c'], lifecycle: [] }, { in: ['tab_b'], out: ['tab_c'], lifecycle: [] }],
    // an INSERT-written table read later stays in the lineage under both
    ['INSERT INTO tab2 SELECT col1 FROM tab1; INSERT INTO tab3 SELECT col2 FROM tab2', { in: ['tab1', 'tab2'], out: ['tab2', 'tab3'], lifecycle: [] }, { in: ['tab1', 'tab2'], out: ['tab2', 'tab3'], lifecycle: [] }],
  ])('%s', (sql, openlineage, sqllineage) => {
    expect(tables(sql)).toEqual(openlineage);
    expect(tables(sql, 'openlineage')).toEqual(openlineage);
    expect(tables(sql, 'sqllineage')).toEqual(sqllineage);
  });

  it('SWAP WITH: both tables read and written, or (sqllineage) the other read and the first written', () => {
    expect(tables('ALTER TABLE tab1 SWAP WITH tab2', undefined, 'snowflake')).toEqual({ in: ['TAB1', 'TAB2'], out: ['TAB1', 'TAB2'], lifecycle: ['SWAP'] });
    expect(tables('ALTER TABLE tab1 SWAP WITH tab2', 'sqllineage', 'snowflake')).toEqual({ in: ['TAB2'], out: ['TAB1'], lifecycle: ['SWAP'] });
  });

  it('sqllineage resolves column lineage through a view the script created', () => {
    const r = extractLineage({ sql: 'CREATE VIEW v AS SELECT id, a FROM t1; INSERT INTO t2 SELECT id, a AS x FROM v', dialect: 'ansi', conventions: 'sqllineage' });
    expect(r.columnLineage.flatMap((e) => e.upstreams.map((u) => `${e.downstream.table}.${e.downstream.column} <- ${u.table}.${u.column}`)).sort()).toEqual(['t2.id <- t1.id', 't2.x <- t1.a']);
    expect([r.inTables, r.outTables]).toEqual([['t1'], ['t2']]);
  });

  it('refuses an unknown value, naming the field', () => {
    const r = extractLineage({ sql: 'SELECT 1', dialect: 'ansi', conventions: 'marquez' as never });
    expect(r.errors).toEqual(['conventions must be "openlineage" or "sqllineage"']);
  });
});

describe('output for OpenLineage and connectors', () => {
  const result = extractLineage({
    sql: 'INSERT INTO mart.orders_by_day SELECT o.day, SUM(o.amount) AS total FROM raw.orders o JOIN raw.shops s ON o.shop_id = s.id WHERE s.active GROUP BY o.day',
    dialect: 'postgres',
  });

  it('gives a columnLineage facet that validates against the OpenLineage ColumnLineageDatasetFacet definition', () => {
    const facets = toColumnLineageFacets(result, { namespace: 'postgres://db:5432', producer: 'https://github.com/lineage-hub' });
    const facet = facets['mart.orders_by_day'];
    expect(facet.fields.total.inputFields).toEqual([
      { namespace: 'postgres://db:5432', name: 'raw.orders', field: 'amount', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: '', masking: false }] },
    ]);
    expect(facet.dataset.map((d) => `${d.name}.${d.field}:${d.transformations[0].subtype}`).sort()).toEqual([
      'raw.orders.day:GROUP_BY',
      'raw.orders.shop_id:JOIN',
      'raw.shops.active:FILTER',
      'raw.shops.id:JOIN',
    ]);
    // the project's own definition, kept identical to the official schema by libs/model's conformance test
    expect(createEventValidator().validateFacet('DatasetFacet', 'columnLineage', facet)).toEqual({ ok: true });
    expect(createEventValidator().validateFacet('DatasetFacet', 'columnLineage', { ...facet, fields: { x: {} } })).toMatchObject({ ok: false });
  });

  it('answers a connector with null when a statement cannot be parsed', () => {
    expect(connectorColumnLineage({ sql: 'INSERT INTO a SELECT x FROM b', dialect: 'redshift' })).toEqual([
      { target: 'a', columns: [{ column: 'x', sources: [{ table: 'b', column: 'x', transformation: { type: 'DIRECT', subtype: 'IDENTITY' } }] }] },
    ]);
    expect(connectorColumnLineage({ sql: 'INSERT INTO a SELECT FROM', dialect: 'redshift' })).toBeNull();
  });

  it('gives the connector SDK its SqlColumnLineage shape', () => {
    expect(toSqlColumnLineage(result)).toEqual([
      {
        target: 'mart.orders_by_day',
        columns: [
          { column: 'day', sources: [{ table: 'raw.orders', column: 'day', transformation: { type: 'DIRECT', subtype: 'IDENTITY' } }] },
          { column: 'total', sources: [{ table: 'raw.orders', column: 'amount', transformation: { type: 'DIRECT', subtype: 'AGGREGATION' } }] },
        ],
      },
    ]);
  });
});
