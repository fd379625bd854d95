import type { LoggerService, LogLevel } from '@nestjs/common';
import { currentCorrelationId } from './correlation';

const LEVELS: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];
const levelName = (level: LogLevel) => (level === 'log' ? 'info' : level);

/**
 * Nest logger writing one JSON object per line: time, level, service, context (the class), msg,
 * correlationId, and any structured fields passed as a trailing object.
 */
export class JsonLogger implements LoggerService {
  private minLevel = LEVELS.indexOf('log');

  constructor(
    private readonly service: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
    level: LogLevel = 'log',
  ) {
    this.minLevel = LEVELS.indexOf(level);
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }
  setLogLevels(levels: LogLevel[]) {
    this.minLevel = Math.min(...levels.map((l) => LEVELS.indexOf(l)).filter((i) => i >= 0));
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]) {
    if (LEVELS.indexOf(level) < this.minLevel) return;
    const args = [...rest];
    // Nest passes the context as the last string argument, and an error's stack before it.
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: levelName(level),
      service: this.service,
      context,
      correlationId: currentCorrelationId(),
    };
    if (message instanceof Error) {
      line.msg = message.message;
      line.stack = message.stack;
    } else if (message && typeof message === 'object') {
      Object.assign(line, message);
    } else {
      line.msg = String(message);
    }
    for (const extra of args) {
      if (typeof extra === 'string') line.stack = extra;
      else if (extra && typeof extra === 'object') Object.assign(line, extra);
    }
    this.out.write(JSON.stringify(line) + '\n');
  }
}
