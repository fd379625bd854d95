export * from './lineage-store.port';
export { createStore, parseStoreUrl, type ParsedStoreUrl } from './store.factory';
export { SqliteLineageStore } from './sqlite-lineage.store';
export { PostgresLineageStore } from './postgres-lineage.store';
export { canonicalJson, sha256Hex, chainHash } from './derive/canonical-json';
export { computeOwnerEdges, type OwnerEdges } from './derive/edge-intervals';
export { deriveEvent, schemaVersionId, type EventFacts } from './derive/event-derivation';
export { compareStates, isTerminal, mergeRunFacts, type RunFact, type ColumnDecl } from './derive/run-state';
export { MIGRATIONS } from './migrations/schema.migrations';
