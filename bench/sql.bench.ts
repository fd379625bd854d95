/**
 * npm run bench:sql
 *
 * libs/sql-lineage on the development corpus (../shared/conformance/sql-lineage, 206 cases) and on the
 * repository's hand-written warehouse cases: statements per second on one core, and the scores (parse,
 * table-exact, column-exact) per source, per dialect and per source x dialect, with every miss listed.
 * Beside it, in the same run: node-sql-parser 5.4 (the parser the issue suggested measuring first), parse
 * only, on the same corpus and on the warehouse constructs the issue names.
 * Results go to bench/RESULTS.md under "## SQL lineage" (only that section is replaced).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import { extractLineage } from '@lineage-hub/sql-lineage';
import {
  caseRequest,
  compareHandWritten,
  handWrittenCasesDir,
  handWrittenRequest,
  loadConformanceCases,
  rate,
  scoreCorpus,
  type HandWrittenCase,
  type Tally,
} from '@lineage-hub/sql-lineage/testing';

/** Why each remaining miss is a miss. The conformance spec fails if the list of misses changes. */
const EXPLANATIONS: Record<string, string> = {
  'sqllineage/test_cte/test_cte_and_union_but_not_selecting_from_cte/ansi/1':
    'Deliberate: sqllineage counts the tables of a CTE that nothing references (tab1) as inputs. The database never reads them, and OpenLineage\'s own suite (test_alias_resolving, 2 cases) expects them left out; we follow OpenLineage and warn.',
  'sqllineage/test_other_without_lineage/test_alter_table_rename/ansi/1':
    'Deliberate: sqllineage gives ALTER TABLE ... RENAME no tables. We follow OpenLineage\'s suite (tests_alter/alter_table_rename): old name read, new name written, plus a RENAME lifecycle event.',
  'sqllineage/test_metadata_unqualified_column/test_select_column_from_tempview_view_subquery/ansi/1':
    'Deliberate (issue 16): sqllineage resolves column lineage through every table or view a script creates and reads again. We resolve through transient tables only (TEMP/TEMPORARY/VOLATILE, Redshift #name, created and dropped by the script); the view test_view outlives the script, so it stays in the lineage and the edges go through it.',
  'sqllineage/test_metadata_wildcard/test_wildcard_reference_from_previous_statements/ansi/1':
    'Deliberate (issue 16): as above; the tables the script creates in schema temp are ordinary tables that outlive it, so the edges go through them.',
  'sqllineage/test_other_with_lineage_dialect_specific/test_alter_table_swap_partition/snowflake/1':
    'Deliberate: sqllineage reads only the other table in ALTER TABLE ... SWAP WITH. Each table takes the other\'s content, so both are read and both written; OpenLineage\'s suite (tests_alter/alter_snowflake_swap_with) expects exactly that.',
};

const NSP_DATABASE: Record<string, string> = { bigquery: 'BigQuery', snowflake: 'Snowflake', redshift: 'Redshift', postgres: 'PostgresQL', ansi: 'PostgresQL' };

const PROBES: Array<[string, string, string]> = [
  ['Redshift CTAS with DISTKEY/SORTKEY', 'redshift', 'CREATE TABLE bar DISTKEY(a) SORTKEY(b) AS SELECT a, b FROM foo'],
  ['Redshift CTAS', 'redshift', 'CREATE TABLE bar AS SELECT * FROM foo'],
  ['WITH ... INSERT (Postgres)', 'postgres', 'WITH c AS (SELECT a FROM t) INSERT INTO x (a) SELECT a FROM c'],
  ['MERGE (Snowflake)', 'snowflake', 'MERGE INTO t USING s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (s.k, s.v)'],
  ['MERGE (BigQuery)', 'bigquery', 'MERGE ds.t T USING ds.s S ON T.k = S.k WHEN MATCHED THEN UPDATE SET v = S.v WHEN NOT MATCHED THEN INSERT (k, v) VALUES (S.k, S.v)'],
  ['QUALIFY (Snowflake)', 'snowflake', 'SELECT a FROM t QUALIFY ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) = 1'],
  ['LATERAL FLATTEN (Snowflake)', 'snowflake', 'SELECT f.value FROM t, LATERAL FLATTEN(input => t.arr) f'],
  ['UNNEST (BigQuery)', 'bigquery', 'SELECT x FROM ds.t, UNNEST(t.arr) AS x'],
  ['COPY (Redshift)', 'redshift', "COPY t FROM 's3://b/k' IAM_ROLE 'arn' FORMAT AS PARQUET"],
  ['UNLOAD (Redshift)', 'redshift', "UNLOAD ('select * from t') TO 's3://b/k' IAM_ROLE 'arn'"],
  ['ALTER TABLE SWAP (Snowflake)', 'snowflake', 'ALTER TABLE a SWAP WITH b'],
  ['BigQuery wildcard table', 'bigquery', "SELECT * FROM `p.d.events_*` WHERE _TABLE_SUFFIX BETWEEN '2024' AND '2025'"],
];

const pct = (hit: number, of: number) => (of === 0 ? 'n/a' : `${(100 * rate(hit, of)).toFixed(1)}% (${hit}/${of})`);

const timeIt = (fn: () => number, minMs: number): { perSecond: number; units: number; ms: number } => {
  fn(); // warm-up
  const start = process.hrtime.bigint();
  let units = 0;
  let ms = 0;
  do {
    units += fn();
    ms = Number(process.hrtime.bigint() - start) / 1e6;
  } while (ms < minMs);
  return { perSecond: (units * 1000) / ms, units, ms };
};

const main = () => {
  const cases = loadConformanceCases();
  const requests = cases.map(caseRequest);
  const statementsPerPass = requests.reduce((n, r) => n + extractLineage(r).statements, 0);

  // --- throughput, one core (this process is single-threaded)
  const ours = timeIt(() => {
    for (const r of requests) extractLineage(r);
    return statementsPerPass;
  }, 3000);
  const parser = new Parser();
  let nspParsed = 0;
  const nspByDialect: Record<string, [number, number]> = {};
  for (const c of cases) {
    let ok = false;
    try {
      parser.astify(c.sql, { database: NSP_DATABASE[c.dialect] });
      ok = true;
    } catch {
      ok = false;
    }
    const t = (nspByDialect[c.dialect] ??= [0, 0]);
    t[1]++;
    if (ok) {
      t[0]++;
      nspParsed++;
    }
  }
  const nsp = timeIt(() => {
    for (const c of cases) {
      try {
        parser.astify(c.sql, { database: NSP_DATABASE[c.dialect] });
      } catch {
        // counted above
      }
    }
    return statementsPerPass;
  }, 3000);

  // --- one generated 100 KB statement (1,500 CASE columns over a join)
  const wide = `INSERT INTO tgt.wide SELECT ${Array.from({ length: 1500 }, (_, i) => `CASE WHEN a.c${i} > ${i} THEN b.d${i} ELSE COALESCE(a.e${i}, 0) END AS out_${i}`).join(',\n')} FROM src.a a JOIN src.b b ON a.id = b.id`;
  const big = timeIt(() => {
    extractLineage({ sql: wide, dialect: 'redshift' });
    return 1;
  }, 2000);

  // --- scores
  const score = scoreCorpus(cases, extractLineage);
  const tallyRow = (name: string, t: Tally) => `| ${name} | ${t.cases} | ${pct(t.parsed, t.cases)} | ${pct(t.tableExact, t.tableAsserted)} | ${pct(t.columnExact, t.columnAsserted)} |`;

  // --- hand-written cases
  const dir = handWrittenCasesDir();
  // per split (dev: developed on; holdout: scored only) and dialect: cases, parsed, tables exact, columns exact, all exact
  const hand: Record<string, { n: number; parsed: number; tables: number; columns: number; all: number }> = {};
  const handFailures: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    const split = /\.holdout\.jsonl$/.test(f) ? 'holdout' : 'dev';
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim())) {
      const c = JSON.parse(line) as HandWrittenCase;
      const diffs = compareHandWritten(c, extractLineage(handWrittenRequest(c)));
      const t = (hand[`${split} | ${c.dialect}`] ??= { n: 0, parsed: 0, tables: 0, columns: 0, all: 0 });
      t.n++;
      if (!diffs.some((d) => d.startsWith('errors:'))) t.parsed++;
      if (!diffs.some((d) => d.startsWith('in:') || d.startsWith('out:'))) t.tables++;
      if (!diffs.some((d) => d.startsWith('columns:') || d.startsWith('transform'))) t.columns++;
      if (diffs.length === 0) t.all++;
      else handFailures.push(`${split} ${c.id}: ${diffs.join('; ')}`);
    }
  }

  // --- the issue's constructs, both parsers
  const probeRows = PROBES.map(([name, dialect, sql]) => {
    let nspOk = true;
    try {
      parser.astify(sql, { database: NSP_DATABASE[dialect] });
    } catch {
      nspOk = false;
    }
    const r = extractLineage({ sql, dialect: dialect as never });
    const oursText = r.errors.length ? 'fails' : `in ${JSON.stringify(r.inTables)} out ${JSON.stringify(r.outTables)}`;
    return `| ${name} | ${nspOk ? 'parses' : 'fails'} | ${oursText.replace(/\|/g, '\\|')} |`;
  });

  const lines = [
    '## SQL lineage',
    '',
    `\`npm run bench:sql\` (bench/sql.bench.ts), ${new Date().toISOString().slice(0, 10)}. Machine: ${os.cpus().length} cores (shared with other work; 1-minute load average ${os.loadavg()[0].toFixed(1)} at the end of the run), Node ${process.version}; one process, one core.`,
    '',
    `Corpus: ../shared/conformance/sql-lineage/cases.jsonl, ${cases.length} cases holding ${statementsPerPass} statements (procedure bodies count their statements). Scored as the corpus README says: names lower-cased without quotes; table-exact = in and out sets equal where the case asserts tables (OpenLineage's 4 \`in_tables_names_only\` cases compare bare input names); column-exact = the set of (downstream table, column, upstream table, column) edges equal.`,
    '',
    '### Throughput (same run)',
    '',
    '| what | statements/s | target |',
    '|---|---|---|',
    `| libs/sql-lineage extractLineage (tokenize, parse, resolve scopes, lineage) | ${Math.round(ours.perSecond).toLocaleString('en-US')} | >= 1,000 |`,
    `| node-sql-parser 5.4 astify, parse only (no lineage), for comparison | ${Math.round(nsp.perSecond).toLocaleString('en-US')} | |`,
    '',
    `A generated ${Math.round(wide.length / 1024)} KB statement (1,500 CASE columns over a join): ${(big.ms / big.units).toFixed(1)} ms per statement (${big.units} runs).`,
    '',
    '### Scores per source',
    '',
    '| source | cases | parse | table-exact | column-exact |',
    '|---|---|---|---|---|',
    ...Object.entries(score.bySource).map(([k, t]) => tallyRow(k, t)),
    '',
    'Thresholds (Done when): parse >= 98%, table-exact >= 95%, column-exact >= 90% per source. `libs/sql-lineage/src/sql-lineage.conformance.spec.ts` asserts them and the exact list of misses below.',
    '',
    '### Scores per dialect and per source x dialect',
    '',
    '| dialect | cases | parse | table-exact | column-exact |',
    '|---|---|---|---|---|',
    ...Object.entries(score.byDialect).map(([k, t]) => tallyRow(k, t)),
    ...Object.entries(score.bySourceAndDialect).sort().map(([k, t]) => tallyRow(k, t)),
    '',
    '### Every miss, explained',
    '',
    ...(score.misses.length
      ? score.misses.map((m) => `- \`${m.id}\` (${m.failed.join(', ')}): ${EXPLANATIONS[m.id] ?? 'NOT EXPLAINED'}`)
      : ['- none']),
    '',
    '### Hand-written warehouse cases (libs/sql-lineage/test-cases/*.jsonl)',
    '',
    'Statements from the vendors\' SQL references, lineage worked out by hand, compared exactly (tables, column edges with per-dialect case, transformation types and lifecycle events where given).',
    '',
    'The cases are split in two (`<dialect>.dev.jsonl`, `<dialect>.holdout.jsonl`): rules were developed on the dev half only; the holdout half is scored. The holdout files were first scored on 2026-12-06 after the issue-16 rules: 131/134 all-exact (bigquery 34/34, postgres 33/34, redshift 32/32, snowflake 32/34); two misses were expectations of mine that did not follow the documented canonical naming (quoted mixed-case parts stay quoted, `"Sales"."Orders"`) and were corrected, one (`sf-60`, IDENTIFIER($var) in FROM) was a regression of a new rule, fixed by narrowing the rule to UPDATE/DELETE targets.',
    '',
    '| split | dialect | cases | parse | table-exact | column-exact | all exact |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(hand).sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => `| ${k} | ${t.n} | ${pct(t.parsed, t.n)} | ${pct(t.tables, t.n)} | ${pct(t.columns, t.n)} | ${pct(t.all, t.n)} |`),
    ...(handFailures.length ? ['', ...handFailures.map((f) => `- ${f}`)] : []),
    '',
    '### Choosing the parser',
    '',
    `node-sql-parser 5.4, measured in this run on the corpus: parses ${pct(nspParsed, cases.length)}; per dialect ${Object.entries(nspByDialect).map(([d, [ok, n]]) => `${d} ${ok}/${n}`).join(', ')}.`,
    'Measured once while choosing (2026-11-21, throwaway installs, same corpus): sql-parser-cst parsed 187/206 (bigquery 8/8, snowflake 1/6 through its PostgreSQL dialect, redshift 2/3), pgsql-ast-parser 147/206 (bigquery 0/8, redshift 0/3); dt-sql-parser has no BigQuery, Snowflake or Redshift grammar. None handles COPY, UNLOAD or ALTER ... SWAP.',
    '',
    'The issue\'s constructs, in this run:',
    '',
    '| construct | node-sql-parser 5.4 | libs/sql-lineage |',
    '|---|---|---|',
    ...probeRows,
    '',
    'Decision: no maintained JavaScript parser covers the four warehouse dialects (node-sql-parser fails Redshift CTAS, `WITH ... INSERT` and MERGE; sql-parser-cst has no Snowflake or Redshift). libs/sql-lineage therefore has its own tolerant tokenizer and recursive-descent parser for the lineage-relevant part of SQL (statements, scopes, names, clause membership of every column; expressions flat, without precedence), with statement splitting, procedure bodies (BEGIN ... END and $$ bodies), COPY/UNLOAD/EXPORT/LOAD, ALTER RENAME/SWAP/APPEND, and recovery to the next `;` with the reason. No new npm dependency.',
    '',
  ];
  const section = lines.join('\n');
  process.stdout.write(section + '\n');

  const file = path.resolve(__dirname, '..', '..', 'bench', 'RESULTS.md');
  const target = existsSync(file) ? file : path.resolve(process.cwd(), 'bench', 'RESULTS.md');
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf('\n## SQL lineage');
  let next: string;
  if (start < 0) next = current.replace(/\n*$/, '\n\n') + section;
  else {
    const after = current.indexOf('\n## ', start + 1);
    next = current.slice(0, start + 1) + section + (after < 0 ? '' : '\n' + current.slice(after + 1));
  }
  writeFileSync(target, next.replace(/\n*$/, '\n'));
  if (ours.perSecond < 1000) {
    process.stderr.write(`throughput ${Math.round(ours.perSecond)} statements/s is below the 1,000 target\n`);
    process.exitCode = 1;
  }
};

main();
