export * from './errors';
export * from './node-id';
export * from './lineage.types';
export * from './naming';
export * from './openlineage.types';
export * from './openlineage-canonicalizer';
export * from './openlineage-validator';
