export * from './fact-builders';
