import { DrizzleQueryError } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { listSymbols, runErrorMessage, symbolSetKey } from '../../../src/pipeline/run-messages.ts';

it('a database error becomes its reason and table, without the statement or its parameters', () => {
  const symbols = Array.from({ length: 3000 }, (_, i) => `SYM${i}`);
  const error = new DrizzleQueryError(
    'INSERT INTO batch_runs (id, job_type, scope, scope_key) VALUES ($1, $2, $3, $4)',
    ['id', 'symbol_batch', JSON.stringify({ symbols }), symbols.join(',')],
    new Error('index row size 3536 exceeds btree version 4 maximum 2704'),
  );
  expect(runErrorMessage(error)).toBe(
    'database error on batch_runs: index row size 3536 exceeds btree version 4 maximum 2704',
  );
  expect(runErrorMessage(new Error('x'.repeat(5000))).length).toBe(1000);
});

it('symbol sets get a bounded key that does not depend on order', () => {
  const many = Array.from({ length: 5000 }, (_, i) => `SYM${i}`);
  expect(symbolSetKey(many).length).toBeLessThan(60);
  expect(symbolSetKey(['B', 'A'])).toBe(symbolSetKey(['A', 'B']));
  expect(symbolSetKey(['A'])).not.toBe(symbolSetKey(['A', 'B']));
  expect(listSymbols(many, 2)).toBe('SYM0, SYM1 … and 4998 more');
});
