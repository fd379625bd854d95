/**
 * A local HTTP stand-in for the gateway's read API that alerting uses, for the worker's integration tests and
 * the alerts bench: GET /api/v1/findings (federated shape: findings, nextCursor, complete, missingDomains),
 * GET /api/v1/impact (nodes with domains and distance, over a lineage graph given as edges), and the Marquez
 * dataset read with the OpenLineage tags and ownership facets. Test support only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FindingInput } from '@lineage-hub/alerts';
import { parseNodeId } from '@lineage-hub/model';

export interface FakeDataset {
  id: string;
  domain: string;
  tags?: string[];
  owners?: string[];
}

export class FakeGateway {
  findings: FindingInput[] = [];
  /** child -> parents (upstream). */
  private readonly parents = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();
  private readonly datasets = new Map<string, FakeDataset>();
  private readonly byName = new Map<string, FakeDataset>();
  /** Domains to report as missing (a shard that did not answer). */
  missingDomains: string[] = [];
  requests = 0;
  private server: Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  dataset(d: FakeDataset): this {
    this.datasets.set(d.id, d);
    const p = parseNodeId(d.id);
    if (p.kind === 'dataset') this.byName.set(`${p.namespace}\u0000${p.name}`, d);
    return this;
  }

  edge(from: string, to: string): this {
    this.parents.set(to, [...(this.parents.get(to) ?? []), from]);
    this.children.set(from, [...(this.children.get(from) ?? []), to]);
    return this;
  }

  private walk(start: string, next: Map<string, string[]>) {
    const out = new Map<string, number>();
    let frontier = [start];
    for (let d = 1; frontier.length; d++) {
      const step: string[] = [];
      for (const node of frontier)
        for (const n of next.get(node) ?? []) {
          if (out.has(n) || n === start) continue;
          out.set(n, d);
          step.push(n);
        }
      frontier = step;
    }
    return [...out].map(([id, distance]) => ({ id, type: id.split(':')[0], domains: [this.datasets.get(id)?.domain ?? 'unknown'], distance }));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/api/v1/findings') {
        const status = url.searchParams.get('status');
        return json(200, { findings: this.findings.filter((f) => !status || f.status === status), nextCursor: null, complete: this.missingDomains.length === 0, missingDomains: this.missingDomains });
      }
      if (url.pathname === '/api/v1/impact') {
        const nodeId = url.searchParams.get('nodeId') ?? '';
        const nodes = this.walk(nodeId, url.searchParams.get('direction') === 'upstream' ? this.parents : this.children);
        return json(200, { nodes, edges: [], complete: true, missingDomains: [], truncated: false, nextCursor: null });
      }
      const ds = /^\/api\/v1\/namespaces\/([^/]+)\/datasets\/([^/]+)$/.exec(url.pathname);
      if (ds) {
        const match = this.byName.get(`${decodeURIComponent(ds[1])}\u0000${decodeURIComponent(ds[2])}`);
        if (!match) return json(404, { error: 'not-found' });
        const tags = (match.tags ?? []).map((t) => {
          const [key, value] = t.split(':');
          return value === undefined ? { key } : { key, value };
        });
        return json(200, { tags: [], facets: { tags: { tags }, ownership: { owners: (match.owners ?? []).map((name) => ({ name })) } } });
      }
      json(404, { error: 'not-found' });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
