/**
 * The lineage index's state: interned nodes and edges, adjacency, aliases, id ranks and the reused traversal
 * scratch. The index is one object built in layers, one file per concern, each extending the one below:
 * state -> mutation -> build -> planning -> walking -> ordering -> LineageIndex (the public API,
 * ../lineage-index.ts). Layers share the typed arrays directly (no copies, no indirection on the hot path).
 */
import { Adjacency } from '../adjacency';
import { EdgeTable } from '../edge-table';
import { NodeTable } from '../node-table';
import { TransformationSets } from '../transformation-sets';
import { newWalk, type Walk } from './index-helpers';

export abstract class IndexState {
  protected nodes = new NodeTable();
  protected edges = new EdgeTable();
  protected sets = new TransformationSets();
  protected out = new Adjacency(true);
  protected in = new Adjacency(false);
  /** Node -> its canonical node (itself unless an alias, or a field of an aliased dataset). */
  protected canon: Int32Array = new Int32Array(0);
  /** Alias node -> the node it was declared an alias of (-1: none). */
  protected aliasTarget: Int32Array = new Int32Array(0);
  protected ownerStart: Int32Array = new Int32Array(0);
  protected ownerCount: Int32Array = new Int32Array(0);
  protected aliasCount = 0;
  protected needsBuild = true;
  protected currentVersion = 0;

  /** Position of each node in id order (-1: interned after the last ranking). */
  protected rank: Int32Array = new Int32Array(0);
  protected rankToNode: Int32Array = new Int32Array(0);

  // Traversal scratch, reused across calls and reset by epoch stamps.
  protected walkSeen: Uint32Array = new Uint32Array(0);
  /** Per node the walk reached: its position in the walk's queue (its distance is its level's). */
  protected walkDist: Int32Array = new Int32Array(0);
  protected queue: Int32Array = new Int32Array(0);
  protected walkTruncated = false;
  /** The walk's queue ended at queue[walkQueued) (past its tail when it left a level out: seen, not kept). */
  protected walkQueued = 0;
  /** The walk's levels: level l holds queue[levelStart[l], levelStart[l + 1] or the tail) at distance levelDist[l]. */
  protected levelStart: Int32Array = new Int32Array(64);
  protected levelDist: Int32Array = new Int32Array(64);
  protected walkLevels = 0;
  protected walkEpoch = 0;
  protected member: Uint32Array = new Uint32Array(0);
  protected memberMask: Uint8Array = new Uint8Array(0);
  protected best: Int32Array = new Int32Array(0);
  protected pos: Int32Array = new Int32Array(0);
  protected memberEpoch = 0;
  /** The union of a query's walks, then its nodes in answer order. */
  protected union: Int32Array = new Int32Array(0);
  protected order: Int32Array = new Int32Array(0);
  protected rankBuf: Int32Array = new Int32Array(0);
  /** A query's resolved seeds and its planned walks (at most four). */
  protected seedNode: Int32Array = new Int32Array(16);
  protected seedDist: Int32Array = new Int32Array(16);
  protected readonly planned: Walk[] = [newWalk(), newWalk(), newWalk(), newWalk()];
  /** While set (traverseHeld), plan() lists the seeds this index does not hold instead of the caller looking each up. */
  protected listUnknownSeeds = false;
  /** The positions (in the query's seeds) of the seeds plan() found unknown, when listing them. */
  protected unknownSeedAt: Int32Array = new Int32Array(16);
  protected unknownSeedCount = 0;
  /** A query's edges: from and to as node positions, and the edge slot. */
  protected edgeFrom: Int32Array = new Int32Array(1024);
  protected edgeTo: Int32Array = new Int32Array(1024);
  protected edgeSlot: Int32Array = new Int32Array(1024);
}
