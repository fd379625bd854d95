/** Three projects: unit specs beside the code, integration (real Redis/PostgreSQL), e2e (real processes). */
const fs = require('fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] };
const moduleNameMapper = {
  '^@lineage-hub/connector-sdk/testkit$': '<rootDir>/libs/connector-sdk/src/testkit/index.ts',
  '^@lineage-hub/connector-(redshift|bigquery|snowflake|salesforce)$': '<rootDir>/connectors/$1/src/index.ts',
  '^@lineage-hub/(model|common|store|graph|federation|sql-lineage|alerts|connector-sdk)$': '<rootDir>/libs/$1/src/index.ts',
};
const base = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,connectors,helm,bench,scripts}/**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/connectors/*/test/**/*.test.ts'], testTimeout: 60000 },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], testTimeout: 120000 },
  ],
};
