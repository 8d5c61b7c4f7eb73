// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'src/infra/db/generated/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Dependencies point down only: business modules never reach infra, http or adapters.
    files: ['src/{shared,catalog,search,recommendations,cart,checkout,orders,promotions,marketing,analytics,customers,auth,conversation,jobs}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/infra/**', '**/http/**', '**/adapters/**'], message: 'Modules depend on ports; src/infra implements them (see ARCHITECTURE.md).' },
            { group: ['@prisma/*', 'stripe', 'openai', 'ioredis', 'bullmq', 'pg', 'better-sqlite3'], message: 'Only src/infra may import infrastructure clients.' },
          ],
        },
      ],
    },
  },
  {
    files: ['adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/infra/**', '@prisma/*', 'stripe', 'openai'], message: 'Adapters talk to the conversation engine, never to infra.' }] },
      ],
    },
  },
  {
    // Tests read JSON answers loosely; asserting on them is the point.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The web chat page's script runs in the browser as it is (no build step).
    files: ['adapters/web/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      sourceType: 'module',
      globals: { document: 'readonly', localStorage: 'readonly', fetch: 'readonly', navigator: 'readonly', location: 'readonly', crypto: 'readonly', URLSearchParams: 'readonly', Node: 'readonly' },
    },
  },
);
