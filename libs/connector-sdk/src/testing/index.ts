export * from './fake-http-server';
export * from './test-context';
export * from './connector-conformance';
