/** Canonical JSON (keys sorted at every level, no whitespace) and sha256, for event hashes and ids. */
import { createHash } from 'node:crypto';

export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value as object).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The hash chain link: sha256(prevChainHash || eventHash); the first link uses an empty previous hash. */
export const chainHash = (prevChainHash: string, eventHash: string): string => sha256Hex(prevChainHash + eventHash);
