import { ConfigError } from './load-config';

export interface RunningApp {
  close(): Promise<void>;
}

export interface RunAppOptions<C> {
  /** Reads and validates the configuration once; a ConfigError exits with code 2 and the message. */
  loadConfig: () => C;
  start: (config: C) => Promise<RunningApp>;
  /** A startup failure the operator can fix from its message alone (exit code 2), or null for "failed to start". */
  explain?: (err: unknown) => string | null;
}

const describe = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

/**
 * The body of every app's main.ts: validated config, start, and a graceful stop on SIGTERM/SIGINT (exit 0 when
 * closed cleanly). Exit code 2 means "fix the configuration", 1 "failed to start" with the cause.
 */
export function runApp<C>(name: string, options: RunAppOptions<C>): void {
  const fail = (code: number, message: string): never => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(code);
  };
  const main = async () => {
    let config: C;
    try {
      config = options.loadConfig();
    } catch (err) {
      if (err instanceof ConfigError) return fail(2, err.message);
      throw err;
    }
    const app = await options.start(config);
    const stop = (signal: string) => {
      process.stderr.write(`${name}: ${signal}, shutting down\n`);
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  };
  main().catch((err) => {
    const explained = options.explain?.(err);
    if (explained) fail(2, explained);
    else fail(1, `failed to start: ${describe(err)}`);
  });
}
