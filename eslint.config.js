import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'src/db/migrations/**', 'coverage/**', '.tmp/**'] },
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
);
