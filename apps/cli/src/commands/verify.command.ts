/**
 * `lineage verify`: asks the hub to verify its hash chains (POST /api/v1/audit/verify: the audit chain, and each
 * chain the answering app keeps beside it, e.g. a shard's event chain) and prints one row per chain. Exit 1 when
 * anything is broken, 3 when a shard did not answer. Point --gateway at a shard to verify that shard's event chain.
 *
 * `lineage verify --derived --gateway <shard url>`: the shard rebuilds its derived tables (edges, runs, datasets,
 * versions, jobs, ...) from its event log into a scratch copy and compares them with the live ones (POST
 * /api/v1/audit/verify-derived, admin). Prints one row per table, then each differing row: "no event behind it"
 * (e.g. an edge inserted by hand) or "missing". Exit 1 when they differ.
 */
import type { Command } from 'commander';
import { EXIT_FAILED, EXIT_UNKNOWN } from '../cli-io';
import { type CliContext, gatewayOptions } from '../cli-context';
import { renderRows } from '../output/render';

/** A rebuild replays every event: on a large shard it takes minutes. */
const DERIVED_TIMEOUT_MS = 30 * 60_000;

const verifyChains = async (ctx: CliContext, opts: Record<string, string>) => {
  const { body } = await ctx.client(opts).post('/api/v1/audit/verify', {});
  const chains: any[] = body.chains ?? Object.entries(body).filter(([, v]) => v && typeof v === 'object' && 'ok' in (v as object)).map(([name, v]) => ({ name, ...(v as object) }));
  ctx.write(
    renderRows(chains, [
      { header: 'chain', value: (c) => c.name ?? c.chain },
      { header: 'domain', value: (c) => c.domain },
      { header: 'ok', value: (c) => c.ok },
      { header: 'checked', value: (c) => c.checked ?? c.count },
      { header: 'problem', value: (c) => c.reason ?? c.problem ?? c.error ?? (c.brokenAt !== undefined ? `broken at ${c.brokenAt}` : undefined) },
    ], ctx.format(opts), body),
  );
  if (chains.some((c) => c.ok === false) || body.ok === false) ctx.exit(EXIT_FAILED);
  if (body.complete === false) ctx.exit(EXIT_UNKNOWN);
};

const rowText = (row: Record<string, string | null>) =>
  Object.entries(row)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v!.length > 80 ? `${v!.slice(0, 77)}...` : v}`)
    .join(' ');

const verifyDerived = async (ctx: CliContext, opts: Record<string, string>) => {
  const format = ctx.format(opts);
  const { body } = await ctx.client(opts, DERIVED_TIMEOUT_MS).post('/api/v1/audit/verify-derived', {});
  const tables: any[] = body.tables ?? [];
  const differences: any[] = body.differences ?? [];
  if (format === 'json') ctx.write(JSON.stringify(body, null, 2) + '\n');
  else {
    ctx.write(
      renderRows(tables, [
        { header: 'table', value: (t) => t.table },
        { header: 'live', value: (t) => t.live },
        { header: 'rebuilt', value: (t) => t.rebuilt },
        { header: 'no event behind', value: (t) => t.unbacked },
        { header: 'missing', value: (t) => t.missing },
      ], format),
    );
    ctx.write(`\n${body.ok ? 'ok' : 'DIFFERENT'}: ${body.events} events replayed${body.unreplayable?.length ? `, not replayable: ${body.unreplayable.join(', ')}` : ''}\n`);
    if (differences.length > 0) {
      ctx.write('\n');
      ctx.write(renderRows(differences, [
        { header: 'table', value: (d) => d.table },
        { header: 'problem', value: (d) => d.problem },
        { header: 'row', value: (d) => rowText(d.row ?? {}) },
      ], format));
    }
  }
  if (body.ok !== true) ctx.exit(EXIT_FAILED);
};

export const registerVerify = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('verify'))
    .description('verify the audit and event hash chains; --derived: rebuild a shard\'s derived tables from its events and compare')
    .option('--derived', "rebuild the derived tables (edges, runs, datasets, ...) from the event log and compare with the live ones (point --gateway at a shard; exit 1 when they differ)")
    .action(async (opts) => (opts.derived ? verifyDerived(ctx, opts) : verifyChains(ctx, opts)));
};
