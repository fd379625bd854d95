/**
 * The shard's side of one lean expand connection's id dictionary (lean-expand-codec.ts): which numbers the gateway
 * has learned, so an id travels as a string only the first time on that connection. Numbers are the shard index's
 * node numbers (stable while its numbering stays the same) or, for answers without them, this connection's own.
 */
export class LeanIdNumbering {
  /** Per node number: 1 once sent (index numbers). */
  private known = new Uint8Array(0);
  /** Answers without index numbers: this connection's own numbers. */
  private readonly own = new Map<string, number>();
  /** The numbering the gateway's dictionary follows (-1: this connection's own; 0: none yet). */
  private numbering = 0;

  /** `cap`: ids numbered per connection at most before the dictionary starts again (both ends drop theirs). */
  constructor(private readonly cap = 1 << 21) {}

  /**
   * Fills `refs` with the numbers of `ids` (`numbers`: the index's, under `numbering`) and appends the ones the
   * gateway has not learned to `fresh`/`freshNumbers`; true when the dictionary was started again first. `refs` may
   * be null when `numbers` are given (the refs are the numbers themselves). An answer without ids numbers nothing
   * and leaves the dictionary as it is (it does not switch numberings).
   */
  number(ids: readonly string[], refs: Int32Array | null, fresh: string[], freshNumbers: number[], numbers?: Int32Array, numbering?: number): boolean {
    if (ids.length === 0) return false;
    const mode = numbers && numbering !== undefined && numbering > 0 ? numbering : -1;
    const reset = this.numbering !== 0 && (mode !== this.numbering || (mode === -1 && this.own.size + ids.length > this.cap));
    if (reset) {
      this.known = new Uint8Array(0);
      this.own.clear();
    }
    this.numbering = mode;
    if (mode === -1) {
      const own = this.own;
      const out = refs ?? new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        let k = own.get(ids[i]);
        if (k === undefined) {
          k = own.size;
          own.set(ids[i], k);
          fresh.push(ids[i]);
          freshNumbers.push(k);
        }
        out[i] = k;
      }
      return reset;
    }
    let known = this.known;
    for (let i = 0; i < ids.length; i++) {
      const k = numbers![i];
      if (k >= known.length) {
        const grown = new Uint8Array(Math.max(k + 1, known.length * 2, 1024));
        grown.set(known);
        this.known = known = grown;
      }
      if (!known[k]) {
        known[k] = 1;
        fresh.push(ids[i]);
        freshNumbers.push(k);
      }
      if (refs) refs[i] = k;
    }
    return reset;
  }
}
