import { connect } from 'node:net';
import { invalidArgument, type LineageEdge, type NodeId } from '@lineage-hub/model';
import { LineageIndex } from '@lineage-hub/graph';
import { decodeColumnar } from './columnar-expand';
import { compactColumns } from './packed-expand';
import { LeanExpandLink } from './lean-expand-client';
import { encodeFrame, LEAN_EXPAND, LEAN_REFUSED, LeanFrameReader, type LeanFrame } from './lean-expand-frame';
import { startLeanExpandServer, type LeanExpandServer } from './lean-expand-server';
import { ShardRefusedError, ShardUnavailableError } from './shard-answer';
import { ShardClient } from './shard-client';
import type { ExpandRequest } from './shard-rpc.contract';

const ds = (name: string) => `dataset:ns:${name}` as NodeId;
const job = (name: string) => `job:ns:${name}` as NodeId;
const edge = (from: NodeId, to: NodeId, kind: 'reads' | 'writes'): LineageEdge => ({ from, to, kind, provenance: 'declared', validFrom: 0, validTo: null });

const graph = new LineageIndex();
graph.load({
  groups: [
    { owner: job('j1'), edges: [edge(ds('a'), job('j1'), 'reads'), edge(job('j1'), ds('b'), 'writes')], columnEdges: [] },
    { owner: job('j2'), edges: [edge(ds('b'), job('j2'), 'reads'), edge(job('j2'), ds('c'), 'writes')], columnEdges: [] },
  ],
  aliases: [],
  lifecycle: [],
  version: 3,
});

const expand = (request: ExpandRequest) => {
  if (request.depth > 50) throw invalidArgument('depth', 'too deep');
  const seeds = request.seeds.filter((s) => graph.has(s.id));
  const unknownSeeds = request.seeds.filter((s) => !graph.has(s.id)).map((s) => s.id);
  if (seeds.length === 0) return { version: graph.version, truncated: false, unknownSeeds, columns: null };
  const compact = graph.traverseCompact(seeds, { direction: request.direction, depth: request.depth, maxNodes: request.maxNodes });
  return { version: graph.version, truncated: compact.truncated, unknownSeeds, columns: compactColumns(compact) };
};

const request = (seed: NodeId, depth = 2): ExpandRequest => ({ seeds: [{ id: seed, distance: 0 }], direction: 'downstream', depth, maxNodes: 100 });

describe('lean expand transport (loopback sockets)', () => {
  let server: LeanExpandServer;
  let closed: LeanExpandServer;
  let admitted: Array<string | undefined>;

  beforeAll(async () => {
    server = await startLeanExpandServer({ host: '127.0.0.1', port: 0, maxFrameBytes: 4096, domain: 'd1', admit: (credential) => (admitted.push(credential), credential !== 'wrong'), expand });
    closed = await startLeanExpandServer({ host: '127.0.0.1', port: 0, maxFrameBytes: 4096, domain: 'd2', admit: () => true, expand });
    await closed.close();
  });
  beforeEach(() => (admitted = []));
  afterAll(() => server.close());

  it("ShardClient sends expand over the lean link: traverse()'s answer, the shard's refusals as ShardRefusedError", async () => {
    const client = new ShardClient();
    client.bind('d1', '127.0.0.1', 1); // no Nest server there: only the lean link can answer
    client.bindExpand('d1', server.port);
    try {
      for (const seed of [ds('a'), ds('b'), ds('a')]) {
        const answer = await client.call('d1', 'lineage.expand', request(seed), 2000);
        const plain = graph.traverse([{ id: seed, distance: 0 }], { direction: 'downstream', depth: 2, maxNodes: 100 });
        expect(decodeColumnar(answer.columnar!)).toEqual({ nodes: plain.nodes, edges: plain.edges, frontier: plain.frontier });
        expect(answer).toMatchObject({ domain: 'd1', version: 3, truncated: false });
      }
      expect(client.expandsLean('d1')).toBe(true);
      const unknown = await client.call('d1', 'lineage.expand', request(ds('zzz')), 2000);
      expect(unknown.unknownSeeds).toEqual([ds('zzz')]);
      const refused = await client.call('d1', 'lineage.expand', request(ds('a'), 99), 2000).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ShardRefusedError);
      expect(refused).toMatchObject({ code: 'invalid-argument', field: 'depth', domain: 'd1' });
      expect((refused as Error).message).toMatch(/too deep/);
      expect(admitted).toEqual([undefined]); // one HELLO per connection
    } finally {
      client.close();
    }
  });

  it('a link the shard does not admit is refused (unauthenticated), and ShardClient falls back to the Nest pattern', async () => {
    const link = new LeanExpandLink('127.0.0.1', server.port, 'd1', 'wrong');
    await expect(link.ready).rejects.toMatchObject({ name: 'ShardRefusedError', code: 'unauthenticated' });
    const client = new (class extends ShardClient {
      constructor() {
        super();
        this.credential = 'wrong';
      }
    })();
    client.bind('d1', '127.0.0.1', 1);
    client.bindExpand('d1', server.port);
    try {
      const error = await client.call('d1', 'lineage.expand', request(ds('a')), 2000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShardUnavailableError); // the Nest path: nothing listens on port 1
      expect((error as Error).message).toMatch(/connection refused/);
      expect(client.expandsLean('d1')).toBe(false);
    } finally {
      client.close();
    }
  });

  it('a lean port nobody listens on: expand goes over the Nest pattern', async () => {
    const client = new ShardClient();
    client.bind('d2', '127.0.0.1', 1);
    client.bindExpand('d2', closed.port);
    try {
      await expect(client.call('d2', 'lineage.expand', request(ds('a')), 2000)).rejects.toThrow(/lineage.expand failed \(connection refused\)/);
      expect(client.expandsLean('d2')).toBe(false);
    } finally {
      client.close();
    }
  });

  it('the server refuses a malformed stream with a clear error and closes the connection', async () => {
    const refusals = async (bytes: Buffer): Promise<LeanFrame[]> =>
      new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: server.port });
        const reader = new LeanFrameReader(1 << 20);
        const frames: LeanFrame[] = [];
        socket.on('data', (chunk: Buffer) => frames.push(...reader.push(chunk)));
        socket.on('close', () => resolve(frames));
        socket.write(bytes);
      });
    const oversized = await refusals(encodeFrame(LEAN_EXPAND, 1, Buffer.alloc(5000)));
    expect(oversized.map((f) => [f.kind, JSON.parse(f.payload.toString())])).toEqual([[LEAN_REFUSED, { code: 'invalid-argument', message: 'malformed lean expand frame: length 5005 exceeds the limit of 4096 bytes' }]]);
    const noHello = await refusals(encodeFrame(LEAN_EXPAND, 7, JSON.stringify(request(ds('a')))));
    expect(noHello.map((f) => [f.kind, f.request, JSON.parse(f.payload.toString()).message])).toEqual([[LEAN_REFUSED, 7, 'a lean expand connection starts with HELLO']]);
    const notJson = await refusals(Buffer.concat([encodeFrame(1, 0, '{}'), encodeFrame(LEAN_EXPAND, 2, '{nope')]));
    expect(notJson.map((f) => f.kind)).toEqual([2, LEAN_REFUSED]);
    expect(JSON.parse(notJson[1].payload.toString()).message).toMatch(/the request is not JSON/);
  });
});
