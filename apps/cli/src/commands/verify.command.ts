/**
 * `lineage verify`: asks the hub to verify its hash chains (every shard's event chain and the audit chain) and,
 * with --derived, to rebuild each shard's derived tables from its events and compare. Exit 1 when anything is
 * broken, 3 when a shard did not answer.
 */
import type { Command } from 'commander';
import { EXIT_FAILED, EXIT_UNKNOWN } from '../cli-io';
import { type CliContext, gatewayOptions } from '../cli-context';
import { renderRows } from '../output/render';

export const registerVerify = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('verify'))
    .description('verify the event and audit hash chains (and, with --derived, the derived tables)')
    .option('--derived', 'also rebuild derived tables from the events and report rows no event explains')
    .action(async (opts) => {
      const { body } = await ctx.client(opts).post('/api/v1/verify', { derived: !!opts.derived });
      const chains: any[] = body.chains ?? [];
      ctx.write(
        renderRows(chains, [
          { header: 'chain', value: (c) => c.name ?? c.chain },
          { header: 'domain', value: (c) => c.domain },
          { header: 'ok', value: (c) => c.ok },
          { header: 'checked', value: (c) => c.checked ?? c.count },
          { header: 'problem', value: (c) => c.problem ?? c.error ?? (c.brokenAt !== undefined ? `broken at ${c.brokenAt}` : undefined) },
          { header: 'orphans', value: (c) => c.orphanRows ?? c.orphans },
        ], ctx.format(opts), body),
      );
      if (chains.some((c) => c.ok === false) || body.ok === false) ctx.exit(EXIT_FAILED);
      if (body.complete === false) ctx.exit(EXIT_UNKNOWN);
    });
};
