import { grow } from './typed-grow';

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
  /** numberIndexed()'s numbers new to the gateway: [0, freshCount), valid until its next call (reused: no array per answer). */
  freshNumbers = new Int32Array(256);
  freshCount = 0;
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
    this.follow(mode, reset);
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
    this.learn(numbers!, ids, fresh, freshNumbers);
    if (refs) refs.set(numbers!.subarray(0, ids.length));
    return reset;
  }

  /**
   * number() of an answer given as the index's node numbers under `numbering` (> 0), without its ids: the numbers
   * new to the gateway are left in freshNumbers[0, freshCount) (their ids are the caller's to look up). True when
   * the dictionary was started again first.
   */
  numberIndexed(numbers: Int32Array, numbering: number): boolean {
    this.freshCount = 0;
    if (numbers.length === 0) return false;
    const reset = this.numbering !== 0 && numbering !== this.numbering;
    this.follow(numbering, reset);
    let known = this.known;
    let out = this.freshNumbers;
    let count = 0;
    for (let i = 0; i < numbers.length; i++) {
      const k = numbers[i];
      if (k >= known.length) this.known = known = grow(known, Math.max(k + 1, 1024));
      if (!known[k]) {
        known[k] = 1;
        if (count === out.length) this.freshNumbers = out = grow(out, count + 1);
        out[count++] = k;
      }
    }
    this.freshCount = count;
    return reset;
  }

  /** Follows `numbering` from now on; `restart`: the gateway drops its dictionary, so nothing counts as sent. */
  private follow(numbering: number, restart: boolean): void {
    if (restart) {
      this.known = new Uint8Array(0);
      this.own.clear();
    }
    this.numbering = numbering;
  }

  /** Marks `numbers` as sent, appending the ones not sent before (and their ids) to fresh/freshNumbers. */
  private learn(numbers: Int32Array, ids: readonly string[], fresh: string[], freshNumbers: number[]): void {
    let known = this.known;
    for (let i = 0; i < ids.length; i++) {
      const k = numbers[i];
      if (k >= known.length) this.known = known = grow(known, Math.max(k + 1, 1024));
      if (!known[k]) {
        known[k] = 1;
        fresh.push(ids[i]);
        freshNumbers.push(k);
      }
    }
  }
}
