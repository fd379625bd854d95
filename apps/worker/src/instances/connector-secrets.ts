/**
 * Connector secrets are write-only. A setting whose key names a secret (password, token, secret, private key,
 * api key, credential) given as a literal string is sealed (secret-box.ts) before it is stored; every answer shows
 * it as MASK; a PUT that sends MASK back keeps the stored value; error texts are scrubbed of resolved secrets.
 * `{env: NAME}` references are not secrets themselves and are shown as they are.
 */
import { invalidArgument } from '@lineage-hub/model';
import type { SecretBox } from './secret-box';

export const MASK = '********';
const SECRET_KEY = /pass(word|wd|phrase)?$|secret|token|private_?key|api_?key|credential|auth_?key/i;

/** A stored, sealed secret. */
export interface SealedSecret {
  sealed: string;
}

export const isSealed = (value: unknown): value is SealedSecret =>
  !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as SealedSecret).sealed === 'string';

/** Settings that name where or what, never a secret (`tokenUrl`, `credentialsKind`). */
const NOT_SECRET = /(url|uri|endpoint|host|kind|type|file|path)$/i;

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key) && !NOT_SECRET.test(key);

type Json = Record<string, unknown>;

const mapSettings = (value: unknown, field: string, key: string, fn: (value: unknown, field: string, key: string) => unknown | undefined): unknown => {
  const replaced = fn(value, field, key);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((v, i) => mapSettings(v, `${field}[${i}]`, key, fn));
  if (value && typeof value === 'object' && !isSealed(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSettings(v, `${field}.${k}`, k, fn)]));
  return value;
};

/** Seals every literal secret (null box: refused, naming the field and how to store it). */
export function sealSecrets(settings: Json, box: SecretBox | null, connectorId: string): Json {
  return mapSettings(settings, 'settings', '', (value, field, key) => {
    if (typeof value !== 'string' || !isSecretKey(key) || value === '') return undefined;
    if (!box) throw invalidArgument(field, 'is a secret: set LINEAGE_SECRETS_KEY in the worker to store it encrypted, or reference it as {"env": "NAME"}');
    return { sealed: box.seal(value, connectorId) } satisfies SealedSecret;
  }) as Json;
}

/** What answers show: sealed values and literal strings at secret keys as MASK. */
export function maskSecrets(settings: Json): Json {
  return mapSettings(settings, 'settings', '', (value, _field, key) => (isSealed(value) || (typeof value === 'string' && isSecretKey(key) && value !== '') ? MASK : undefined)) as Json;
}

/** A PUT that sends MASK back for a secret keeps the stored value at that place. */
export function keepMaskedSecrets(settings: Json, previous: Json | undefined): Json {
  const at = (path: Array<string | number>): unknown => path.reduce<unknown>((node, step) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined), previous);
  const walk = (value: unknown, path: Array<string | number>): unknown => {
    if (value === MASK) {
      const stored = at(path);
      if (stored === undefined) throw invalidArgument(['settings', ...path].join('.'), `is "${MASK}" (the mask of a stored secret) but nothing is stored there; send the secret itself`);
      return stored;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    return value;
  };
  return walk(settings, []) as Json;
}

/** Opens sealed values (for a run, a cursor or validation). */
export function openSecrets(settings: Json, box: SecretBox | null, connectorId: string): Json {
  return mapSettings(settings, 'settings', '', (value, field) => {
    if (!isSealed(value)) return undefined;
    if (!box) throw invalidArgument(field, 'is stored encrypted but the worker has no LINEAGE_SECRETS_KEY');
    try {
      return box.open(value.sealed, connectorId);
    } catch {
      throw invalidArgument(field, 'cannot be decrypted with this LINEAGE_SECRETS_KEY (changed key, or the stored value was altered)');
    }
  }) as Json;
}

/** The secret strings of resolved settings (values at secret keys, and what references and sealed values became). */
export function secretValues(stored: Json, resolved: Json): string[] {
  const out: string[] = [];
  const walk = (s: unknown, r: unknown, key: string) => {
    if (typeof r === 'string') {
      if (r.length >= 4 && (isSecretKey(key) || isSealed(s) || (s && typeof s === 'object' && 'env' in s))) out.push(r);
      return;
    }
    if (r && typeof r === 'object') for (const [k, v] of Object.entries(r)) walk(s && typeof s === 'object' ? (s as Json)[k] : undefined, v, Array.isArray(r) ? key : k);
  };
  walk(stored, resolved, '');
  return out;
}

/** Replaces every secret value in a text by MASK (error messages and log lines of a run). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
