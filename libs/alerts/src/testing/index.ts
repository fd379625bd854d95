export * from './fake-receivers.server';
export * from './alertmanager.process';
export * from './alert.fixture';
