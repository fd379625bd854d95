/**
 * Which domain's shard owns a namespace, for producers posting to the gateway:
 * `NAMESPACE_DOMAINS=snowflake://acme=sales,airflow-marketing=marketing,*=core` (`*` = fallback).
 * A key may end with `*` to match a prefix (`postgres://*=finance`). Longest match wins.
 */
import { invalidArgument } from '@lineage-hub/model';

export interface NamespaceDomainRule {
  pattern: string;
  domain: string;
}

export const parseNamespaceDomains = (text: string | undefined, field = 'NAMESPACE_DOMAINS'): NamespaceDomainRule[] => {
  if (!text || !text.trim()) return [];
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry && !entry.startsWith('#'))
    .map((entry) => {
      const eq = entry.lastIndexOf('=');
      if (eq <= 0 || eq === entry.length - 1) throw invalidArgument(field, `"${entry}" is not namespace=domain`);
      return { pattern: entry.slice(0, eq).trim(), domain: entry.slice(eq + 1).trim() };
    });
};

/** The domain owning a namespace, or undefined when no rule matches. */
export const domainForNamespace = (rules: NamespaceDomainRule[], namespace: string): string | undefined => {
  let best: NamespaceDomainRule | undefined;
  let bestLength = -1;
  for (const rule of rules) {
    const prefix = rule.pattern.endsWith('*') ? rule.pattern.slice(0, -1) : null;
    const matches = prefix === null ? rule.pattern === namespace : namespace.startsWith(prefix);
    const length = prefix === null ? Number.MAX_SAFE_INTEGER : prefix.length;
    if (matches && length > bestLength) {
      best = rule;
      bestLength = length;
    }
  }
  return best?.domain;
};
