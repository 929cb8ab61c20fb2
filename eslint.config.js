import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'data/**',
      'src/db/migrations/**',
      'coverage/**',
      '.tmp/**',
      'web/dist/**',
      'web/src/api/schema.d.ts',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // domain/ is pure: no I/O, and nothing of ours outside domain/.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs',
                'node:fs/*',
                'fs',
                'node:net',
                'node:http',
                'pg',
                '@electric-sql/*',
                'drizzle-orm',
                'drizzle-orm/*',
              ],
              message: 'domain/ must stay free of I/O',
            },
            {
              group: [
                '../db/*',
                '../market/*',
                '../pipeline/*',
                '../api/*',
                '../jobs/*',
                '../cli/*',
                '../../db/*',
                '../../market/*',
                '../../pipeline/*',
                '../../api/*',
                '../../jobs/*',
                '../../cli/*',
              ],
              message: 'domain/ imports nothing of ours outside domain/',
            },
          ],
        },
      ],
    },
  },
  {
    // Services read through repositories and public pipeline entries, never a batch's internals.
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pipeline/**/phase-*', '**/pipeline/**/build-*'],
              message: "services must not import a pipeline's phase or build internals",
            },
          ],
        },
      ],
    },
  },
  {
    // Routes are thin: parse, check ownership, call a service. SQL stays behind services.
    files: ['src/api/routes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/repositories/*'],
              message: 'routes call services; repositories are theirs',
            },
          ],
        },
      ],
    },
  },
  {
    // The web app runs in the browser; hooks follow React's rules.
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
