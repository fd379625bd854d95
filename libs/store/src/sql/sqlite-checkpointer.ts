/**
 * WAL checkpoints off the event loop. SQLite checkpoints on COMMIT once the WAL holds `wal_autocheckpoint` pages:
 * the committing connection copies the WAL's pages into the database file and syncs it, synchronously, so with
 * better-sqlite3 the whole process (every HTTP request of a shard) waits for that I/O. A file store's writer raises
 * its threshold to WAL_AUTOCHECKPOINT_BYTES (raiseWriterThreshold) and this worker thread, with a connection of its own, runs a PASSIVE
 * checkpoint every CHECKPOINT_EVERY_MS instead (PASSIVE never blocks the writer nor readers). If the worker falls
 * behind or dies, the writer's own checkpoint at the raised threshold still bounds the WAL.
 *
 * Durability is not touched: a commit is durable when its WAL frames are synced (synchronous=FULL on the writer);
 * a checkpoint only moves committed pages into the database file, and syncs it (FULL on this connection too).
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** The writer's own checkpoint threshold (bytes of WAL pages) when a checkpointer runs. */
export const WAL_AUTOCHECKPOINT_BYTES = 64 * 1024 * 1024;

/** Sets the writer's `wal_autocheckpoint` to WAL_AUTOCHECKPOINT_BYTES in its file's own pages (a file keeps the page size it was created with). */
export const raiseWriterThreshold = (db: Database.Database): void => {
  db.pragma(`wal_autocheckpoint = ${Math.ceil(WAL_AUTOCHECKPOINT_BYTES / Number(db.pragma('page_size', { simple: true })))}`);
};

/** How often the checkpointer backfills the database file from the WAL (ms). */
export const CHECKPOINT_EVERY_MS = 100;

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or transient: the next tick tries again, and the writer's own threshold bounds the WAL meanwhile
  }
}, workerData.every);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, every = CHECKPOINT_EVERY_MS) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, every, driver: require.resolve('better-sqlite3') } });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // a failed worker leaves checkpoints to the writer's threshold; it must not take the process down
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Stops the timer and closes the worker's connection (before the writer closes, so the writer's close checkpoints last). */
  async close(): Promise<void> {
    this.worker.ref(); // an unref'd worker would not keep the process alive until its exit: close() must not be the last await
    this.worker.postMessage('close');
    await this.exited;
  }
}
