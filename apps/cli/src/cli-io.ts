import type { CliConfig } from './cli.config';

/** The streams a CLI command talks to (process streams in main.ts, in-memory streams in specs), and its exit codes. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** What the environment said, read once (main.ts: loadCliConfig); specs pass their own. */
  config?: CliConfig;
}

/**
 * Exit codes: 0 ok; 1 the command ran and found a problem (a policy violated, a broken chain, a failed run);
 * 2 bad usage or a tool error (flag, value, file, an unreachable gateway); 3 the answer is unknown (a shard did
 * not answer, coverage gaps), used by `lineage check` and `lineage impact`.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNKNOWN = 3;

/** An error with the exit code it ends the CLI with; its message is printed as one line. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/**
 * Splits `--name value` / `--name=value` flags; `booleans` take no value. Anything else is a usage error.
 */
export const parseFlags = (args: string[], valued: readonly string[], booleans: readonly string[]): Map<string, string | true> => {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (booleans.includes(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else throw new UsageError(`unknown flag --${name}`);
  }
  return flags;
};

export const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
};

/** Writes, waiting for the stream to drain when its buffer is full. */
export const writeOut = (stream: NodeJS.WritableStream, text: string): Promise<void> =>
  new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
