/**
 * The freshness policy document (FRESHNESS_FILE in YAML, or the API body as JSON) validated whole: the first
 * bad field is refused with its path (`policies[2].deadline.timeZone`), and nothing of a refused document applies.
 */
import { Cron } from 'croner';
import { parse as parseYaml } from 'yaml';
import { checkTextLimit, invalidArgument, LIMITS, parseNodeId, type FreshnessPolicy, type FreshnessPolicyDocument, type NodeId } from '@lineage-hub/model';
import { parseDuration } from './duration';

const TARGETS = ['dataset', 'tag', 'namespace', 'domain'] as const;
const KNOWN = new Set<string>([...TARGETS, 'warnAfter', 'errorAfter', 'deadline']);

/** Ten years: a longer duration is a typo (and past it a deadline leaves what a Date holds). */
const MAX_DURATION_MS = 3650 * 86_400_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const validTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const validatePolicy = (raw: unknown, at: string): FreshnessPolicy => {
  if (!isObject(raw)) throw invalidArgument(at, 'must be an object');
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) throw invalidArgument(`${at}.${key}`, 'unknown field');
  const targets = TARGETS.filter((t) => raw[t] !== undefined);
  if (targets.length !== 1) throw invalidArgument(at, `exactly one of ${TARGETS.join(', ')} is required`);
  const target = targets[0];
  const value = raw[target];
  if (typeof value !== 'string' || value.trim() === '') throw invalidArgument(`${at}.${target}`, 'must be a non-empty string');
  // what the store can hold and a node can carry: no NUL or lone surrogate (PostgreSQL refuses them), a bounded length
  checkTextLimit(`${at}.${target}`, value, target === 'namespace' ? LIMITS.namespaceBytes : LIMITS.nodeIdBytes);
  const policy: FreshnessPolicy = {};
  if (target === 'dataset') {
    let parsed;
    try {
      parsed = parseNodeId(value);
    } catch {
      throw invalidArgument(`${at}.dataset`, 'must be a dataset id (dataset:{namespace}:{name})');
    }
    if (parsed.kind !== 'dataset') throw invalidArgument(`${at}.dataset`, 'must be a dataset id (dataset:{namespace}:{name})');
    policy.dataset = value as NodeId;
  } else policy[target] = value;
  for (const field of ['warnAfter', 'errorAfter'] as const) {
    const v = raw[field];
    if (v === undefined) continue;
    const ms = parseDuration(v);
    if (ms === null) throw invalidArgument(`${at}.${field}`, 'must be a positive duration such as "90m", "6h", "2d" or "PT6H"');
    if (ms > MAX_DURATION_MS) throw invalidArgument(`${at}.${field}`, 'must be at most 3650d');
    // a bare number is milliseconds: stored with its unit, which the evaluator reads (a unitless "60000" it does not)
    policy[field] = typeof v === 'number' ? `${v}ms` : String(v);
  }
  if (raw.deadline !== undefined) {
    const d = raw.deadline;
    if (!isObject(d)) throw invalidArgument(`${at}.deadline`, 'must be an object {cron, timeZone}');
    for (const key of Object.keys(d)) if (key !== 'cron' && key !== 'timeZone') throw invalidArgument(`${at}.deadline.${key}`, 'unknown field');
    if (typeof d.cron !== 'string') throw invalidArgument(`${at}.deadline.cron`, 'must be a cron expression');
    checkTextLimit(`${at}.deadline.cron`, d.cron, 256);
    const timeZone = d.timeZone === undefined ? 'UTC' : d.timeZone;
    if (typeof timeZone !== 'string' || !validTimeZone(timeZone)) throw invalidArgument(`${at}.deadline.timeZone`, 'must be an IANA time zone such as Europe/Berlin');
    try {
      new Cron(d.cron, { timezone: timeZone, paused: true });
    } catch (e) {
      throw invalidArgument(`${at}.deadline.cron`, `invalid cron expression: ${(e as Error).message}`);
    }
    policy.deadline = { cron: d.cron, timeZone };
  }
  if (policy.warnAfter === undefined && policy.errorAfter === undefined && policy.deadline === undefined)
    throw invalidArgument(at, 'needs warnAfter, errorAfter or deadline');
  if (policy.deadline && (policy.warnAfter || policy.errorAfter)) throw invalidArgument(`${at}.deadline`, 'use either a deadline or warnAfter/errorAfter, not both');
  const warn = parseDuration(policy.warnAfter);
  const error = parseDuration(policy.errorAfter);
  if (warn !== null && error !== null && error < warn) throw invalidArgument(`${at}.errorAfter`, 'must not be shorter than warnAfter');
  return policy;
};

/** A validated policy document; throws a DomainError (invalid-argument) naming the first bad field. */
export const validatePolicyDocument = (raw: unknown): FreshnessPolicyDocument => {
  if (!isObject(raw)) throw invalidArgument('policies', 'the document must be an object {policies: [...]}');
  for (const key of Object.keys(raw)) if (key !== 'policies') throw invalidArgument(key, 'unknown field');
  if (!Array.isArray(raw.policies)) throw invalidArgument('policies', 'must be an array');
  const policies = raw.policies.map((p, i) => validatePolicy(p, `policies[${i}]`));
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const target = TARGETS.map((t) => (p[t] === undefined ? '' : `${t}=${p[t]}`)).join('');
    if (seen.has(target)) throw invalidArgument(`policies[${i}]`, `a second policy for ${target}`);
    seen.add(target);
  });
  return { policies };
};

/** FRESHNESS_FILE text (YAML; JSON is YAML too). */
export const parsePolicyFile = (text: string): FreshnessPolicyDocument => {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw invalidArgument('policies', `the file is not valid YAML: ${(e as Error).message}`);
  }
  return validatePolicyDocument(raw ?? { policies: [] });
};
