import { connect } from 'node:net';
import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { LineageIndex } from '@lineage-hub/graph';
import { encodeLeanAnswer, LeanIdNumbering, type LeanExpandAnswer } from './lean-expand-codec';
import { encodeFrame, FRAME_HEADER_BYTES, LEAN_ANSWER, LEAN_EXPAND, LEAN_HELLO, LEAN_WELCOME, LeanFrameReader, writeFrameHeader } from './lean-expand-frame';
import { startLeanExpandServer, type LeanExpandServer } from './lean-expand-server';
import type { ExpandRequest } from './shard-rpc.contract';

const ds = (name: string) => `dataset:ns:${name}` as NodeId;
const job = (name: string) => `job:ns:${name}` as NodeId;
const edge = (from: NodeId, to: NodeId, kind: 'reads' | 'writes'): LineageEdge => ({ from, to, kind, provenance: 'declared', validFrom: 0, validTo: null });

// a wide job (answers of thousands of nodes) and a narrow one (answers of a few), so frames of very different sizes follow each other
const WIDE = 3000;
const graph = new LineageIndex();
graph.load({
  groups: [
    { owner: job('wide'), edges: [edge(ds('hub'), job('wide'), 'reads'), ...Array.from({ length: WIDE }, (_, i) => edge(job('wide'), ds(`out-${i}`), 'writes'))] },
    { owner: job('narrow'), edges: [edge(ds('a'), job('narrow'), 'reads'), edge(job('narrow'), ds('b'), 'writes')] },
  ].map((g) => ({ ...g, columnEdges: [] })),
  aliases: [],
  lifecycle: [],
  version: 5,
});

/** The shard's lean expand as apps/shard serves it: its walk's answer written straight into the frame. */
const expand = (request: ExpandRequest): LeanExpandAnswer => {
  const compact = graph.traverseHeldNumbers(request.seeds, { direction: request.direction, depth: request.depth, maxNodes: request.maxNodes, unordered: true });
  return { version: graph.version, truncated: compact.truncated, unknownSeeds: compact.unknownSeeds, columns: null, compact };
};

const request = (seeds: NodeId[], depth = 1): ExpandRequest => ({ seeds: seeds.map((id) => ({ id, distance: 0 })), direction: 'downstream', depth, maxNodes: 100_000 });

describe('lean expand server (loopback sockets)', () => {
  let server: LeanExpandServer;

  beforeAll(async () => {
    server = await startLeanExpandServer({ host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 20, domain: 'd1', admit: () => true, expand });
  });
  afterAll(() => server.close());

  it('answers pipelined requests of mixed sizes in order, each frame the bytes encodeLeanAnswer gives, also while the reader lags', async () => {
    // wide and narrow answers interleaved (unknown seeds add extras), many of them: the client reads nothing until all
    // are sent, so the socket's buffers fill and later answers are written while earlier ones still wait in the socket
    const requests: ExpandRequest[] = [];
    for (let i = 0; i < 120; i++) requests.push(i % 3 === 0 ? request([ds('hub')]) : i % 3 === 1 ? request([ds('a'), ds('missing')]) : request([ds('hub'), ds('a')], 2));
    const numbering = new LeanIdNumbering();
    const expected = requests.map((r, i) => writeFrameHeader(encodeLeanAnswer(expand(r), numbering, FRAME_HEADER_BYTES), LEAN_ANSWER, i + 1));
    expect(expected[0].length).toBeGreaterThan(WIDE * 16);

    const welcome = encodeFrame(LEAN_WELCOME, 0, JSON.stringify({ domain: 'd1' }));
    const stream = Buffer.concat([welcome, ...expected]);
    const socket = connect({ host: '127.0.0.1', port: server.port });
    const received: Buffer[] = [];
    let bytes = 0;
    // done once as many bytes came as the expected stream holds (compared below, so a wrong byte fails at once)
    const done = new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if ((bytes += chunk.length) >= stream.length) resolve();
      });
      socket.on('error', reject);
    });
    socket.pause();
    socket.write(Buffer.concat([encodeFrame(LEAN_HELLO, 0, '{}'), ...requests.map((r, i) => encodeFrame(LEAN_EXPAND, i + 1, JSON.stringify(r)))]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.resume();
    await done;
    socket.destroy();

    const got = Buffer.concat(received);
    // the whole stream, byte for byte: the WELCOME frame, then every ANSWER frame as encoded on its own
    expect(got.equals(stream)).toBe(true);
    const frames = new LeanFrameReader(1 << 20).push(got);
    expect(frames.map((f) => f.kind)).toEqual([LEAN_WELCOME, ...requests.map(() => LEAN_ANSWER)]);
  });
});
