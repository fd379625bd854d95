import { canWriteDomain } from './access-decision';
import { permissionDenied } from './auth.errors';
import type { Principal } from './role.types';

interface EventShape {
  job?: { namespace?: unknown };
  outputs?: Array<{ namespace?: unknown } | null>;
}

/**
 * May this principal store this OpenLineage event? Its job namespace and every output dataset namespace must
 * belong (namespace -> domain, the map the gateway routes with) to a domain it may write; provenance other than
 * `declared` needs a connector or service credential. Throws a permission-denied error naming the field and the
 * namespace; ingest calls it per event, so a batch refuses only the events at fault. `intoDomain`: the domain of
 * the store the event lands in (a shard's own), which the principal must also be allowed to write. `principal: null`
 * (authentication off) allows everything.
 */
export function checkEventWrite(principal: Principal | null, event: unknown, domainOf: (namespace: string) => string, provenance = 'declared', intoDomain?: string): void {
  if (!principal) return;
  // A shard's own store: a writer posting to a shard directly must be a writer of that shard's domain too.
  if (intoDomain !== undefined && !canWriteDomain(principal, intoDomain)) {
    throw permissionDenied(`this shard stores domain "${intoDomain}", which this credential may not write`, 'domain');
  }
  if (provenance !== 'declared' && !principal.provenance) {
    throw permissionDenied(`x-lineage-provenance: "${provenance}" is accepted only from connector or service credentials`, 'x-lineage-provenance');
  }
  const e = (event ?? {}) as EventShape;
  const check = (namespace: unknown, field: string) => {
    if (typeof namespace !== 'string') return;
    const domain = domainOf(namespace);
    if (!canWriteDomain(principal, domain)) {
      throw permissionDenied(`${field}: namespace "${namespace}" belongs to domain "${domain}", which this credential may not write`, field);
    }
  };
  check(e.job?.namespace, 'job.namespace');
  (Array.isArray(e.outputs) ? e.outputs : []).forEach((output, i) => check(output?.namespace, `outputs[${i}].namespace`));
}
