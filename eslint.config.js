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
