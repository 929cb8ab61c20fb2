import { describe, expect, it } from 'vitest';
import { FACTOR_ETFS } from '../../../../src/domain/factors/factor-definitions.ts';
import { STRESS_FACTOR_ETFS } from '../../../../src/domain/stress/stress-factors.ts';

describe('the stress factors', () => {
  it('are all priced by the nightly symbol batch (its universe always holds FACTOR_ETFS)', () => {
    const missing = Object.values(STRESS_FACTOR_ETFS).filter((etf) => !FACTOR_ETFS.includes(etf));
    expect(missing).toEqual([]);
    expect(Object.keys(STRESS_FACTOR_ETFS)).toHaveLength(8);
  });
});
