import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/node_modules/**', 'data/**', 'bin/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../../../*'], message: 'use a path alias (@lineage-hub/...)' },
      ] }],
    },
  },
  {
    files: ['libs/model/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', '@lineage-hub/*'], message: 'libs/model is plain TypeScript and depends on nothing in the project' }] }] },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/model/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@lineage-hub/connector-redshift', '@lineage-hub/connector-bigquery', '@lineage-hub/connector-snowflake', '@lineage-hub/connector-salesforce', '**/apps/**'], message: 'libs never import apps or connectors' }] }] },
  },
  {
    files: ['connectors/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@lineage-hub/store', '@lineage-hub/graph', '@lineage-hub/federation', '@lineage-hub/alerts', '@nestjs/*', '**/apps/**'], message: 'connectors depend on libs/connector-sdk and libs/model only' }] }] },
  },
);
