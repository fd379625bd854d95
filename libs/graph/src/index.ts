export * from './traversal.types';
export * from './lineage-index';
