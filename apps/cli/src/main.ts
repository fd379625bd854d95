/** Entry point of the `lineage` command (bin/lineage.js requires the compiled file). */
import { runCli } from './cli';
import { loadCliConfig } from './cli.config';

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, config: loadCliConfig() }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lineage: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
