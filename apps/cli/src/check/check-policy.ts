/**
 * The gate's policy. `--fail-on breaking` (default): a breaking change (change.types.ts) with any consumer
 * violates it; `any`: any change with a consumer; `none`: consumers alone never fail the gate. Protected tiers and
 * domains (`--protect-tier 1`, `--protect-domain finance`) are violated by a breaking change reaching a consumer in
 * them, whatever --fail-on says. The verdict: 3 when any change's impact is unknown (a shard did not answer, a
 * coverage gap), else 1 when a policy is violated, else 0: a gate never passes on an answer it could not complete.
 */
import { EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN, UsageError } from '../cli-io';
import { isBreaking } from './change.types';
import type { ChangeImpact, Consumer } from './change-impact';

export const FAIL_ON = ['breaking', 'any', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface CheckPolicy {
  failOn: FailOn;
  protectedTiers: string[];
  protectedDomains: string[];
}

export const parseFailOn = (value: string | undefined): FailOn => {
  const v = value ?? 'breaking';
  if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`--fail-on: "${v}" is not one of ${FAIL_ON.join(', ')}`);
  return v as FailOn;
};

export interface Violation {
  rule: 'breaking-change' | 'any-change' | 'protected-tier' | 'protected-domain';
  consumer: string;
  message: string;
}

const tierKey = (t: string) => t.replace(/^tier[:=]/i, '').toLowerCase();

export const violations = (impact: ChangeImpact, policy: CheckPolicy): Violation[] => {
  const out: Violation[] = [];
  const breaking = isBreaking(impact.change);
  const protectedTiers = new Set(policy.protectedTiers.map(tierKey));
  const protectedDomains = new Set(policy.protectedDomains);
  for (const c of impact.consumers) {
    if (policy.failOn === 'any' || (policy.failOn === 'breaking' && breaking)) {
      out.push({ rule: breaking ? 'breaking-change' : 'any-change', consumer: c.id, message: `${c.id} (${c.domains.join(', ')}) reads what changes` });
    }
    if (!breaking) continue;
    if (c.tier && protectedTiers.has(tierKey(c.tier))) out.push({ rule: 'protected-tier', consumer: c.id, message: `${c.id} is tier ${c.tier}, protected` });
    const domain = c.domains.find((d) => protectedDomains.has(d));
    if (domain) out.push({ rule: 'protected-domain', consumer: c.id, message: `${c.id} is in protected domain ${domain}` });
  }
  return out;
};

export const isUnknown = (impact: ChangeImpact): boolean => !impact.complete || impact.coverageGaps.length > 0;

export const verdict = (impacts: ChangeImpact[], policy: CheckPolicy): number => {
  if (impacts.some(isUnknown)) return EXIT_UNKNOWN;
  if (impacts.some((i) => violations(i, policy).length > 0)) return EXIT_FAILED;
  return EXIT_OK;
};

export const consumerDomains = (consumers: Consumer[]): string[] => [...new Set(consumers.flatMap((c) => c.domains))].sort();
