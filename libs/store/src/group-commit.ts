/**
 * Group commit for ingest: calls that arrive while a commit is running wait, and then go together in one commit
 * (one transaction, one sync), so N concurrent single-event producers cost about one transaction per round trip
 * instead of N. Each caller still resolves only after the commit that holds its events is durable, with its own
 * outcomes; the group's graph delta is returned to every caller of the group (applying it is idempotent: an owner's
 * edge group is replaced wholesale).
 *
 * Before each group is formed the drain gives the event loop one turn (setImmediate): requests whose bytes arrived
 * while the previous commit ran (a SQLite COMMIT syncs the WAL synchronously, holding the loop) are parsed and
 * validated in that turn and join this group, instead of the first of them starting a group of one and the rest
 * waiting a whole commit for the next. A lone producer pays one loop turn.
 *
 * A refusal that names an event (a DomainError with `details.index`, see relational/ingest-limits.ts) rejects only
 * that event's caller, the rest of the group is committed again without it; any other failure of a group is
 * retried caller by caller, so each caller gets its own answer and no caller fails for another's event.
 */
import { DomainError, LIMITS } from '@lineage-hub/model';
import type { IngestInput, IngestResult } from './lineage-store.port';

interface Waiting {
  batch: IngestInput[];
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

const indexOf = (error: unknown): number | undefined => {
  if (!(error instanceof DomainError)) return undefined;
  const index = (error.details as { index?: unknown } | undefined)?.index;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
};

const rebased = (error: DomainError, index: number): DomainError =>
  new DomainError(error.code, error.message, error.field, { ...(error.details as object), index });

/** Commits and events since start (their ratio is the mean group size; the shard exports both as metrics). */
export interface GroupCommitStats {
  commits: number;
  events: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private readonly counted: GroupCommitStats = { commits: 0, events: 0 };

  constructor(
    /** Commits one batch (a store's ingest, or a shard's ingest-and-index step). */
    private readonly commit: (batch: IngestInput[]) => Promise<IngestResult>,
    /** Events per commit at most (whole callers: one caller's batch is never split). */
    private readonly maxEvents: number = LIMITS.eventsPerBatch,
  ) {}

  stats(): GroupCommitStats {
    return { ...this.counted };
  }

  private count(events: number): void {
    this.counted.commits += 1;
    this.counted.events += events;
  }

  submit(batch: IngestInput[]): Promise<IngestResult> {
    return new Promise<IngestResult>((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        await nextTurn();
        const group: Waiting[] = [this.waiting.shift()!];
        let events = group[0].batch.length;
        while (this.waiting.length > 0 && events + this.waiting[0].batch.length <= this.maxEvents) {
          const next = this.waiting.shift()!;
          group.push(next);
          events += next.batch.length;
        }
        await this.commitGroup(group);
      }
    } finally {
      this.running = false;
    }
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    let members = group;
    for (;;) {
      const all = members.length === 1 ? members[0].batch : members.flatMap((w) => w.batch);
      try {
        const result = await this.commit(all);
        this.count(all.length);
        let offset = 0;
        for (const w of members) {
          w.resolve({ outcomes: result.outcomes.slice(offset, offset + w.batch.length), delta: result.delta });
          offset += w.batch.length;
        }
        return;
      } catch (error) {
        if (members.length === 1) {
          members[0].reject(error);
          return;
        }
        const index = indexOf(error);
        if (index === undefined) {
          await this.oneByOne(members);
          return;
        }
        let offset = 0;
        const culprit = members.find((w) => {
          const inside = index >= offset && index < offset + w.batch.length;
          if (!inside) offset += w.batch.length;
          return inside;
        });
        if (!culprit) {
          await this.oneByOne(members);
          return;
        }
        culprit.reject(rebased(error as DomainError, index - offset));
        members = members.filter((w) => w !== culprit);
      }
    }
  }

  private async oneByOne(members: Waiting[]): Promise<void> {
    for (const w of members) {
      await this.commit(w.batch).then((result) => {
        this.count(w.batch.length);
        w.resolve(result);
      }, w.reject);
    }
  }
}
