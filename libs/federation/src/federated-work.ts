import { grow } from './typed-grow';

/**
 * The ids a federated traversal sends on in its next round, each at the shortest distance it was reached at, in the
 * order first queued: a distance per id number in a typed array beside the list, no Map entry per id.
 */
export class FederatedWork {
  /** Id numbers, in the order first queued. */
  readonly ids: number[] = [];
  /** Per id number: its distance + 1 (0: not queued). */
  private at: Int32Array;

  constructor(idCount: number) {
    this.at = new Int32Array(Math.max(idCount, 16));
  }

  get size(): number {
    return this.ids.length;
  }

  /** The distance id number p is queued at. */
  distance(p: number): number {
    return this.at[p] - 1;
  }

  /** Queues p at `distance`, or lowers its distance when it is queued farther. */
  offer(p: number, distance: number): void {
    if (p >= this.at.length) this.at = grow(this.at, p + 1);
    const now = this.at[p];
    if (now === 0) {
      this.ids.push(p);
      this.at[p] = distance + 1;
    } else if (distance + 1 < now) this.at[p] = distance + 1;
  }
}
