import { expect, it } from 'vitest';
import { percentOfNav } from '../../../../src/domain/stress/percent-of-nav.ts';

it('gives percentage points of NAV to 4 decimals, and null without a positive NAV', () => {
  expect(percentOfNav(-1_701_114.77, 20_000_000)).toBe(-8.5056);
  expect(percentOfNav(1, 3)).toBe(33.3333);
  expect(percentOfNav(-2, 3)).toBe(-66.6667);
  expect(percentOfNav(0, 1_000)).toBe(0);
  expect(percentOfNav(100, 0)).toBeNull();
  expect(percentOfNav(100, -5)).toBeNull();
  expect(percentOfNav(100, NaN)).toBeNull();
});
