/** The `x-lineage-provenance` header: how an event's lineage is known. Absent = declared (an OpenLineage producer). */
import { invalidArgument } from './errors';
import type { Provenance } from './lineage.types';

export const PROVENANCES: readonly Provenance[] = ['declared', 'observed', 'manual'];

/** The header's value, or a 400 naming it; the shard and the gateway read it alike. */
export const parseProvenance = (header: unknown): Provenance => {
  if (header === undefined || header === '') return 'declared';
  if (typeof header === 'string' && (PROVENANCES as readonly string[]).includes(header)) return header as Provenance;
  throw invalidArgument('x-lineage-provenance', `must be one of ${PROVENANCES.join(', ')}`);
};
