/** `lineage alerts list|ack|silence`: the worker's alerts through the gateway. */
import type { Command } from 'commander';
import { UsageError } from '../cli-io';
import { type CliContext, gatewayOptions } from '../cli-context';
import { renderRows } from '../output/render';
import { durationMs, isoTime } from './time-format';

/** `--for 2h` or `--until <ISO>` -> the silence's end. */
export const silenceEnd = (forValue: string | undefined, until: string | undefined, now = Date.now()): string => {
  if (forValue && until) throw new UsageError('give --for or --until, not both');
  if (forValue) {
    const ms = durationMs(forValue, ['m', 'h', 'd']);
    if (ms === undefined) throw new UsageError(`--for: "${forValue}" is not a duration such as 30m, 2h or 1d`);
    return new Date(now + ms).toISOString();
  }
  if (!until) throw new UsageError('a silence needs an end: --for 2h or --until <ISO-8601>');
  const ms = Date.parse(until);
  if (Number.isNaN(ms)) throw new UsageError(`--until: "${until}" is not an ISO-8601 time`);
  if (ms <= now) throw new UsageError('--until: must be in the future');
  return new Date(ms).toISOString();
};

/** `name=value` (equal) or `name=~regex` matchers. */
export const parseMatcher = (text: string, previous: Array<{ name: string; value: string; isRegex: boolean }> = []) => {
  const m = /^([A-Za-z_][\w.-]*)(=~|=)(.+)$/.exec(text);
  if (!m) throw new UsageError(`--match: "${text}" is not name=value or name=~regex`);
  return [...previous, { name: m[1], value: m[3], isRegex: m[2] === '=~' }];
};

export const registerAlerts = (program: Command, ctx: CliContext): void => {
  const group = program.command('alerts').description('alerts for on-call: list, acknowledge, silence');
  gatewayOptions(group.command('list'))
    .description('alerts with their severity, root cause and affected datasets')
    .option('--status <status>', 'firing|acknowledged|resolved')
    .option('--severity <severity>', 'critical|error|warning|info')
    .option('--domain <domain>', 'one domain')
    .action(async (opts) => {
      const { body } = await ctx.client(opts).get('/api/v1/alerts', { status: opts.status, severity: opts.severity, domain: opts.domain });
      const rows: any[] = body.alerts ?? body.items ?? body;
      ctx.write(
        renderRows(rows, [
          { header: 'id', value: (a) => a.id },
          { header: 'severity', value: (a) => a.severity },
          { header: 'status', value: (a) => a.status ?? a.state },
          { header: 'kind', value: (a) => a.kind },
          { header: 'root cause', value: (a) => a.rootCause?.dataset ?? a.rootCause?.id ?? a.rootCause ?? a.asset },
          { header: 'affected', value: (a) => (Array.isArray(a.affected) ? a.affected.length : a.affected) },
          { header: 'since', value: (a) => isoTime(a.startsAt ?? a.firstSeenAt ?? a.createdAt) },
        ], ctx.format(opts), body),
      );
    });
  gatewayOptions(group.command('ack').argument('<id>'))
    .description('acknowledge an alert (it stops re-notifying until it changes or resolves)')
    .option('--comment <text>', 'why')
    .action(async (id: string, opts) => {
      const { body } = await ctx.client(opts).post(`/api/v1/alerts/${encodeURIComponent(id)}/ack`, opts.comment ? { comment: opts.comment } : {});
      ctx.write(ctx.format(opts) === 'json' ? JSON.stringify(body, null, 2) + '\n' : `acknowledged ${id}\n`);
    });
  gatewayOptions(group.command('silence'))
    .description('silence alerts matching every --match until a time')
    .requiredOption('--match <matcher>', 'name=value or name=~regex (repeatable), e.g. domain=sales', parseMatcher)
    .option('--for <duration>', 'how long: 30m, 2h, 1d')
    .option('--until <time>', 'until (ISO-8601)')
    .requiredOption('--comment <text>', 'why (shown to on-call)')
    .option('--by <who>', 'who silences (default: $USER)')
    .action(async (opts) => {
      const body = { matchers: opts.match, startsAt: new Date().toISOString(), endsAt: silenceEnd(opts.for, opts.until), createdBy: opts.by ?? ctx.config.osUser ?? 'lineage-cli', comment: opts.comment };
      const { body: created } = await ctx.client(opts).post('/api/v1/silences', body);
      ctx.write(ctx.format(opts) === 'json' ? JSON.stringify(created, null, 2) + '\n' : `silenced until ${body.endsAt}: ${created.id ?? ''}\n`);
    });
};
