import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and applied by our own migrator to both PGlite and
// PostgreSQL (`drizzle-kit push` does not work on PGlite).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
  strict: true,
});
