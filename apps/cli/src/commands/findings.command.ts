/** `lineage findings`: the federated findings (undeclared writes, stale datasets, stalled runs, ...) with filters. */
import type { Command } from 'commander';
import { EXIT_UNKNOWN } from '../cli-io';
import { type CliContext, gatewayOptions, intOption } from '../cli-context';
import { renderRows } from '../output/render';
import { isoTime, parseTimeArg } from './time-format';

export const registerFindings = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('findings'))
    .description('findings across domains: undeclared writes, stale datasets, stalled and failed runs, coverage gaps')
    .option('--kind <kind>', 'e.g. stale, undeclared-write, stalled-run, coverage-gap')
    .option('--status <status>', 'open|resolved', 'open')
    .option('--dataset <id>', 'one dataset')
    .option('--job <id>', 'one job')
    .option('--since <time>', 'opened since (ISO-8601, epoch ms, or 7d ago)')
    .option('--limit <n>', 'findings', intOption('limit', 1, 10_000), 100)
    .action(async (opts) => {
      const { body } = await ctx.client(opts).get('/api/v1/findings', { kind: opts.kind, status: opts.status, dataset: opts.dataset, job: opts.job, since: opts.since && parseTimeArg(opts.since, 'since'), limit: opts.limit });
      const rows: any[] = body.findings ?? body.items ?? body;
      ctx.write(
        renderRows(rows, [
          { header: 'kind', value: (f) => f.kind },
          { header: 'domain', value: (f) => f.domain },
          { header: 'subject', value: (f) => f.dataset ?? f.job },
          { header: 'status', value: (f) => f.status },
          { header: 'confidence', value: (f) => f.confidence },
          { header: 'opened', value: (f) => isoTime(f.openedAt) },
          { header: 'summary', value: (f) => f.summary },
        ], ctx.format(opts), body),
      );
      if (body.complete === false) {
        ctx.writeErr(`lineage findings: incomplete: no answer from ${(body.missingDomains ?? []).join(', ')}\n`);
        ctx.exit(EXIT_UNKNOWN);
      }
    });
};
