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
import {
  caseRequest,
  compareHandWritten,
  extractLineage,
  handWrittenCasesDir,
  handWrittenRequest,
  loadConformanceCases,
  rate,
  scoreCorpus,
  type HandWrittenCase,
  type Tally,
} from '@lineage-hub/sql-lineage';

/** Why each remaining miss is a miss. The conformance spec fails if the list of misses changes. */
const EXPLANATIONS: Record<string, string> = {
  'sqllineage/test_cte/test_cte_and_union_but_not_selecting_from_cte/ansi/1':
    'Deliberate: sqllineage counts the tables of a CTE that nothing references (tab1) as inputs. The database never reads them, and OpenLineage\'s own suite (test_alias_resolving, 2 cases) expects them left out; we follow OpenLineage and warn.',
  'sqllineage/test_other_without_lineage/test_alter_table_rename/ansi/1':
    'Deliberate: sqllineage gives ALTER TABLE ... RENAME no tables. We follow OpenLineage\'s suite (tests_alter/alter_table_rename): old name read, new name written, plus a RENAME lifecycle event.',
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
  const hand: Record<string, [number, number]> = {};
  const handFailures: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim())) {
      const c = JSON.parse(line) as HandWrittenCase;
      const diffs = compareHandWritten(c, extractLineage(handWrittenRequest(c)));
      const t = (hand[c.dialect] ??= [0, 0]);
      t[1]++;
      if (diffs.length === 0) t[0]++;
      else handFailures.push(`${c.id}: ${diffs.join('; ')}`);
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
    '| dialect | agree |',
    '|---|---|',
    ...Object.entries(hand).map(([d, [ok, n]]) => `| ${d} | ${pct(ok, n)} |`),
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
