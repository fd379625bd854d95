/**
 * Four projects: unit specs beside the code, integration (real Redis/PostgreSQL), e2e (real processes), and conformance
 * (`npm run test:conformance`: everything that reads ../shared; `*.conformance.spec.ts` and test/conformance). `npm test`
 * runs the first three and needs nothing beside the repository.
 */
const fs = require('fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
/**
 * @google-cloud/bigquery's HTTP layer (teeny-request) loads node-fetch 3 (ESM only) with a dynamic import(),
 * which Jest's CommonJS runtime refuses without --experimental-vm-modules. Under Jest only, that one file is
 * compiled to CommonJS and `node-fetch` resolves to the CommonJS node-fetch 2 already installed (same API);
 * the SDK runs unmodified and production (plain Node) keeps node-fetch 3.
 */
const dynamicImportToRequire = ['@swc/jest', { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, parser: { syntax: 'ecmascript', dynamicImport: true } } }];
/** jose 6 ships ESM only (plain Node 20.19+ requires it natively); under Jest it is compiled to CommonJS. */
const esmToCommonJs = ['@swc/jest', { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, parser: { syntax: 'ecmascript' } } }];
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }], '/node_modules/teeny-request/build/src/index\\.js$': dynamicImportToRequire, '/node_modules/jose/dist/.+\\.js$': esmToCommonJs };
const transformIgnorePatterns = ['/node_modules/(?!(teeny-request/build/src/index|jose/dist/.+)\\.js$)'];
const nodeFetch2 = require.resolve('node-fetch', { paths: [`${__dirname}/node_modules/jsforce`] });
const moduleNameMapper = {
  '^node-fetch$': nodeFetch2,
  '^@lineage-hub/connector-sdk/testing$': '<rootDir>/libs/connector-sdk/src/testing/index.ts',
  '^@lineage-hub/connector-(redshift|bigquery|snowflake|salesforce)/testing$': '<rootDir>/connectors/$1/src/testing/index.ts',
  '^@lineage-hub/sql-lineage/testing$': '<rootDir>/libs/sql-lineage/src/testing/index.ts',
  '^@lineage-hub/alerts/testing$': '<rootDir>/libs/alerts/src/testing/index.ts',
  '^@lineage-hub/reconcile/testing$': '<rootDir>/libs/reconcile/src/testing/index.ts',
  '^@lineage-hub/reconcile$': '<rootDir>/libs/reconcile/src/index.ts',
  '^@lineage-hub/connector-(redshift|bigquery|snowflake|salesforce)$': '<rootDir>/connectors/$1/src/index.ts',
  '^@lineage-hub/(model|common|store|graph|federation|sql-lineage|alerts|auth|connector-sdk)$': '<rootDir>/libs/$1/src/index.ts',
};
const base = { rootDir: __dirname, transform, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  // Per-project testTimeout is not a Jest 29 option; integration and e2e tests need the longer one.
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,connectors,helm,bench}/**/*.spec.ts', '<rootDir>/test/architecture/**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.conformance\\.spec\\.ts$'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/connectors/*/test/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    {
      ...base,
      displayName: 'conformance',
      testMatch: ['<rootDir>/{apps,libs,connectors,bench}/**/*.conformance.spec.ts', '<rootDir>/test/conformance/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};
