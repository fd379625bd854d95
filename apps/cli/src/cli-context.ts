/** What every command gets: the streams, the configuration, the gateway client from the shared options, the exit code. */
import type { Command } from 'commander';
import type { CliConfig } from './cli.config';
import { type CliIo, EXIT_OK, UsageError, writeOut } from './cli-io';
import { GatewayClient } from './gateway/gateway-client';
import { FORMATS, parseFormat } from './output/render';

export interface GatewayFlags {
  gateway?: string;
  token?: string;
  format?: string;
}

export class CliContext {
  exitCode = EXIT_OK;
  private pending: Promise<void> = Promise.resolve();

  constructor(readonly io: CliIo) {}

  get config(): CliConfig {
    return this.io.config ?? {};
  }

  write(text: string): void {
    this.pending = this.pending.then(() => writeOut(this.io.stdout, text));
  }

  writeErr(text: string): void {
    this.pending = this.pending.then(() => writeOut(this.io.stderr, text));
  }

  flush(): Promise<void> {
    return this.pending;
  }

  /** Raises the exit code (a later, lower code never hides an earlier problem). */
  exit(code: number): void {
    this.exitCode = Math.max(this.exitCode, code);
  }

  /** The gateway client; timeoutMs for operations longer than the default minute (e.g. verify --derived). */
  client(flags: GatewayFlags, timeoutMs?: number): GatewayClient {
    return new GatewayClient({ url: flags.gateway ?? this.config.gateway ?? '', token: flags.token ?? this.config.token, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  format(flags: GatewayFlags, allowed: readonly string[] = FORMATS): string {
    return parseFormat(flags.format, allowed);
  }
}

/** The options every gateway command takes. */
export const gatewayOptions = (command: Command, formats: readonly string[] = FORMATS): Command =>
  command
    .option('--gateway <url>', 'gateway URL (default: $LINEAGE_GATEWAY)')
    .option('--token <token>', 'API token (default: $LINEAGE_TOKEN)')
    .option('--format <format>', `output format: ${formats.join('|')}`, formats[0]);

/** A repeatable comma-separated option (`--x a,b --x c` -> [a, b, c]). */
export const listOption = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** A positive integer option value, or a usage error naming the option. */
export const intOption = (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name}: "${value}" is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name}: must be between ${min} and ${max}`);
  return n;
};
