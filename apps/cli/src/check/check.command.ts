/**
 * `lineage check`: the CI gate. Reads a pull request's changes (--sql DDL files, a dbt manifest pair or OpenLineage
 * event files as --base/--head, a plain --changes file), queries each change's federated downstream impact through
 * the gateway, and reports (markdown, json, sarif, github, table). Exit: 0 nothing breaks, 1 a policy is violated,
 * 2 usage or tool error, 3 impact unknown (check-policy.ts).
 */
import { readFileSync, writeFileSync } from 'fs';
import type { Command } from 'commander';
import { normaliseDialect, SQL_DIALECTS } from '@lineage-hub/sql-lineage';
import { UsageError } from '../cli-io';
import { type CliContext, gatewayOptions, listOption, intOption } from '../cli-context';
import type { SchemaChange } from './change.types';
import { changeImpact, type ChangeImpact } from './change-impact';
import { changesOfPair } from './change-sources';
import { parseChangesFile } from './changes-file';
import { type CheckPolicy, parseFailOn, verdict } from './check-policy';
import { CHECK_FORMATS, renderCheck } from './check-report';
import { sqlChanges } from './sql-changes';

export const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
};


interface CheckOptions {
  sql?: string[];
  dialect?: string;
  namespace?: string;
  defaultDb?: string;
  defaultSchema?: string;
  base?: string;
  head?: string;
  changes?: string;
  failOn?: string;
  protectTier?: string[];
  protectDomain?: string[];
  depth: number;
  out?: string;
}

/** Every change the options name; any unreadable input is a usage error before anything is asked of the hub. */
export const collectChanges = (o: CheckOptions): SchemaChange[] => {
  const changes: SchemaChange[] = [];
  if (!o.sql?.length && !o.base && !o.head && !o.changes) throw new UsageError('nothing to check: give --sql FILE..., --base/--head FILE, or --changes FILE');
  if (o.sql?.length) {
    if (!o.dialect) throw new UsageError(`--dialect is required with --sql (one of ${SQL_DIALECTS.join(', ')})`);
    const dialect = normaliseDialect(o.dialect);
    if (!dialect) throw new UsageError(`--dialect: "${o.dialect}" is not one of ${SQL_DIALECTS.join(', ')}`);
    if (!o.namespace) throw new UsageError('--namespace is required with --sql (the warehouse namespace, e.g. snowflake://acme or postgres://db:5432)');
    for (const file of o.sql) changes.push(...sqlChanges({ file, text: readText(file), dialect, namespace: o.namespace, defaultDatabase: o.defaultDb, defaultSchema: o.defaultSchema }));
  }
  if (o.base || o.head) {
    if (!o.base || !o.head) throw new UsageError('--base and --head go together (two dbt manifest.json files or two OpenLineage event files)');
    changes.push(...changesOfPair(o.base, readText(o.base), o.head, readText(o.head), o.namespace));
  }
  if (o.changes) changes.push(...parseChangesFile(readText(o.changes), o.changes));
  return changes;
};

export const registerCheck = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('check'), CHECK_FORMATS)
    .description("CI gate: a pull request's dataset and column changes against their federated downstream consumers")
    .option('--sql <files...>', 'DDL/DML files of the change (needs --dialect and --namespace)')
    .option('--dialect <dialect>', `SQL dialect: ${SQL_DIALECTS.join('|')}`)
    .option('--namespace <namespace>', 'warehouse namespace of the changed tables (snowflake://acme, postgres://host:5432, bigquery)')
    .option('--default-db <db>', 'database that qualifies names without one')
    .option('--default-schema <schema>', 'schema that qualifies bare names')
    .option('--base <file>', 'the base dbt manifest.json (or OpenLineage events with schema facets)')
    .option('--head <file>', 'the head dbt manifest.json (or OpenLineage events)')
    .option('--changes <file>', 'a plain changes file (JSON or YAML)')
    .option('--fail-on <when>', 'breaking|any|none', 'breaking')
    .option('--protect-tier <tiers>', 'tiers whose consumers must never break (comma-separated, repeatable)', listOption)
    .option('--protect-domain <domains>', 'domains whose consumers must never break (comma-separated, repeatable)', listOption)
    .option('--depth <n>', 'jobs crossed downstream', intOption('depth', 1, 100), 10)
    .option('--out <file>', 'write the report to a file instead of stdout')
    .action(async (opts) => {
      const format = ctx.format(opts, CHECK_FORMATS);
      const policy: CheckPolicy = { failOn: parseFailOn(opts.failOn), protectedTiers: opts.protectTier ?? [], protectedDomains: opts.protectDomain ?? [] };
      const changes = collectChanges(opts);
      const client = ctx.client(opts);
      const impacts: ChangeImpact[] = [];
      for (const change of changes) impacts.push(await changeImpact(client, change, opts.depth));
      const code = verdict(impacts, policy);
      const report = renderCheck(format, impacts, policy, code);
      if (opts.out) writeFileSync(opts.out, report);
      else ctx.write(report);
      ctx.exit(code);
    });
};
