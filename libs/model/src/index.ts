export * from './errors';
export * from './node-id';
export * from './lineage.types';
export * from './naming';
