/**
 * `lineage connectors list|show|run|history`: the connector admin API through the gateway. `run` starts a run
 * now (optionally over a past window) and, with --wait, follows it with a progress line until it ends; a failed
 * run exits 1.
 */
import type { Command } from 'commander';
import { EXIT_FAILED, UsageError } from '../cli-io';
import { type CliContext, gatewayOptions, intOption } from '../cli-context';
import { renderRows } from '../output/render';
import { isoTime, parseTimeArg } from './time-format';

const path = (id: string, rest = '') => `/api/v1/connectors/${encodeURIComponent(id)}${rest}`;
const TERMINAL = new Set(['succeeded', 'failed']);

const runColumns = [
  { header: 'run', value: (r: any) => r.runId },
  { header: 'state', value: (r: any) => r.state },
  { header: 'trigger', value: (r: any) => r.trigger },
  { header: 'started', value: (r: any) => isoTime(r.startedAt) },
  { header: 'finished', value: (r: any) => isoTime(r.finishedAt) },
  { header: 'window', value: (r: any) => (r.window ? `${isoTime(r.window.from)} .. ${isoTime(r.window.to)}` : undefined) },
  { header: 'rows', value: (r: any) => r.counts?.rowsRead },
  { header: 'complete', value: (r: any) => r.coverage?.complete },
  { header: 'error', value: (r: any) => r.error?.message },
];

export const registerConnectors = (program: Command, ctx: CliContext): void => {
  const group = program.command('connectors').description('connector instances: list, show, run now, run history');
  gatewayOptions(group.command('list'))
    .description('every connector instance with its schedule and last run')
    .action(async (opts) => {
      const { body } = await ctx.client(opts).get('/api/v1/connectors');
      const rows: any[] = body.connectors ?? body;
      ctx.write(
        renderRows(rows, [
          { header: 'id', value: (c) => c.id },
          { header: 'kind', value: (c) => c.kind },
          { header: 'domain', value: (c) => c.domain },
          { header: 'enabled', value: (c) => c.enabled },
          { header: 'schedule', value: (c) => c.schedule?.cron ?? c.schedule?.every ?? c.schedule },
          { header: 'last run', value: (c) => c.status?.lastRun?.state },
          { header: 'lag s', value: (c) => c.status?.lagSeconds },
        ], ctx.format(opts), body),
      );
    });
  gatewayOptions(group.command('show').argument('<id>'), ['json', 'table', 'markdown'])
    .description("one connector's configuration (secrets masked) and status")
    .action(async (id: string, opts) => {
      const { body } = await ctx.client(opts).get(path(id));
      ctx.write(ctx.format(opts, ['json', 'table', 'markdown']) === 'json' ? JSON.stringify(body, null, 2) + '\n' : renderRows(Object.entries(body).map(([k, v]) => ({ k, v })), [{ header: 'field', value: (r) => r.k }, { header: 'value', value: (r) => r.v }], ctx.format(opts, ['json', 'table', 'markdown'])));
    });
  gatewayOptions(group.command('run').argument('<id>'))
    .description('run a connector now (optionally over a past window, which does not move its cursor)')
    .option('--from <time>', 'window start (ISO-8601, epoch ms, or 7d ago)')
    .option('--to <time>', 'window end')
    .option('--wait', 'follow the run until it ends, with a progress line')
    .option('--timeout <seconds>', 'give up waiting after this long', intOption('timeout', 1), 600)
    .action(async (id: string, opts) => {
      const client = ctx.client(opts);
      if (!!opts.from !== !!opts.to) throw new UsageError('--from and --to go together');
      const window = opts.from ? { from: parseTimeArg(opts.from, 'from'), to: parseTimeArg(opts.to, 'to') } : undefined;
      let { body: run } = await client.post(path(id, '/runs'), window);
      const deadline = Date.now() + opts.timeout * 1000;
      const tty = (ctx.io.stderr as { isTTY?: boolean }).isTTY === true;
      while (opts.wait && !TERMINAL.has(run.state) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        const { body } = await client.get(path(id, '/runs'), { limit: 20 });
        run = (body.runs ?? []).find((r: any) => r.runId === run.runId) ?? run;
        if (tty) ctx.writeErr(`\r${run.state} rows ${run.counts?.rowsRead ?? 0} requests ${run.counts?.requests ?? 0} batches ${run.counts?.batches ?? 0}   `);
      }
      if (tty && opts.wait) ctx.writeErr('\n');
      ctx.write(renderRows([run], runColumns, ctx.format(opts), run));
      if (run.state === 'failed') ctx.exit(EXIT_FAILED);
    });
  gatewayOptions(group.command('history').argument('<id>'))
    .description("a connector's recent runs: state, window, rows, coverage, error")
    .option('--limit <n>', 'runs', intOption('limit', 1, 1000), 20)
    .action(async (id: string, opts) => {
      const { body } = await ctx.client(opts).get(path(id, '/runs'), { limit: opts.limit });
      ctx.write(renderRows(body.runs ?? [], runColumns, ctx.format(opts), body));
    });
};
