/** The `lineage` command: one sub-command per concern; later commands register here. */
import { type CliCommand, type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, writeOut } from './cli-io';
import { runSqlCommand, SQL_USAGE } from './sql.command';

const COMMANDS: Record<string, { run: CliCommand; usage: string }> = {
  sql: { run: runSqlCommand, usage: SQL_USAGE },
};

const usage = () => `usage: lineage <command> [flags]\ncommands:\n${Object.values(COMMANDS).map((c) => '  ' + c.usage.split('\n').join('\n  ')).join('\n')}\n`;

export const runCli = async (argv: string[], io: CliIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') {
    await writeOut(name === undefined ? io.stderr : io.stdout, usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    await writeOut(io.stderr, `lineage: unknown command "${name}"\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      await writeOut(io.stderr, `lineage ${name}: ${e.message}\n${command.usage}\n`);
      return EXIT_USAGE;
    }
    await writeOut(io.stderr, `lineage ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILED;
  }
};
