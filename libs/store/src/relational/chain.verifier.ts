/** Walks the hash chain of raw events from the first to the head (see the port: verifyChain). */
import { chainHash, sha256Hex } from '../derive/canonical-json';
import type { ChainVerification } from '../lineage-store.port';
import type { SqlExecutor } from '../sql/sql-driver';
import type { Row } from './row-codec';

export async function verifyChain(db: SqlExecutor): Promise<ChainVerification> {
  let checked = 0;
  let expectedSeq = 1;
  let prev = '';
  const fail = (brokenAt: number, reason: string): ChainVerification => ({ ok: false, checked, brokenAt, reason });
  for (;;) {
    const rows = await db.query<Row>(
      'SELECT seq, event_hash, prev_chain_hash, chain_hash, payload FROM events WHERE seq >= ? ORDER BY seq LIMIT 2000',
      [expectedSeq],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return fail(expectedSeq, `event ${expectedSeq} is missing`);
      if (sha256Hex(row.payload) !== row.event_hash) return fail(seq, `event ${seq}: payload does not match its hash`);
      if (row.prev_chain_hash !== prev) return fail(seq, `event ${seq}: link to the previous event is broken`);
      if (chainHash(prev, row.event_hash) !== row.chain_hash) return fail(seq, `event ${seq}: chain hash does not match`);
      prev = row.chain_hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < 2000) break;
  }
  const [head] = await db.query<Row>('SELECT seq, chain_hash FROM chain_head WHERE id = 1');
  const headSeq = Number(head.seq);
  if (headSeq !== checked) return fail(checked + 1, `chain head is at event ${headSeq} but the chain ends at ${checked}`);
  if (head.chain_hash !== prev) return fail(checked, 'chain head hash does not match the last event');
  return { ok: true, checked };
}
