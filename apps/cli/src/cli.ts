/**
 * The `lineage` command (commander). Every command but `sql` talks to the gateway (--gateway / LINEAGE_GATEWAY,
 * --token / LINEAGE_TOKEN). Exit codes are in cli-io.ts: 0 ok, 1 a problem found, 2 usage or tool error, 3 unknown.
 */
import { Command, CommanderError } from 'commander';
import { CliError, type CliIo, EXIT_OK, EXIT_USAGE, writeOut } from './cli-io';
import { CliContext } from './cli-context';
import { registerAlerts } from './commands/alerts.command';
import { registerConnectors } from './commands/connectors.command';
import { registerFindings } from './commands/findings.command';
import { registerImpact } from './commands/impact.command';
import { registerManual } from './commands/manual.command';
import { registerToken } from './commands/token.command';
import { registerVerify } from './commands/verify.command';
import { registerCheck } from './check/check.command';
import { registerSend } from './send/send.command';
import { runSqlCommand, SQL_USAGE } from './sql.command';

const REGISTRARS = [registerImpact, registerCheck, registerManual, registerSend, registerConnectors, registerFindings, registerAlerts, registerVerify, registerToken];


export const buildProgram = (ctx: CliContext): Command => {
  const program = new Command('lineage')
    .description('lineage-hub from the terminal: impact, the CI impact gate, manual lineage, replay and operations')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.write(s), writeErr: (s) => ctx.writeErr(s), outputError: (s, write) => write(`lineage: ${s.replace(/^error: /, '')}`) })
    .showSuggestionAfterError(true);
  program.command('sql').description(SQL_USAGE.split('\n')[0].replace(/^usage: /, '')).helpOption(false);
  for (const register of REGISTRARS) register(program, ctx);
  return program;
};

export const runCli = async (argv: string[], io: CliIo): Promise<number> => {
  if (argv[0] === 'sql') return runLegacy(() => runSqlCommand(argv.slice(1), io), io);
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    if (argv.length === 0) {
      await ctx.flush();
      await writeOut(io.stderr, program.helpInformation());
      return EXIT_USAGE;
    }
    await program.parseAsync(argv, { from: 'user' });
    await ctx.flush();
    return ctx.exitCode;
  } catch (e) {
    await ctx.flush();
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      await writeOut(io.stderr, `lineage: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
};

const runLegacy = async (run: () => Promise<number>, io: CliIo): Promise<number> => {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CliError) {
      await writeOut(io.stderr, `lineage sql: ${e.message}\n${SQL_USAGE}\n`);
      return e.exitCode;
    }
    throw e;
  }
};
