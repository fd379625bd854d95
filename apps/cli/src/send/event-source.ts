/**
 * Where `lineage send` reads events: a file, every event file under a directory (sorted, recursive), or `-`
 * (stdin). A file holds one event, an array of events, or JSON lines; any of them may be gzip-compressed
 * (detected by its magic bytes, whatever the name).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import { gunzipSync } from 'zlib';
import { readAll, UsageError } from '../cli-io';

export interface EventFile {
  /** Absolute path, or `-` for stdin. */
  name: string;
  size: number;
  mtimeMs: number;
}

const EVENT_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;

export const listSources = (inputs: string[]): EventFile[] => {
  const out: EventFile[] = [];
  const visit = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new UsageError(`${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) visit(path.join(p, entry), false);
    } else if (explicit || EVENT_FILE.test(p)) out.push({ name: path.resolve(p), size: st.size, mtimeMs: st.mtimeMs });
  };
  for (const input of inputs) {
    if (input === '-') out.push({ name: '-', size: 0, mtimeMs: 0 });
    else visit(input, true);
  }
  return out;
};

const decode = (bytes: Buffer, name: string): string => {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch (e) {
      throw new UsageError(`${name}: not valid gzip (${(e as Error).message})`);
    }
  }
  return bytes.toString('utf8');
};

/** The events of one source, in order; a line or document that is not a JSON object is a usage error naming it. */
export const readEvents = async (source: EventFile, stdin: NodeJS.ReadableStream): Promise<unknown[]> => {
  const bytes = source.name === '-' ? Buffer.from(await readAll(stdin), 'utf8') : readFileSync(source.name);
  const text = decode(bytes, source.name).trim();
  if (!text) return [];
  if (text.startsWith('[') || (text.startsWith('{') && !/}\s*\n\s*{/.test(text))) {
    try {
      const doc = JSON.parse(text);
      const events = Array.isArray(doc) ? doc : [doc];
      const bad = events.findIndex((e) => !e || typeof e !== 'object' || Array.isArray(e));
      if (bad >= 0) throw new UsageError(`${source.name}: item ${bad} is not a JSON object`);
      return events;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (text.startsWith('[')) throw new UsageError(`${source.name}: not JSON: ${(e as Error).message}`);
    }
  }
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      const event = JSON.parse(line);
      if (!event || typeof event !== 'object' || Array.isArray(event)) throw new Error('not a JSON object');
      return [event];
    } catch (e) {
      throw new UsageError(`${source.name}:${i + 1}: not a JSON event: ${(e as Error).message}`);
    }
  });
};
