/** Links and short texts every notifier uses. */
import type { Alert } from '../alert.types';

export const alertUrl = (hubUrl: string, alert: Pick<Alert, 'id'>) => `${hubUrl.replace(/\/+$/, '')}/api/v1/alerts/${encodeURIComponent(alert.id)}`;

export const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`);

/** `sales 3, marketing 2` */
export const domainCounts = (alert: Pick<Alert, 'blastRadius'>): string =>
  Object.entries(alert.blastRadius.domains)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([domain, n]) => `${domain} ${n}`)
    .join(', ');

/** Affected downstream datasets by domain: `{marketing: [...], finance: [...]}`, at most `perDomain` each (sorted). */
export const affectedByDomain = (alert: Pick<Alert, 'affected'>, perDomain = Infinity): Record<string, string[]> => {
  const sets = new Map<string, Set<string>>();
  for (const a of alert.affected) {
    let set = sets.get(a.domain);
    if (!set) sets.set(a.domain, (set = new Set()));
    set.add(a.asset);
  }
  const out: Record<string, string[]> = {};
  for (const [domain, set] of sets) out[domain] = [...set].sort().slice(0, perDomain);
  return out;
};

/** How many affected datasets per domain (all of them, whatever a message lists). */
export const affectedCounts = (alert: Pick<Alert, 'affected'>): Record<string, number> => {
  const sets = new Map<string, Set<string>>();
  for (const a of alert.affected) (sets.get(a.domain) ?? sets.set(a.domain, new Set()).get(a.domain)!).add(a.asset);
  return Object.fromEntries([...sets].map(([d, s]) => [d, s.size]));
};
