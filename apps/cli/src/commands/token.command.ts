/** `lineage token create|revoke`: API tokens through the admin API (the secret is shown once, at creation). */
import type { Command } from 'commander';
import { UsageError } from '../cli-io';
import { type CliContext, gatewayOptions, listOption } from '../cli-context';
import { durationMs } from './time-format';

const ROLES = ['reader', 'writer', 'steward', 'admin'];

export const registerToken = (program: Command, ctx: CliContext): void => {
  const group = program.command('token').description('API tokens: create (shown once) and revoke');
  gatewayOptions(group.command('create'), ['table', 'json'])
    .description('create an API token')
    .requiredOption('--name <name>', 'what the token is for (e.g. airflow-prod)')
    .requiredOption('--owner <who>', 'who the token is for')
    .requiredOption('--role <role>', `${ROLES.join('|')} (repeatable)`, listOption)
    .option('--domain <domains>', 'domains the role applies to (comma-separated, repeatable)', listOption)
    .option('--expires <time>', 'expiry (ISO-8601) or a duration such as 90d')
    .option('--provenance', 'may send x-lineage-provenance (connector and service credentials)')
    .action(async (opts) => {
      const bad = opts.role.find((r: string) => !ROLES.includes(r));
      if (bad) throw new UsageError(`--role: "${bad}" is not one of ${ROLES.join(', ')}`);
      const expiresAt = expiry(opts.expires);
      const { body } = await ctx.client(opts).post('/api/v1/tokens', { name: opts.name, owner: opts.owner, roles: opts.role, domains: opts.domain ?? [], ...(opts.provenance ? { provenance: true } : {}), ...(expiresAt ? { expiresAt } : {}) });
      if (ctx.format(opts, ['table', 'json']) === 'json') ctx.write(JSON.stringify(body, null, 2) + '\n');
      else ctx.write(`token ${body.id} for ${body.owner ?? opts.owner} (${(body.roles ?? opts.role).join(', ')}): ${body.token ?? body.secret}\nit is shown once: store it now\n`);
    });
  gatewayOptions(group.command('revoke').argument('<id>'))
    .description('revoke an API token by its id')
    .action(async (id: string, opts) => {
      await ctx.client(opts).delete(`/api/v1/tokens/${encodeURIComponent(id)}`);
      ctx.write(`revoked ${id}\n`);
    });
};

const expiry = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  const ahead = durationMs(value, ['h', 'd']);
  if (ahead !== undefined) return new Date(Date.now() + ahead).toISOString();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--expires: "${value}" is not an ISO-8601 time or a duration such as 90d`);
  return new Date(ms).toISOString();
};
