/**
 * `lineage send FILE|DIR|-`: OpenLineage events to the gateway's batch endpoint, a few batches in flight, with a
 * progress line on a terminal, every per-event failure reported (source, index, reason), and a state file so an
 * interrupted send resumes after the last acknowledged batch. Exit 1 when any event was refused.
 */
import type { Command } from 'commander';
import { CliError, EXIT_FAILED, EXIT_USAGE, UsageError } from '../cli-io';
import { type CliContext, gatewayOptions, intOption } from '../cli-context';
import { GatewayError, type GatewayClient } from '../gateway/gateway-client';
import { type EventFailure, readBatchAnswer } from './batch-answer';
import { type EventFile, listSources, readEvents } from './event-source';
import { SendState } from './send-state';

interface Totals {
  sent: number;
  stored: number;
  duplicates: number;
  skipped: number;
  failures: Array<EventFailure & { source: string }>;
}

const RETRIES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts one batch; 429/5xx/unreachable are retried with backoff, per-event retriable failures once more. */
const postBatch = async (client: GatewayClient, events: unknown[]) => {
  for (let attempt = 0; ; attempt++) {
    try {
      const { body } = await client.request<any>('POST', '/api/v1/lineage/batch', events, {}, (s) => (s >= 200 && s < 300) || s === 207 || s === 400);
      return readBatchAnswer(body, events.length);
    } catch (e) {
      const retriable = (e instanceof GatewayError && (e.status === 429 || e.status >= 500)) || (e instanceof CliError && !(e instanceof GatewayError));
      if (!retriable || attempt >= RETRIES) throw e;
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
    }
  }
};

class Progress {
  private last = 0;
  constructor(
    private readonly ctx: CliContext,
    private readonly enabled: boolean,
    private readonly started = Date.now(),
  ) {}

  show(done: number, total: number, force = false): void {
    if (!this.enabled || (!force && Date.now() - this.last < 200)) return;
    this.last = Date.now();
    const share = total ? done / total : 1;
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
    const rate = Math.round(done / Math.max(0.001, (Date.now() - this.started) / 1000));
    this.ctx.writeErr(`\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${done}/${total} events ${rate} ev/s`);
  }
}

export const registerSend = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('send').argument('<inputs...>', 'files, directories or - (stdin): JSON, JSON lines, gzip'), ['table', 'json'])
    .description('send OpenLineage events in batches, resumable, with per-event failures reported')
    .option('--batch-size <n>', 'events per request', intOption('batch-size', 1, 10_000), 500)
    .option('--concurrency <n>', 'batches in flight', intOption('concurrency', 1, 16), 2)
    .option('--state <file>', 'resume state file', '.lineage-send.state.json')
    .option('--restart', 'ignore the state file and send everything again')
    .option('--no-progress', 'no progress line')
    .action(async (inputs: string[], opts) => {
      const format = ctx.format(opts, ['table', 'json']);
      const client = ctx.client(opts);
      const sources = listSources(inputs);
      if (!sources.length) throw new UsageError(`no event files in ${inputs.join(', ')}`);
      if (sources.filter((s) => s.name === '-').length > 1) throw new UsageError('- (stdin) can be given once');
      const state = new SendState(opts.state, !!opts.restart);
      const files: Array<{ source: EventFile; events: unknown[]; from: number }> = [];
      for (const source of sources) {
        const events = await readEvents(source, ctx.io.stdin);
        files.push({ source, events, from: Math.min(state.acked(source), events.length) });
      }
      const total = files.reduce((n, f) => n + f.events.length - f.from, 0);
      const totals: Totals = { sent: 0, stored: 0, duplicates: 0, skipped: files.reduce((n, f) => n + f.from, 0), failures: [] };
      const showProgress = opts.progress && (ctx.io.stderr as { isTTY?: boolean }).isTTY === true;
      const progress = new Progress(ctx, showProgress);
      const started = Date.now();
      for (const file of files) await sendFile(client, file, opts, totals, state, () => progress.show(totals.sent, total));
      progress.show(totals.sent, total, true);
      const seconds = (Date.now() - started) / 1000;
      const summary = { events: totals.sent, stored: totals.stored, duplicates: totals.duplicates, failed: totals.failures.length, skipped: totals.skipped, seconds: Number(seconds.toFixed(3)), eventsPerSecond: Math.round(totals.sent / Math.max(seconds, 0.001)), failures: totals.failures };
      if (format === 'json') ctx.write(JSON.stringify(summary, null, 2) + '\n');
      else {
        if (showProgress) ctx.writeErr('\n');
        for (const f of totals.failures.slice(0, 50)) ctx.write(`failed: ${f.source}[${f.index}]: ${f.reason}\n`);
        if (totals.failures.length > 50) ctx.write(`failed: … and ${totals.failures.length - 50} more (use --format json for all)\n`);
        ctx.write(`sent ${summary.events} events in ${summary.seconds} s (${summary.eventsPerSecond} ev/s): ${summary.stored} stored, ${summary.duplicates} duplicates, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped (acknowledged before)` : ''}\n`);
      }
      if (totals.failures.length) ctx.exit(EXIT_FAILED);
    });
};

const sendFile = async (
  client: GatewayClient,
  file: { source: EventFile; events: unknown[]; from: number },
  opts: { batchSize: number; concurrency: number },
  totals: Totals,
  state: SendState,
  tick: () => void,
): Promise<void> => {
  const starts: number[] = [];
  for (let i = file.from; i < file.events.length; i += opts.batchSize) starts.push(i);
  const done = new Set<number>();
  let acked = file.from;
  let next = 0;
  const worker = async () => {
    while (next < starts.length) {
      const start = starts[next++];
      const batch = file.events.slice(start, start + opts.batchSize);
      let outcome;
      try {
        outcome = await postBatch(client, batch);
      } catch (e) {
        throw new CliError(`${file.source.name}: events ${start}..${start + batch.length - 1} were not accepted: ${(e as Error).message}; run the same command again to resume`, e instanceof CliError ? e.exitCode : EXIT_USAGE);
      }
      totals.sent += batch.length;
      totals.stored += outcome.stored;
      totals.duplicates += outcome.duplicates;
      for (const f of outcome.failures) totals.failures.push({ ...f, index: start + f.index, source: file.source.name });
      done.add(start);
      while (done.has(acked)) {
        done.delete(acked);
        acked = Math.min(file.events.length, acked + opts.batchSize);
      }
      state.record(file.source, acked);
      tick();
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, starts.length) }, worker));
};
