export * from './connector.contract';
export * from './connector-errors';
export * from './observed-events';
export * from './time-windows';
