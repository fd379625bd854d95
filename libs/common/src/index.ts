export * from './correlation';
export * from './json-logger';
export * from './load-config';
export * from './repo-paths';
export * from './shared-paths.config';
export * from './domain-error.filter';
export * from './metrics.module';
export * from './run-app';
