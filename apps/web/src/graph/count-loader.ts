/**
 * One-hop neighbour counts of drawn nodes, fetched after they are drawn (never in the way of an expansion): a small
 * queue with a few requests in flight, results written into the nodes, one redraw per batch of answers.
 */
import type { Direction, GraphNode } from './graph-model';
import { isRestricted } from './graph-model';

export class CountLoader {
  private readonly queue: Array<[GraphNode, Direction]> = [];
  private readonly queued = new Set<string>();
  private running = 0;
  private stopped = false;
  private flush: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Undefined: not known yet (asked again when the node is drawn again). */
    private readonly count: (id: string, direction: Direction) => Promise<number | undefined>,
    private readonly changed: () => void,
    private readonly concurrency = 4,
  ) {}

  request(nodes: Iterable<GraphNode>): void {
    for (const n of nodes) {
      if (n.type === 'DOMAIN_BOX' || isRestricted(n)) continue;
      for (const d of ['upstream', 'downstream'] as const) {
        const key = `${d}:${n.id}`;
        if (n.counts[d] !== undefined || this.queued.has(key)) continue;
        this.queued.add(key);
        this.queue.push([n, d]);
      }
    }
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    clearTimeout(this.flush);
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.queue.length) {
      const [n, d] = this.queue.shift()!;
      if (n.counts[d] !== undefined) continue;
      this.running++;
      this.count(n.id, d)
        .catch(() => undefined)
        .then((c) => {
          this.running--;
          this.queued.delete(`${d}:${n.id}`);
          if (this.stopped) return;
          if (n.counts[d] === undefined && c !== undefined) {
            n.counts[d] = c;
            n.rev++;
            this.flush ??= setTimeout(() => {
              this.flush = undefined;
              if (!this.stopped) this.changed();
            }, 100);
          }
          this.pump();
        });
    }
  }
}
