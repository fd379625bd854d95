/** Mutation: validating snapshots and deltas, interning nodes, replacing an owner's edges, aliases and re-canonicalisation. */
import { invalidArgument, type AliasRecord, type ColumnEdge, type LineageEdge } from '@lineage-hub/model';
import type { GraphDelta } from '@lineage-hub/model';
import { EdgeKindCode, provenanceCode } from '../edge-table';
import { fieldDatasetId, fieldOnDataset, kindOfId, NodeKindCode, requireGraphId } from '../node-table';
import { growInt32, requireTime } from './index-helpers';
import { IndexState } from './index-state';

export abstract class IndexMutation extends IndexState {
  protected validate(delta: GraphDelta, at: string): void {
    if (!delta || !Array.isArray(delta.groups)) throw invalidArgument(`${at}.groups`, 'expected an array');
    delta.groups.forEach((g: GraphDelta['groups'][number], i: number) => {
      const path = `${at}.groups[${i}]`;
      requireGraphId(g?.owner, `${path}.owner`);
      if (!Array.isArray(g.edges)) throw invalidArgument(`${path}.edges`, 'expected an array');
      if (!Array.isArray(g.columnEdges)) throw invalidArgument(`${path}.columnEdges`, 'expected an array');
      g.edges.forEach((e: LineageEdge, j: number) => this.validateEdge(e, `${path}.edges[${j}]`));
      g.columnEdges.forEach((e: ColumnEdge, j: number) => this.validateColumnEdge(e, `${path}.columnEdges[${j}]`));
    });
    if (!Array.isArray(delta.aliases)) throw invalidArgument(`${at}.aliases`, 'expected an array');
    delta.aliases.forEach((a: AliasRecord, i: number) => {
      requireGraphId(a?.alias, `${at}.aliases[${i}].alias`);
      requireGraphId(a.canonical, `${at}.aliases[${i}].canonical`);
    });
    if (!Array.isArray(delta.lifecycle)) throw invalidArgument(`${at}.lifecycle`, 'expected an array');
    delta.lifecycle.forEach((l: GraphDelta['lifecycle'][number], i: number) => {
      requireGraphId(l?.dataset, `${at}.lifecycle[${i}].dataset`);
      if (l.state === 'RENAME' && l.renamedTo !== undefined) requireGraphId(l.renamedTo, `${at}.lifecycle[${i}].renamedTo`);
    });
  }

  protected validateEdge(e: LineageEdge, path: string): void {
    const from = requireGraphId(e?.from, `${path}.from`);
    const to = requireGraphId(e.to, `${path}.to`);
    if (e.kind === 'reads') {
      if (kindOfId(from) !== NodeKindCode.Dataset) throw invalidArgument(`${path}.from`, 'a reads edge goes from a dataset to a job');
      if (kindOfId(to) !== NodeKindCode.Job) throw invalidArgument(`${path}.to`, 'a reads edge goes from a dataset to a job');
    } else if (e.kind === 'writes') {
      if (kindOfId(from) !== NodeKindCode.Job) throw invalidArgument(`${path}.from`, 'a writes edge goes from a job to a dataset');
      if (kindOfId(to) !== NodeKindCode.Dataset) throw invalidArgument(`${path}.to`, 'a writes edge goes from a job to a dataset');
    } else {
      throw invalidArgument(`${path}.kind`, `expected "reads" or "writes", got ${JSON.stringify(e.kind)}`);
    }
    requireTime(e.validFrom, `${path}.validFrom`, false);
    requireTime(e.validTo, `${path}.validTo`, true);
  }

  protected validateColumnEdge(e: ColumnEdge, path: string): void {
    if (kindOfId(requireGraphId(e?.from, `${path}.from`)) === NodeKindCode.Job) throw invalidArgument(`${path}.from`, 'a column edge starts at a datasetField (or a dataset)');
    if (kindOfId(requireGraphId(e.to, `${path}.to`)) !== NodeKindCode.Field) throw invalidArgument(`${path}.to`, 'a column edge ends at a datasetField');
    if (e.job !== null && e.job !== undefined && kindOfId(requireGraphId(e.job, `${path}.job`)) !== NodeKindCode.Job) throw invalidArgument(`${path}.job`, 'expected a job: id');
    if (e.transformations !== undefined && !Array.isArray(e.transformations)) throw invalidArgument(`${path}.transformations`, 'expected an array');
    requireTime(e.validFrom, `${path}.validFrom`, false);
    requireTime(e.validTo, `${path}.validTo`, true);
  }

  protected mutate(delta: GraphDelta): void {
    for (const group of delta.groups) this.replaceOwner(group.owner, group.edges, group.columnEdges);
    let aliasesChanged = false;
    for (const a of delta.aliases) if (this.setAlias(a)) aliasesChanged = true;
    for (const l of delta.lifecycle) {
      if (l.state === 'RENAME' && l.renamedTo && this.setAlias({ alias: l.dataset, canonical: l.renamedTo })) aliasesChanged = true;
    }
    if (aliasesChanged) {
      const before = this.canon.slice(0, this.nodes.size);
      for (let n = 0; n < this.nodes.size; n++) {
        const c = this.resolveNode(n); // may intern (and grow this.canon): read the array after
        this.canon[n] = c;
      }
      if (!this.needsBuild) this.recanonicalise(before);
    }
    if (!this.needsBuild && (this.out.extraCount > Math.max(4096, this.edges.live >> 3) || this.edges.length - this.edges.live > Math.max(4096, this.edges.live >> 2))) {
      this.needsBuild = true;
    }
  }

  /**
   * After aliases changed the canonical node of a few nodes: moves just the edges touching those nodes to
   * their new canonical rows (dropped from their old rows, re-added on the append path), one scan of the
   * edge table instead of a CSR rebuild. Many changed nodes: a rebuild.
   */
  protected recanonicalise(before: Int32Array): void {
    const size = before.length;
    const moved = new Uint8Array(size);
    let changed = 0;
    for (let n = 0; n < size; n++) {
      if (this.canon[n] !== before[n]) {
        moved[n] = 1;
        changed++;
      }
    }
    if (changed === 0) return;
    if (changed > Math.max(1024, size >> 6)) {
      this.needsBuild = true;
      return;
    }
    const t = this.edges;
    for (let s = 0; s < t.length; s++) {
      if (t.alive[s] === 0) continue;
      const from = t.from[s];
      const to = t.to[s];
      if (from >= size || to >= size || (moved[from] === 0 && moved[to] === 0)) continue;
      this.out.remove(before[from], s);
      this.in.remove(before[to], s);
      this.out.add(this.canon[from], s);
      this.in.add(this.canon[to], s);
    }
  }

  protected replaceOwner(ownerId: string, edges: LineageEdge[], columnEdges: ColumnEdge[]): void {
    const owner = this.node(ownerId);
    const table = this.edges;
    const incremental = !this.needsBuild;
    for (let s = this.ownerStart[owner], end = s + this.ownerCount[owner]; s < end; s++) {
      if (table.alive[s] === 0) continue;
      if (incremental) {
        this.out.remove(this.canon[table.from[s]], s);
        this.in.remove(this.canon[table.to[s]], s);
      }
      table.kill(s);
    }
    const start = table.length;
    for (const e of edges) {
      const from = this.node(e.from);
      const to = this.node(e.to);
      const kind = e.kind === 'reads' ? EdgeKindCode.Reads : EdgeKindCode.Writes;
      table.append(from, to, kind, -1, owner, 0, provenanceCode(e.provenance), e.validFrom, e.validTo);
    }
    for (const e of columnEdges) {
      const from = this.node(e.from);
      const to = this.node(e.to);
      const job = e.job ? this.node(e.job) : -1;
      table.append(from, to, EdgeKindCode.Column, job, owner, this.sets.intern(e.transformations), provenanceCode(e.provenance), e.validFrom, e.validTo);
    }
    this.ownerStart[owner] = start;
    this.ownerCount[owner] = table.length - start;
    if (incremental) {
      for (let s = start; s < table.length; s++) {
        this.out.add(this.canon[table.from[s]], s);
        this.in.add(this.canon[table.to[s]], s);
      }
    }
  }

  /** Points alias at canonical. Refused (returns false) when it would make a cycle or changes nothing. */
  protected setAlias(record: AliasRecord): boolean {
    const alias = this.node(record.alias);
    const canonical = this.node(record.canonical);
    if (alias === canonical || this.aliasTarget[alias] === canonical) return false;
    for (let c = canonical; c >= 0; c = this.aliasTarget[c]) if (c === alias) return false;
    if (this.aliasTarget[alias] < 0) this.aliasCount++;
    this.aliasTarget[alias] = canonical;
    return true;
  }

  /** Interns an id, giving new nodes their per-node state. */
  protected node(id: string): number {
    const before = this.nodes.size;
    const n = this.nodes.intern(id);
    if (this.nodes.size !== before) this.adopt(before);
    return n;
  }

  protected adopt(first: number): void {
    const capacity = this.nodes.capacity;
    this.canon = growInt32(this.canon, capacity, 0);
    this.aliasTarget = growInt32(this.aliasTarget, capacity, -1);
    this.ownerStart = growInt32(this.ownerStart, capacity, 0);
    this.ownerCount = growInt32(this.ownerCount, capacity, 0);
    this.rank = growInt32(this.rank, capacity, -1);
    const size = this.nodes.size;
    for (let n = first; n < size; n++) {
      this.canon[n] = n;
      this.rank[n] = -1;
    }
    for (let n = first; n < size; n++) {
      if (this.nodes.kinds[n] === NodeKindCode.Field && this.aliasCount > 0) {
        const c = this.resolveNode(n);
        this.canon[n] = c;
      }
    }
  }

  /** Follows alias pointers to the root; a field of an aliased dataset resolves to the root dataset's field. */
  protected resolveNode(n: number): number {
    let c = n;
    while (this.aliasTarget[c] >= 0) c = this.aliasTarget[c];
    if (this.nodes.kinds[c] !== NodeKindCode.Field) return c;
    const dataset = this.nodes.fieldDataset[c];
    let root = dataset;
    while (this.aliasTarget[root] >= 0) root = this.aliasTarget[root];
    if (root === dataset || this.nodes.kinds[root] !== NodeKindCode.Dataset) return c;
    const field = this.node(fieldOnDataset(this.nodes.ids[root], this.nodes.ids[c]));
    return this.aliasTarget[field] >= 0 ? this.resolveNode(field) : field;
  }

  /** The canonical node of a query id, without interning anything; -1 when unknown. */
  protected resolve(id: string): number {
    if (typeof id !== 'string') return -1;
    const n = this.nodes.lookup(id);
    if (n >= 0) return this.canon[n];
    if (!id.startsWith('datasetField:')) return -1;
    const dataset = this.nodes.lookup(fieldDatasetId(id));
    if (dataset < 0 || this.canon[dataset] === dataset) return -1;
    const field = this.nodes.lookup(fieldOnDataset(this.nodes.ids[this.canon[dataset]], id));
    return field < 0 ? -1 : this.canon[field];
  }
}
