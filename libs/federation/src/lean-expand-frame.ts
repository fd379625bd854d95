/**
 * Frames of the lean `lineage.expand` transport (lean-expand-client.ts / lean-expand-server.ts): a plain TCP
 * socket carrying length-prefixed binary frames, no JSON envelope around the hot answer.
 *
 *   frame = u32 LE length of what follows | u8 kind | u32 LE request number | payload (length - 5 bytes)
 *
 * Kinds: HELLO (client -> server, JSON `{credential?}`: the first frame of a connection), WELCOME (server -> client,
 * JSON `{domain}`), EXPAND (client -> server, JSON ExpandRequest), ANSWER (server -> client, binary: lean-expand-codec.ts),
 * REFUSED (server -> client, JSON ShardErrorBody). A frame that is too long, of an unknown kind or shorter than its
 * header is refused with a LeanFrameError naming what is wrong; the reader is then unusable (close the socket).
 */

export const LEAN_HELLO = 1;
export const LEAN_WELCOME = 2;
export const LEAN_EXPAND = 3;
export const LEAN_ANSWER = 4;
export const LEAN_REFUSED = 5;

const KINDS = new Set([LEAN_HELLO, LEAN_WELCOME, LEAN_EXPAND, LEAN_ANSWER, LEAN_REFUSED]);
const HEADER = 9;
/** Bytes before a frame's payload (an encoder may leave this room and fill it with `writeFrameHeader`). */
export const FRAME_HEADER_BYTES = HEADER;

export class LeanFrameError extends Error {
  constructor(what: string) {
    super(`malformed lean expand frame: ${what}`);
    this.name = 'LeanFrameError';
  }
}

export interface LeanFrame {
  kind: number;
  request: number;
  /** The payload; its byteOffset is a multiple of 4 (int32 views may be taken of it). */
  payload: Buffer;
}

/** One frame's bytes: header plus payload parts (written with one socket write). */
export const encodeFrame = (kind: number, request: number, payload: Buffer | string): Buffer => {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const frame = Buffer.allocUnsafe(HEADER + body.length);
  frame.writeUInt32LE(body.length + 5, 0);
  frame.writeUInt8(kind, 4);
  frame.writeUInt32LE(request >>> 0, 5);
  body.copy(frame, HEADER);
  return frame;
};

/** Writes the header of a frame whose payload starts at FRAME_HEADER_BYTES of `frame` and runs to its end. */
export const writeFrameHeader = (frame: Buffer, kind: number, request: number): Buffer => {
  frame.writeUInt32LE(frame.length - 4, 0);
  frame.writeUInt8(kind, 4);
  frame.writeUInt32LE(request >>> 0, 5);
  return frame;
};

/** Splits a byte stream into frames; `maxFrameBytes` caps one frame's length (a peer declaring more is cut off). */
export class LeanFrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private broken: LeanFrameError | null = null;

  constructor(private readonly maxFrameBytes: number) {}

  /** The whole frames completed by this chunk, in order; throws LeanFrameError on a malformed stream. */
  push(chunk: Buffer): LeanFrame[] {
    if (this.broken) throw this.broken;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: LeanFrame[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const length = this.peekLength();
      if (length < 5) throw (this.broken = new LeanFrameError(`length ${length} is shorter than the frame header`));
      if (length > this.maxFrameBytes) throw (this.broken = new LeanFrameError(`length ${length} exceeds the limit of ${this.maxFrameBytes} bytes`));
      if (this.buffered < 4 + length) break;
      const bytes = this.take(4 + length);
      const kind = bytes[4];
      if (!KINDS.has(kind)) throw (this.broken = new LeanFrameError(`unknown kind ${kind}`));
      frames.push({ kind, request: bytes.readUInt32LE(5), payload: aligned(bytes.subarray(HEADER)) });
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readUInt32LE(0);
    return Buffer.concat(this.chunks, 4).readUInt32LE(0);
  }

  private take(n: number): Buffer {
    let out: Buffer;
    const first = this.chunks[0];
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      // the frame spans chunks: copied once, placed so its payload (HEADER bytes in) starts 4-byte aligned
      const lead = (4 - (HEADER % 4)) % 4;
      out = Buffer.from(new ArrayBuffer(lead + n), lead, n);
      let at = 0;
      while (at < n) {
        const chunk = this.chunks[0];
        const used = Math.min(chunk.length, n - at);
        chunk.copy(out, at, 0, used);
        at += used;
        if (used === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(used);
      }
    }
    this.buffered -= n;
    return out;
  }
}

/** The bytes at a 4-byte aligned offset (copied when they are not), so Int32Array views can be taken. */
const aligned = (bytes: Buffer): Buffer => {
  if (bytes.byteOffset % 4 === 0) return bytes;
  const copy = Buffer.from(new ArrayBuffer(bytes.length));
  bytes.copy(copy);
  return copy;
};
