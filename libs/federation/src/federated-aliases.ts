/**
 * The shards' aliases (symlinks, renames: alias -> canonical) united at the gateway. A table one domain knows by a
 * symlink and another domain only by that name is one node across domains: the ids of every shard's answer land on
 * the canonical node (a field of an aliased dataset on the canonical dataset's field, as in libs/graph), and a node
 * goes to the shards that hold any of its names, under the name each holds.
 */

/** One shard's alias record: [alias, canonical]. */
export type AliasPair = readonly [alias: string, canonical: string];

const FIELD = 'datasetField:';
const DATASET = 'dataset:';

/** A field id's dataset id and field name (a field is what follows the last ":"), or null for any other id. */
const splitField = (id: string): { dataset: string; field: string } | null => {
  if (!id.startsWith(FIELD)) return null;
  const cut = id.lastIndexOf(':');
  return cut <= FIELD.length ? null : { dataset: `${DATASET}${id.slice(FIELD.length, cut)}`, field: id.slice(cut + 1) };
};

const fieldOf = (dataset: string, field: string) => `${FIELD}${dataset.slice(DATASET.length)}:${field}`;

export class FederatedAliases {
  /** alias -> the canonical it was declared for. */
  private readonly target = new Map<string, string>();
  /** canonical root -> every alias that lands on it. */
  private readonly aliasesOf = new Map<string, string[]>();

  /**
   * Records from every shard. One alias declared for two canonicals takes the first in (alias, canonical) order;
   * a record that would close a cycle of aliases is left out (libs/graph refuses those too).
   */
  constructor(pairs: Iterable<AliasPair>) {
    const sorted = [...pairs].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
    for (const [alias, canonical] of sorted) {
      if (alias === canonical || this.target.has(alias) || this.root(canonical) === alias) continue;
      this.target.set(alias, canonical);
    }
    for (const alias of this.target.keys()) {
      const root = this.root(alias);
      const list = this.aliasesOf.get(root);
      if (list) list.push(alias);
      else this.aliasesOf.set(root, [alias]);
    }
  }

  get size(): number {
    return this.target.size;
  }

  private root(id: string): string {
    let at = id;
    for (let next = this.target.get(at); next !== undefined; next = this.target.get(at)) at = next;
    return at;
  }

  /** The id every shard's answer is merged under: alias chains followed, a field of an aliased dataset moved with it. */
  canonical(id: string): string {
    if (this.target.size === 0) return id;
    if (this.target.has(id)) return this.root(id);
    const field = splitField(id);
    if (field && this.target.has(field.dataset)) return fieldOf(this.root(field.dataset), field.field);
    return id;
  }

  /** The other names a shard may hold a canonical id by (none for most). */
  names(id: string): readonly string[] {
    if (this.target.size === 0) return [];
    const direct = this.aliasesOf.get(id);
    if (direct) return direct;
    const field = splitField(id);
    const ofDataset = field ? this.aliasesOf.get(field.dataset) : undefined;
    return ofDataset ? ofDataset.map((alias) => fieldOf(alias, field!.field)) : [];
  }
}

export const NO_ALIASES = new FederatedAliases([]);
