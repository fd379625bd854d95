export * from './fact-builders';
export * from './history-generator';
export * from './history-oracle';
