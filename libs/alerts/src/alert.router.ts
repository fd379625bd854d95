/**
 * Which receivers an alert goes to: every route whose match holds, in order, stopping at the first match
 * unless it says `continue`; no route matched -> the alert's domain's default receiver, else the global
 * default. A match field holds when any of its values matches (namespaces accept a trailing `*`).
 */
import type { Alert } from './alert.types';
import type { AlertRoutes, RouteMatch } from './alert-routes.schema';

type Routable = Pick<Alert, 'domain' | 'namespace' | 'tags' | 'owners' | 'kind' | 'severity'>;

const glob = (pattern: string, value: string) => (pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value);

export const routeMatches = (match: RouteMatch, alert: Routable): boolean =>
  (!match.domain || match.domain.includes(alert.domain)) &&
  (!match.namespace || match.namespace.some((p) => glob(p, alert.namespace))) &&
  (!match.tag || match.tag.some((t) => alert.tags.includes(t))) &&
  (!match.owner || match.owner.some((o) => alert.owners.includes(o))) &&
  (!match.kind || match.kind.includes(alert.kind)) &&
  (!match.severity || match.severity.includes(alert.severity));

export const routeAlert = (alert: Routable, routes: AlertRoutes): string[] => {
  const out: string[] = [];
  for (const route of routes.routes) {
    if (!routeMatches(route.match, alert)) continue;
    for (const name of route.receivers) if (!out.includes(name)) out.push(name);
    if (!route.continue) break;
  }
  if (out.length) return out;
  const fallback = routes.domainReceivers[alert.domain] ?? routes.defaultReceiver;
  return fallback ? [fallback] : [];
};
