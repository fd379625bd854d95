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

/** Affected downstream datasets by domain: `{marketing: [...], finance: [...]}`. */
export const affectedByDomain = (alert: Pick<Alert, 'affected'>): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const a of alert.affected) {
    const list = (out[a.domain] ??= []);
    if (!list.includes(a.asset)) list.push(a.asset);
  }
  return out;
};
