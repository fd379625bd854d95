/** The whole derived graph (every owner's edge group, aliases, lifecycle) for the in-memory index. */
import type { ColumnEdge, LineageEdge, NodeId } from '@lineage-hub/model';
import { sortColumnEdges, sortEdges } from '../derive/edge-intervals';
import type { GraphSnapshot } from '../lineage-store.port';
import type { SqlExecutor } from '../sql/sql-driver';
import { cmp, columnEdgeFromRow, edgeFromRow, type Row } from './row-codec';

export async function loadGraph(db: SqlExecutor): Promise<GraphSnapshot> {
  const [head] = await db.query<Row>('SELECT seq FROM chain_head WHERE id = 1');
  const groups = new Map<NodeId, { owner: NodeId; edges: LineageEdge[]; columnEdges: ColumnEdge[] }>();
  for (const row of await db.query<Row>('SELECT owner FROM edge_owners')) groups.set(row.owner, { owner: row.owner, edges: [], columnEdges: [] });
  for (const row of await db.query<Row>('SELECT * FROM edges')) {
    let group = groups.get(row.owner);
    if (!group) groups.set(row.owner, (group = { owner: row.owner, edges: [], columnEdges: [] }));
    if (row.kind === 'column') group.columnEdges.push(columnEdgeFromRow(row));
    else group.edges.push(edgeFromRow(row));
  }
  const sorted = [...groups.values()].sort((a, b) => cmp(a.owner, b.owner));
  for (const g of sorted) {
    sortEdges(g.edges);
    sortColumnEdges(g.columnEdges);
  }
  const aliases = (await db.query<Row>('SELECT alias, canonical FROM aliases'))
    .map((r) => ({ alias: r.alias as NodeId, canonical: r.canonical as NodeId }))
    .sort((a, b) => cmp(a.alias, b.alias));
  const lifecycle = (await db.query<Row>('SELECT dataset_id, state, at, renamed_to FROM lifecycle'))
    .map((r) => ({ dataset: r.dataset_id as NodeId, state: r.state as string, ...(r.renamed_to ? { renamedTo: r.renamed_to as NodeId } : {}), at: Number(r.at) }))
    .sort((a, b) => cmp(a.dataset, b.dataset) || a.at - b.at || cmp(a.state, b.state));
  return { version: Number(head.seq), groups: sorted, aliases, lifecycle };
}
