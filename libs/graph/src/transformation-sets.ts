/**
 * Column edges carry a list of transformations; few distinct lists exist, so each edge stores the int of
 * its (interned, frozen) list and a filter is evaluated once per list, not once per edge.
 */
import { invalidArgument, type Transformation } from '@lineage-hub/model';

export class TransformationSets {
  private readonly index = new Map<string, number>();
  /** Frozen lists, shared by every edge (and every result) that carries them. */
  readonly lists: ReadonlyArray<readonly Transformation[]> = [];
  /** Per list: the labels a filter can name, "TYPE" and "TYPE/SUBTYPE", upper case. */
  private readonly labels: string[][] = [];
  /** Per list: its interning key (canonical JSON), which also orders lists deterministically. */
  private readonly keys: string[] = [];

  constructor() {
    this.intern([]);
  }

  intern(transformations: readonly Transformation[] | undefined): number {
    const list = transformations ?? [];
    const key = list.length === 0 ? '' : JSON.stringify(list);
    const found = this.index.get(key);
    if (found !== undefined) return found;
    const n = this.lists.length;
    const copy = Object.freeze(list.map((t) => Object.freeze({ ...t })));
    (this.lists as Array<readonly Transformation[]>).push(copy);
    this.labels.push(
      list.flatMap((t) => {
        const type = String(t.type ?? '').toUpperCase();
        return t.subtype ? [type, `${type}/${String(t.subtype).toUpperCase()}`] : [type];
      }),
    );
    this.keys.push(key);
    this.index.set(key, n);
    return n;
  }

  /**
   * A mask over lists: 1 where the list has a transformation matching one of `filter` ("DIRECT" matches
   * any DIRECT subtype, "DIRECT/IDENTITY" only that subtype; case-insensitive). No filter or an empty
   * one keeps every list.
   */
  mask(filter: readonly string[] | undefined): Uint8Array | null {
    if (filter === undefined || filter.length === 0) return null;
    const wanted = new Set<string>();
    filter.forEach((f, i) => {
      if (typeof f !== 'string' || f.trim() === '') throw invalidArgument(`transformations[${i}]`, 'expected a non-empty string such as "DIRECT" or "INDIRECT/JOIN"');
      wanted.add(f.trim().toUpperCase());
    });
    const mask = new Uint8Array(this.lists.length);
    this.labels.forEach((labels, i) => {
      mask[i] = labels.some((l) => wanted.has(l)) ? 1 : 0;
    });
    return mask;
  }

  compare(a: number, b: number): number {
    const ka = this.keys[a];
    const kb = this.keys[b];
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }

  get size(): number {
    return this.lists.length;
  }
}
