/**
 * Shard side of the lean `lineage.expand` transport: a plain TCP server beside the Nest microservice, serving only
 * expand (every other message stays on the Nest patterns). A connection starts with HELLO (the service credential,
 * checked once per connection like every Nest message's); then each EXPAND frame gets an ANSWER (lean-expand-codec.ts,
 * ids numbered against the connection's dictionary) or REFUSED with the shard's domain error code, in the order the
 * requests came. A malformed frame is refused and the connection closed.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { answerError, type ShardErrorBody } from './shard-answer';
import type { ExpandRequest } from './shard-rpc.contract';
import { encodeLeanAnswer, LeanIdNumbering, type LeanExpandAnswer } from './lean-expand-codec';
import { encodeFrame, FRAME_HEADER_BYTES, writeFrameHeader, LEAN_ANSWER, LEAN_EXPAND, LEAN_HELLO, LEAN_REFUSED, LEAN_WELCOME, LeanFrameReader, type LeanFrame } from './lean-expand-frame';

export interface LeanExpandServerOptions {
  host: string;
  /** 0: an ephemeral port (the shard advertises the one it got). */
  port: number;
  /** One request frame at most (a peer declaring more is cut off). */
  maxFrameBytes: number;
  domain: string;
  /** Whether a connection presenting this credential may expand (auth off: always). */
  admit(credential: string | undefined): Promise<boolean> | boolean;
  /** The shard's expand (throws a DomainError to refuse). */
  expand(request: ExpandRequest): LeanExpandAnswer;
  onError?(error: Error): void;
}

export interface LeanExpandServer {
  port: number;
  close(): Promise<void>;
}

/** The shard's error body for a refusal (a DomainError's code, field and message; anything else is "internal"). */
const refusal = (error: unknown): ShardErrorBody => {
  const answer = answerError(error);
  return answer.ok ? { code: 'internal', message: 'internal error' } : answer.error;
};

const parse = (frame: LeanFrame): unknown => {
  try {
    return JSON.parse(frame.payload.toString('utf8'));
  } catch {
    return undefined;
  }
};

class LeanExpandConnection {
  private readonly reader: LeanFrameReader;
  private readonly numbering = new LeanIdNumbering();
  private state: 'hello' | 'admitting' | 'open' = 'hello';
  private readonly queued: LeanFrame[] = [];

  constructor(
    private readonly socket: Socket,
    private readonly options: LeanExpandServerOptions,
  ) {
    this.reader = new LeanFrameReader(options.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
  }

  private receive(chunk: Buffer): void {
    let frames: LeanFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.refuseAndClose(0, 'invalid-argument', (error as Error).message);
      return;
    }
    for (const frame of frames) this.handle(frame);
  }

  private handle(frame: LeanFrame): void {
    if (this.state === 'admitting') {
      this.queued.push(frame);
      return;
    }
    if (this.state === 'hello') {
      if (frame.kind !== LEAN_HELLO) return this.refuseAndClose(frame.request, 'invalid-argument', 'a lean expand connection starts with HELLO');
      const hello = parse(frame) as { credential?: unknown } | undefined;
      const credential = typeof hello?.credential === 'string' ? hello.credential : undefined;
      this.state = 'admitting';
      Promise.resolve()
        .then(() => this.options.admit(credential))
        .then(
          (ok) => this.admitted(frame.request, ok),
          () => this.admitted(frame.request, false),
        );
      return;
    }
    if (frame.kind !== LEAN_EXPAND) return this.refuseAndClose(frame.request, 'invalid-argument', `frame kind ${frame.kind} is not EXPAND`);
    const request = parse(frame) as ExpandRequest | undefined;
    let out: Buffer;
    try {
      if (request === undefined) throw new SyntaxError('not JSON');
      out = writeFrameHeader(encodeLeanAnswer(this.options.expand(request), this.numbering, FRAME_HEADER_BYTES), LEAN_ANSWER, frame.request);
    } catch (error) {
      if (error instanceof SyntaxError) return this.refuseAndClose(frame.request, 'invalid-argument', 'malformed lean expand frame: the request is not JSON');
      const body = refusal(error);
      if (body.code === 'internal') this.options.onError?.(error as Error);
      out = encodeFrame(LEAN_REFUSED, frame.request, JSON.stringify(body));
    }
    this.socket.write(out);
  }

  private admitted(request: number, ok: boolean): void {
    if (!ok) return this.refuseAndClose(request, 'unauthenticated', 'RPC callers must present the service credential');
    this.state = 'open';
    this.socket.write(encodeFrame(LEAN_WELCOME, request, JSON.stringify({ domain: this.options.domain })));
    for (const frame of this.queued.splice(0)) this.handle(frame);
  }

  private refuseAndClose(request: number, code: string, message: string): void {
    this.socket.end(encodeFrame(LEAN_REFUSED, request, JSON.stringify({ code, message })));
    this.socket.removeAllListeners('data');
  }
}

/** Starts the lean expand server; resolves once it listens. */
export const startLeanExpandServer = (options: LeanExpandServerOptions): Promise<LeanExpandServer> =>
  new Promise((resolve, reject) => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      new LeanExpandConnection(socket, options);
    });
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', (error) => options.onError?.(error));
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
