import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  API_SCHEMA_TYPES_FILE,
  generateApiSchemaTypes,
} from '../../../../scripts/generate-api-types.ts';

/**
 * The web app's API types are generated from the OpenAPI document the routes' zod schemas
 * build. A route change without `npm run generate:api` fails here, so the UI cannot drift from
 * the API unnoticed.
 */
describe('web/src/api/schema.d.ts', () => {
  it('matches a fresh generation from the OpenAPI document (run `npm run generate:api`)', async () => {
    const fresh = await generateApiSchemaTypes();
    const checkedIn = readFileSync(API_SCHEMA_TYPES_FILE, 'utf8');
    // Compare line counts first for a readable failure; then the whole text.
    expect(checkedIn.split('\n').length).toBe(fresh.split('\n').length);
    expect(checkedIn === fresh, 'schema.d.ts is stale: run `npm run generate:api`').toBe(true);
  });
});
