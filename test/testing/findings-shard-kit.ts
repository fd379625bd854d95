/**
 * One domain's findings shard over a generated history (libs/reconcile/testing): a store (an SQLite file, or a
 * temporary PostgreSQL database) with the history loaded, and the shard's FindingsEvaluator over it.
 */
import path from 'node:path';
import { MetricsService } from '@lineage-hub/common';
import { reconcileConfig, type HistoryFacts } from '@lineage-hub/reconcile';
import type { GeneratedHistory } from '@lineage-hub/reconcile/testing';
import { createStore, type LineageStore } from '@lineage-hub/store';
import { FindingsEvaluator } from '../../apps/shard/src/findings/findings-evaluator.service';
import { FindingsMetrics } from '../../apps/shard/src/findings/findings-metrics.service';
import { loadHistory } from './findings-history-loader';
import { createTempDatabase } from './shard-test-kit';

const HISTORY_MS = 35 * 86_400_000;

/** `name` names the SQLite file's folder under `dir` and the PostgreSQL database; closing and dropping go first into `cleanups`. */
export const historyShard = async (
  kind: 'sqlite' | 'postgres',
  dir: string,
  name: string,
  facts: HistoryFacts,
  actors: GeneratedHistory['actors'],
  cleanups: Array<() => Promise<void>>,
): Promise<{ store: LineageStore; evaluator: FindingsEvaluator }> => {
  let url = `sqlite:${path.join(dir, name, 'lineage.db')}`;
  if (kind === 'postgres') {
    const db = await createTempDatabase(`findings_${name}`);
    cleanups.push(() => db.drop());
    url = db.url;
  }
  const store = await createStore(url);
  await store.migrate();
  cleanups.unshift(() => store.close());
  await loadHistory(store, facts);
  return { store, evaluator: domainEvaluator(store, facts.domain, actors) };
};

/** The shard's FindingsEvaluator for `domain` over `store`: 35 days of history, no interval, no policy file. */
export const domainEvaluator = (store: LineageStore, domain: string, actors: GeneratedHistory['actors'] = {}): FindingsEvaluator =>
  new FindingsEvaluator(store, { domain, rules: reconcileConfig({ actors }), historyMs: HISTORY_MS, intervalMs: 0, filePolicies: null }, new FindingsMetrics(new MetricsService()));
