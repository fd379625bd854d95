/** Canonical JSON (keys sorted at every level, no whitespace) and sha256, for event hashes and ids. */
import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'hex' | 'base64') => string;
/** crypto.hash (Node >= 20.12): one call, no Hash object; ~2x faster than createHash for the short texts hashed here. */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

export const digest = (algorithm: 'sha256' | 'md5', text: string, encoding: 'hex' | 'base64'): string =>
  oneShot ? oneShot(algorithm, text, encoding) : crypto.createHash(algorithm).update(text).digest(encoding);

/** Strings JSON.stringify would print as-is between quotes (no quote, backslash, control or surrogate). */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const quote = (text: string): string => (text.length < 512 && PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));

/** `"key":` for the keys events repeat (name, namespace, type, ...). */
const keyMemo = new Map<string, string>();
const quoteKey = (key: string): string => {
  let out = keyMemo.get(key);
  if (out === undefined) {
    out = `${JSON.stringify(key)}:`;
    if (keyMemo.size < 10_000) keyMemo.set(key, out);
  }
  return out;
};

/** `,"key":` likewise: a member after the first costs no new string for its separator. */
const commaKeyMemo = new Map<string, string>();
const commaKey = (key: string): string => {
  let out = commaKeyMemo.get(key);
  if (out === undefined) {
    out = `,${quoteKey(key)}`;
    if (commaKeyMemo.size < 10_000) commaKeyMemo.set(key, out);
  }
  return out;
};

/**
 * Sorts keys in place in the order Array.prototype.sort() gives strings (UTF-16 code units, which `<` compares).
 * Event objects have few keys, often already in order: an insertion sort does that without allocating, where
 * sort() allocates its work arrays on every call (measured: over a quarter of all ingest allocations).
 */
const sortKeys = (keys: string[]): void => {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i += 1) {
    const key = keys[i];
    let j = i - 1;
    if (keys[j] <= key) continue;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j -= 1;
    }
    keys[j + 1] = key;
  }
};

const hasToJson = (value: object): boolean => typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** A value's JSON when it is not a container, '' for an array or object, undefined for what JSON.stringify drops. */
const scalar = (value: unknown): string | undefined => {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : '';
    default:
      return undefined; // undefined, functions, symbols: dropped like JSON.stringify does
  }
};

/** toJSON() followed to a value without one (Date -> string). */
const plain = (value: unknown): unknown => {
  let v = value;
  while (typeof v === 'object' && v !== null && hasToJson(v)) v = (v as { toJSON: () => unknown }).toJSON();
  return v;
};

/**
 * Same text as JSON.stringify would give with every object's keys sorted. Iterative (an explicit stack of open
 * arrays and objects), so any nesting depth works: a facet nested 10,000 deep does not overflow the call stack.
 */
export const canonicalJson = (root: unknown): string => write(root, Infinity, null) as string;

/** What canonicalEventJson saw on its walk besides the text. */
export interface JsonShape {
  /** The JSON text (as canonicalJson gives). */
  text: string;
  /** Depth of the deepest array or object (the root is 1). */
  depth: number;
  /** Objects followed through toJSON, and members dropped (undefined, functions, symbols) whose key needs escaping. */
  unusual: number;
  /** Characters the dropped members would take: their keys' lengths and 12 each. */
  hidden: number;
}

/**
 * canonicalJson with the shape of what it walked, for a caller that checks limits from the same walk (ingest-limits.ts);
 * null, and the walk stopped, as soon as an array or object lies deeper than `maxDepth` (the root is 1).
 */
export const canonicalEventJson = (root: unknown, maxDepth: number): JsonShape | null => {
  const shape = { text: '', depth: 0, unusual: 0, hidden: 0 };
  const text = write(root, maxDepth, shape);
  if (text === null) return null;
  shape.text = text;
  return shape;
};

const write = (root: unknown, maxDepth: number, shape: Omit<JsonShape, 'text'> | null): string | null => {
  const top = plain(root);
  if (shape && top !== root) shape.unusual += 1;
  const first = scalar(top);
  if (first === undefined) return 'null';
  if (first !== '') return first;
  // the open containers: the value, its sorted keys (null for an array) and the position of its next member
  const values: unknown[] = [];
  const keysOf: Array<string[] | null> = [];
  const next: number[] = [];
  let out = '';
  const open = (value: object) => {
    if (Array.isArray(value)) {
      out += '[';
      keysOf.push(null);
    } else {
      out += '{';
      const keys = Object.keys(value);
      if (keys.length > 1) sortKeys(keys);
      keysOf.push(keys);
    }
    values.push(value);
    next.push(0);
  };
  open(top as object);
  let depth = 1;
  if (shape) shape.depth = 1;
  while (depth > 0) {
    const at = depth - 1;
    const container = values[at] as Record<string, unknown> & unknown[];
    const keys = keysOf[at];
    let i = next[at];
    let item: unknown;
    if (keys === null) {
      if (i >= container.length) {
        out += ']';
        values.pop();
        keysOf.pop();
        next.pop();
        depth -= 1;
        continue;
      }
      next[at] = i + 1;
      if (i > 0) out += ',';
      item = container[i];
      if (typeof item === 'string') {
        out += quote(item);
        continue;
      }
      if (typeof item === 'object' && item !== null && hasToJson(item)) {
        item = plain(item);
        if (shape) shape.unusual += 1;
      }
      const text = scalar(item);
      if (text === '') {
        if (depth >= maxDepth) return null;
        open(item as object);
        depth += 1;
        if (shape && depth > shape.depth) shape.depth = depth;
      } else out += text ?? 'null';
      continue;
    }
    let text: string | undefined;
    for (; i < keys.length; i += 1) {
      item = container[keys[i]];
      if (typeof item === 'string') {
        text = quote(item);
        break;
      }
      if (typeof item === 'object' && item !== null && hasToJson(item)) {
        item = plain(item);
        if (shape) shape.unusual += 1;
      }
      text = scalar(item);
      if (text !== undefined) break; // members JSON.stringify drops are skipped
      if (shape) {
        shape.hidden += keys[i].length + 12;
        if (!PLAIN.test(keys[i])) shape.unusual += 1;
      }
    }
    if (i >= keys.length) {
      out += '}';
      values.pop();
      keysOf.pop();
      next.pop();
      depth -= 1;
      continue;
    }
    out += next[at] === 0 ? quoteKey(keys[i]) : commaKey(keys[i]);
    next[at] = i + 1;
    if (text === '') {
      if (depth >= maxDepth) return null;
      open(item as object);
      depth += 1;
      if (shape && depth > shape.depth) shape.depth = depth;
    } else out += text;
  }
  return out;
};

export const sha256Hex = (text: string): string => digest('sha256', text, 'hex');

/** The hash chain link: sha256(prevChainHash || eventHash); the first link uses an empty previous hash. */
export const chainHash = (prevChainHash: string, eventHash: string): string => sha256Hex(prevChainHash + eventHash);
