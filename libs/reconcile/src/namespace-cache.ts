/**
 * Ids' namespaces already parsed (the rules ask for the same datasets' again and again: coverage, policies,
 * outputs), bounded without thrashing: two generations of at most `capacity` ids each. A new id goes into the
 * current generation; when that is full it becomes the previous one (the older previous is dropped), and an id found
 * in the previous generation moves back to the current one. So the ids in use survive a turnover, and a working set
 * of up to `capacity` ids is parsed once; at most 2 x capacity ids are held. (A single map cleared at its limit
 * dropped every id at once: a working set over the limit, as a shard with more datasets than the limit has, was
 * parsed again on nearly every call.) Namespace texts are interned: a shard has few namespaces and many ids.
 */
export class NamespaceCache {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly capacity: number,
    private readonly parse: (id: string) => string,
  ) {}

  get(id: string): string {
    const known = this.current.get(id);
    if (known !== undefined) return known;
    const ns = this.previous.get(id) ?? this.intern(this.parse(id));
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(id, ns);
    return ns;
  }

  /** Ids held (one moved back from the previous generation counts until that generation is dropped). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private intern(ns: string): string {
    const known = this.texts.get(ns);
    if (known !== undefined) return known;
    if (this.texts.size >= this.capacity) this.texts.clear();
    this.texts.set(ns, ns);
    return ns;
  }
}
