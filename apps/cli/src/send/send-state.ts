/**
 * What `lineage send` has had acknowledged, per source file, so an interrupted send resumes where it stopped:
 * `{version: 1, files: {path: {size, mtimeMs, acked}}}`, written atomically (temp file + rename) after every
 * acknowledged batch. A file whose size or mtime changed starts again from its first event.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { UsageError } from '../cli-io';
import type { EventFile } from './event-source';

interface FileState {
  size: number;
  mtimeMs: number;
  acked: number;
}

export class SendState {
  private files: Record<string, FileState> = {};

  /** `fresh`: ignore what the file holds (it is overwritten as batches are acknowledged). */
  constructor(
    private readonly file: string | undefined,
    fresh = false,
  ) {
    if (!file || fresh || !existsSync(file)) return;
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      if (doc?.version === 1 && doc.files && typeof doc.files === 'object') this.files = doc.files;
      else throw new Error('not a lineage send state file');
    } catch (e) {
      throw new UsageError(`--state ${file}: ${(e as Error).message}; remove it or pass --restart`);
    }
  }

  /** Events of `source` already acknowledged (0 for stdin, a changed file or no state). */
  acked(source: EventFile): number {
    const s = this.files[source.name];
    return source.name !== '-' && s && s.size === source.size && s.mtimeMs === source.mtimeMs ? s.acked : 0;
  }

  record(source: EventFile, acked: number): void {
    if (!this.file || source.name === '-') return;
    this.files[source.name] = { size: source.size, mtimeMs: source.mtimeMs, acked };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, files: this.files }));
    renameSync(tmp, this.file);
  }
}
