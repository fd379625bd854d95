/**
 * Gateway side of the lean `lineage.expand` transport (one link per shard, inside ShardClient): HELLO with the
 * service credential, then EXPAND frames multiplexed by request number, answers decoded against the link's id
 * dictionary (lean-expand-codec.ts). Every ANSWER frame is decoded in arrival order, also one whose caller gave up
 * (timeout), so the dictionary stays equal to the shard's. Errors keep the shard contract's meaning: REFUSED is a
 * ShardRefusedError with the shard's code; a lost connection, a malformed answer or a deadline is a
 * ShardUnavailableError (the link is closed: its dictionary can no longer be trusted).
 */
import { connect, type Socket } from 'node:net';
import { ShardRefusedError, ShardUnavailableError, type ShardErrorBody } from './shard-answer';
import type { ColumnarExpand, ExpandRequest, ExpandResponse } from './shard-rpc.contract';
import { decodeLeanAnswer } from './lean-expand-codec';
import { encodeFrame, LEAN_ANSWER, LEAN_EXPAND, LEAN_HELLO, LEAN_REFUSED, LEAN_WELCOME, LeanFrameReader, type LeanFrame } from './lean-expand-frame';

type Answer = ExpandResponse & { columnar: ColumnarExpand };

interface Waiting {
  resolve(answer: Answer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const PATTERN = 'lineage.expand';
/** A link not welcomed within this long is given up (a port no route leads to may never answer the SYN). */
export const LEAN_CONNECT_TIMEOUT_MS = 2_000;

export class LeanExpandLink {
  private readonly socket: Socket;
  private readonly reader: LeanFrameReader;
  private readonly dictionary: string[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private next = 1;
  private welcomed = false;
  private settleReady!: { resolve(): void; reject(error: Error): void };
  /** Resolves once the shard welcomed this link; rejects when it refused it or could not be reached. */
  readonly ready: Promise<void>;
  closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly domain: string,
    credential: string | null,
    maxFrameBytes = 1 << 30,
  ) {
    this.ready = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready.catch(() => undefined);
    const connecting = setTimeout(() => {
      if (!this.welcomed) this.close(`not welcomed within ${LEAN_CONNECT_TIMEOUT_MS} ms`);
    }, LEAN_CONNECT_TIMEOUT_MS);
    connecting.unref();
    this.ready.then(() => clearTimeout(connecting), () => clearTimeout(connecting));
    this.reader = new LeanFrameReader(maxFrameBytes);
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error) => this.fail(`connection ${/ECONNREFUSED/.test(error.message) ? 'refused' : 'lost'}`));
    this.socket.on('close', () => this.fail('connection lost'));
    this.socket.write(encodeFrame(LEAN_HELLO, 0, JSON.stringify(credential ? { credential } : {})));
  }

  /** One expand over this link (call after `ready`). */
  expand(request: ExpandRequest, timeoutMs: number): Promise<Answer> {
    if (this.closed) return Promise.reject(new ShardUnavailableError(this.domain, `shard "${this.domain}" ${PATTERN} failed (connection lost)`));
    const n = this.next;
    this.next = this.next >= 0x7fffffff ? 1 : this.next + 1;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(n);
        reject(new ShardUnavailableError(this.domain, `shard "${this.domain}" did not answer ${PATTERN} within ${timeoutMs} ms`, 'timeout'));
      }, Math.max(1, timeoutMs));
      this.waiting.set(n, { resolve, reject, timer });
      const { format: _format, ...rest } = request;
      this.socket.write(encodeFrame(LEAN_EXPAND, n, JSON.stringify(rest)));
    });
  }

  close(why = 'connection closed'): void {
    this.fail(why);
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let frames: LeanFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      return this.broken((error as Error).message);
    }
    for (const frame of frames) {
      if (this.closed) return;
      this.handle(frame);
    }
  }

  private handle(frame: LeanFrame): void {
    if (frame.kind === LEAN_WELCOME && !this.welcomed) {
      this.welcomed = true;
      this.settleReady.resolve();
      return;
    }
    if (frame.kind === LEAN_REFUSED) {
      const body = parseBody(frame);
      const error = new ShardRefusedError(this.domain, body.message, body.code, body.field);
      if (!this.welcomed) {
        this.settleReady.reject(error);
        return this.close();
      }
      return this.settle(frame.request, null, error);
    }
    if (frame.kind !== LEAN_ANSWER || !this.welcomed) return this.broken(`unexpected frame kind ${frame.kind}`);
    let answer: Answer;
    try {
      answer = decodeLeanAnswer(frame.payload, this.dictionary, this.domain);
    } catch (error) {
      return this.broken((error as Error).message, frame.request);
    }
    this.settle(frame.request, answer, null);
  }

  private settle(request: number, answer: Answer | null, error: Error | null): void {
    const waiter = this.waiting.get(request);
    if (!waiter) return; // its caller gave up; the answer still extended the dictionary
    this.waiting.delete(request);
    clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve(answer!);
  }

  /** A malformed stream or answer: the dictionary cannot be trusted any more. */
  private broken(what: string, request?: number): void {
    if (request !== undefined) this.settle(request, null, new ShardUnavailableError(this.domain, `shard "${this.domain}" answered ${PATTERN} outside the contract (${what})`));
    this.fail('answer outside the contract');
    this.socket.destroy();
  }

  private fail(why: string): void {
    if (this.closed) return;
    this.closed = true;
    const error = new ShardUnavailableError(this.domain, `shard "${this.domain}" ${PATTERN} failed (${why})`);
    this.settleReady.reject(error);
    for (const [n, waiter] of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
      this.waiting.delete(n);
    }
  }
}

const parseBody = (frame: LeanFrame): ShardErrorBody => {
  try {
    const body = JSON.parse(frame.payload.toString('utf8')) as ShardErrorBody;
    if (body && typeof body.code === 'string' && typeof body.message === 'string') return body;
  } catch {
    // fall through
  }
  return { code: 'internal', message: 'the shard refused the request' };
};
