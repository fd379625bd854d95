/**
 * Test support of libs/sql-lineage (`@lineage-hub/sql-lineage/testing`): scoring against the shared corpus (found
 * through libs/common's sharedDir), the hand-written case format, and where both live. Used by the specs, the
 * conformance suite and `npm run bench:sql`; never exported from the production barrel.
 */
export { scoreCase, scoreCorpus, caseRequest, edgeSet, rate, type ConformanceCase, type CaseScore, type CorpusScore, type Tally } from './conformance-score';
export { loadConformanceCases, handWrittenCasesDir } from './conformance-corpus.config';
export { compareHandWritten, handWrittenRequest, type HandWrittenCase } from './test-case-format';
