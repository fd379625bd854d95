/**
 * `lineage verify`: asks the hub to verify its hash chains (POST /api/v1/audit/verify: the audit chain, and each
 * chain the answering app keeps beside it, e.g. a shard's event chain) and prints one row per chain. Exit 1 when
 * anything is broken, 3 when a shard did not answer. Point --gateway at a shard to verify that shard's event chain.
 */
import type { Command } from 'commander';
import { EXIT_FAILED, EXIT_UNKNOWN } from '../cli-io';
import { type CliContext, gatewayOptions } from '../cli-context';
import { renderRows } from '../output/render';

export const registerVerify = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('verify'))
    .description('verify the audit and event hash chains')
    .action(async (opts) => {
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
    });
};
