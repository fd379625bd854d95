/**
 * The typed columns of a FederatedTable (federated-table.ts), kept for the next table once a whole-answer traversal
 * has built its answer: a depth-10 query otherwise allocated a dozen arrays and grew most of them two or three times
 * (ids, edges, the edge hash), only for the garbage collector to take them back after the query. Given back cleared
 * where a new table reads before it writes (node marks, writers, holder masks, the edge hash); the rest is written
 * before it is read.
 */
export interface FederatedTableColumns {
  /** Holder mask words per id (the table's domain count / 32, rounded up). */
  words: number;
  numbers: Int32Array;
  isNode: Uint8Array;
  type: Uint8Array;
  distance: Int32Array;
  writer: Uint16Array;
  masks: Uint32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeKind: Uint8Array;
  edgeJob: Int32Array;
  edgeSet: Int32Array;
  edgeDomain: Uint16Array;
  edgeProvenance: Uint8Array;
  /** Per edge: how many nodes were in answer order when it was merged (federated-page-edges.ts: late edges). */
  edgeEpoch: Int32Array;
  /** Open addressing over edge numbers: all -1 when taken. */
  edgeSlots: Int32Array;
}

/** Column sets kept at most (traversals that run at the same time beyond this allocate their own). */
const KEPT = 2;
/**
 * A set whose edge hash grew past this many slots (an answer of over 128k edges) is not kept, nor a mark array longer
 * than KEPT_IDS: a huge answer's arrays are not held for the small ones (what is kept stays within ~20 MB).
 */
const KEPT_SLOTS = 1 << 18;
const KEPT_IDS = 1 << 17;
const spare: FederatedTableColumns[] = [];

/** A cleared set of columns for a table with `words` holder words per id. */
export function takeColumns(words: number): FederatedTableColumns {
  for (let i = spare.length - 1; i >= 0; i--) if (spare[i].words === words) return spare.splice(i, 1)[0];
  const n = 1024;
  return {
    words,
    numbers: new Int32Array(n),
    isNode: new Uint8Array(n),
    type: new Uint8Array(n),
    distance: new Int32Array(n),
    writer: new Uint16Array(n),
    masks: new Uint32Array(n * words),
    edgeFrom: new Int32Array(n),
    edgeTo: new Int32Array(n),
    edgeKind: new Uint8Array(n),
    edgeJob: new Int32Array(n),
    edgeSet: new Int32Array(n),
    edgeDomain: new Uint16Array(n),
    edgeProvenance: new Uint8Array(n),
    edgeEpoch: new Int32Array(n),
    edgeSlots: new Int32Array(2 * n).fill(-1),
  };
}

/** Keeps `columns` for a later table, after clearing what its first `idCount` ids and the edge hash used. */
export function giveColumns(columns: FederatedTableColumns, idCount: number): void {
  if (spare.length >= KEPT || columns.edgeSlots.length > KEPT_SLOTS) return;
  columns.isNode.fill(0, 0, idCount);
  columns.writer.fill(0, 0, idCount);
  columns.masks.fill(0, 0, idCount * columns.words);
  columns.edgeSlots.fill(-1);
  spare.push(columns);
}

/** Per-shard expanded marks (federated-traversal.ts: per id number, distance + 1 at which a shard expanded it) kept the same way. */
const spareMarks: Int32Array[] = [];
/** Mark arrays kept at most (8 shards × KEPT walks). */
const KEPT_MARKS = 16;

/** `count` mark arrays, all zero (possibly empty: a walk grows them). */
export function takeMarks(count: number): Int32Array[] {
  const marks: Int32Array[] = [];
  for (let s = 0; s < count; s++) marks.push(spareMarks.pop() ?? new Int32Array(0));
  return marks;
}

/** Keeps a walk's mark arrays, after clearing their first `idCount` entries (the walk set no mark beyond). */
export function giveMarks(marks: readonly Int32Array[], idCount: number): void {
  for (const m of marks) {
    if (spareMarks.length >= KEPT_MARKS || m.length === 0 || m.length > KEPT_IDS) continue;
    spareMarks.push(m.fill(0, 0, idCount));
  }
}
