/** Ids and edges for the expand-answer specs (columnar, packed, lean): short names in namespace `ns`. */
import type { ColumnEdge, LineageEdge, NodeId, Transformation } from '@lineage-hub/model';

export const ds = (name: string) => `dataset:ns:${name}` as NodeId;
export const job = (name: string) => `job:ns:${name}` as NodeId;
export const fld = (dataset: string, field: string) => `datasetField:ns:${dataset}:${field}` as NodeId;
export const edge = (from: NodeId, to: NodeId, kind: 'reads' | 'writes', provenance: LineageEdge['provenance'] = 'declared'): LineageEdge => ({ from, to, kind, provenance, validFrom: 0, validTo: null });
export const column = (from: NodeId, to: NodeId, j: NodeId | null, transformations: Transformation[]): ColumnEdge => ({ from, to, job: j, transformations, provenance: 'declared', validFrom: 0, validTo: null });
export const identity: Transformation[] = [{ type: 'DIRECT', subtype: 'IDENTITY' }];
