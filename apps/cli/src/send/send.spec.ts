import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import { gzipSync } from 'zlib';
import { readBatchAnswer } from './batch-answer';
import { listSources, readEvents } from './event-source';
import { SendState } from './send-state';

const dir = mkdtempSync(path.join(tmpdir(), 'lineage-send-'));
const stdin = () => {
  const s = new PassThrough();
  s.end('');
  return s;
};

describe('lineage send: reading events', () => {
  it('reads one event, an array, JSON lines and gzip (by magic bytes), directories sorted', async () => {
    const sub = path.join(dir, 'events');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'b.json'), JSON.stringify([{ n: 2 }, { n: 3 }]));
    writeFileSync(path.join(sub, 'a.json'), JSON.stringify({ n: 1 }));
    writeFileSync(path.join(sub, 'c.jsonl'), '{"n":4}\n\n{"n":5}\n');
    writeFileSync(path.join(sub, 'd.json.gz'), gzipSync('{"n":6}\n{"n":7}\n'));
    writeFileSync(path.join(sub, 'notes.txt'), 'not events');
    const sources = listSources([sub]);
    expect(sources.map((s) => path.basename(s.name))).toEqual(['a.json', 'b.json', 'c.jsonl', 'd.json.gz']);
    const all = [];
    for (const s of sources) all.push(...(await readEvents(s, stdin())));
    expect(all.map((e: any) => e.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('names the file and line of a broken event, and a missing input', async () => {
    const file = path.join(dir, 'broken.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":\n');
    await expect(readEvents(listSources([file])[0], stdin())).rejects.toThrow(/broken.jsonl:2: not a JSON event/);
    expect(() => listSources([path.join(dir, 'missing.json')])).toThrow(/missing.json: cannot read \(ENOENT\)/);
  });
});

describe('lineage send: resume state', () => {
  it('remembers acknowledged events per file and starts over when the file changed', () => {
    const file = path.join(dir, 'state-events.json');
    writeFileSync(file, '[]');
    const stateFile = path.join(dir, 'state.json');
    const [source] = listSources([file]);
    new SendState(stateFile).record(source, 500);
    expect(new SendState(stateFile).acked(source)).toBe(500);
    expect(new SendState(stateFile, true).acked(source)).toBe(0);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(new SendState(stateFile).acked(listSources([file])[0])).toBe(0);
  });

  it('refuses a state file it did not write', () => {
    const stateFile = path.join(dir, 'other.json');
    writeFileSync(stateFile, '{"hello": 1}');
    expect(() => new SendState(stateFile)).toThrow(/not a lineage send state file; remove it or pass --restart/);
  });
});

describe('lineage send: batch answers', () => {
  it('an error answer fails every event of the batch, with its message', () => {
    expect(readBatchAnswer({ error: 'invalid-argument', message: 'no namespace', field: '[1]' }, 2).failures).toEqual([
      { index: 0, reason: 'batch refused: no namespace (field [1])', retriable: false },
      { index: 1, reason: 'batch refused: no namespace (field [1])', retriable: false },
    ]);
  });

  it('reads the OpenLineage spec shape and the earlier one', () => {
    expect(readBatchAnswer({ status: 'partial_success', summary: { received: 3, successful: 2, failed: 1, retriable: 0, non_retriable: 1 }, failed_events: [{ index: 1, reason: 'run.runId: required', retriable: false }] }, 3)).toEqual({
      stored: 2,
      duplicates: 0,
      failures: [{ index: 1, reason: 'run.runId: required', retriable: false }],
    });
    expect(readBatchAnswer({ status: 'PARTIAL', successful: 1, duplicates: 1, failed: 1, failedEvents: [{ index: 2, reason: 'bad', field: 'eventTime' }] }, 3)).toEqual({
      stored: 1,
      duplicates: 1,
      failures: [{ index: 2, reason: 'bad (field eventTime)', retriable: false }],
    });
  });
});
