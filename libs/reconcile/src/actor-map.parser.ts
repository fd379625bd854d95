/**
 * The actor -> job/domain map (YAML `actors: {NAME: {job: job:ns:name} | {domain: name}}`), validated whole; each
 * name is also keyed in lower case, so a report in any case is found (actorMapping).
 */
import { parse as parseYaml } from 'yaml';
import { invalidArgument, parseNodeId, type NodeId } from '@lineage-hub/model';
import type { ActorMapping } from './reconcile.types';

export const validateActorMap = (raw: unknown): Record<string, ActorMapping> => {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidArgument('actors', 'must be an object {actors: {NAME: {job|domain}}}');
  const actors = (raw as Record<string, unknown>).actors ?? {};
  if (typeof actors !== 'object' || actors === null || Array.isArray(actors)) throw invalidArgument('actors', 'must be a map of actor name to {job} or {domain}');
  const out: Record<string, ActorMapping> = {};
  for (const [name, value] of Object.entries(actors as Record<string, unknown>)) {
    const at = `actors.${name}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(at, 'must be {job: job:ns:name} or {domain: name}');
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) if (k !== 'job' && k !== 'domain') throw invalidArgument(`${at}.${k}`, 'unknown field');
    const mapping: ActorMapping = {};
    if (v.job !== undefined) {
      let kind = '';
      try {
        kind = typeof v.job === 'string' ? parseNodeId(v.job).kind : '';
      } catch {
        kind = '';
      }
      if (kind !== 'job') throw invalidArgument(`${at}.job`, 'must be a job id (job:{namespace}:{name})');
      mapping.job = v.job as NodeId;
    }
    if (v.domain !== undefined) {
      if (typeof v.domain !== 'string' || !v.domain) throw invalidArgument(`${at}.domain`, 'must be a domain name');
      mapping.domain = v.domain;
    }
    if (!mapping.job && !mapping.domain) throw invalidArgument(at, 'needs job or domain');
    out[name] = mapping;
  }
  // Warehouses report a user in one case (Snowflake: unquoted names upper case; Redshift: folded to lower case;
  // BigQuery: e-mails as Google keeps them, service accounts lower case): a name is also keyed in lower case, unless
  // the file spells that variant itself, and actorMapping looks a report up by its lower case after its own spelling.
  for (const [name, mapping] of Object.entries(out)) {
    const lower = name.toLowerCase();
    if (!Object.hasOwn(out, lower)) out[lower] = mapping;
  }
  return out;
};

/**
 * The mapping of an actor as a warehouse reports it: its own spelling, else its lower case (every configured name is
 * keyed in lower case too), so a mixed-case report (`Jane.Doe@Corp.com`, a quoted Snowflake user) finds `jane.doe@corp.com`.
 */
export const actorMapping = (actors: Readonly<Record<string, ActorMapping>>, actor: string | undefined): ActorMapping | undefined => {
  if (actor === undefined) return undefined;
  if (Object.hasOwn(actors, actor)) return actors[actor];
  const lower = actor.toLowerCase();
  return Object.hasOwn(actors, lower) ? actors[lower] : undefined;
};

export const parseActorMapFile = (text: string): Record<string, ActorMapping> => {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw invalidArgument('actors', `the file is not valid YAML: ${(e as Error).message}`);
  }
  return validateActorMap(raw);
};
