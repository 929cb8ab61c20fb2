import { describe, expect, it } from 'vitest';
import { aggregateFactorExposures } from '../../../../src/domain/portfolio-factors/aggregate-factor-exposures.ts';

describe('aggregateFactorExposures (SPEC §3.2)', () => {
  it('weights betas by signed exposure over equity, delta-adjusts options and excludes private assets', () => {
    const betas = new Map([
      [
        'AAPL',
        new Map([
          ['Market Beta (90D)', 1.2],
          ['Size', -0.3],
        ]),
      ],
      [
        'XOM',
        new Map([
          ['Market Beta (90D)', 0.8],
          ['Size', 0.1],
        ]),
      ],
    ]);
    const r = aggregateFactorExposures({
      equity: 100_000,
      factorNames: ['Market Beta (90D)', 'Size'],
      symbolBetas: betas,
      positions: [
        { positionId: 'a', symbol: 'AAPL', kind: 'public', exposure: 50_000, betaSymbol: 'AAPL' },
        { positionId: 'x', symbol: 'XOM', kind: 'public', exposure: -20_000, betaSymbol: 'XOM' },
        // A call with delta 0.5 on 2 contracts of AAPL at 200: 0.5 × 100 × 2 × 200 = 20,000.
        {
          positionId: 'c',
          symbol: 'AAPL270115C00200000',
          kind: 'option',
          exposure: 20_000,
          betaSymbol: 'AAPL',
        },
        {
          positionId: 'p',
          symbol: 'FO_ART',
          kind: 'private',
          exposure: 30_000,
          betaSymbol: 'FO_ART',
        },
        { positionId: 'u', symbol: 'ZZZZ', kind: 'public', exposure: 5_000, betaSymbol: 'ZZZZ' },
      ],
    });
    // Market: 0.5·1.2 − 0.2·0.8 + 0.2·1.2 = 0.6 − 0.16 + 0.24 = 0.68
    expect(r.betas.get('Market Beta (90D)')).toBeCloseTo(0.68, 12);
    // Size: 0.5·(−0.3) − 0.2·0.1 + 0.2·(−0.3) = −0.15 − 0.02 − 0.06 = −0.23
    expect(r.betas.get('Size')).toBeCloseTo(-0.23, 12);
    expect(r.dollars.get('Market Beta (90D)')).toBeCloseTo(68_000, 6);
    expect(r.excluded).toEqual([
      { positionId: 'p', symbol: 'FO_ART', reason: 'private_asset' },
      { positionId: 'u', symbol: 'ZZZZ', reason: 'no_factor_data' },
    ]);
    expect(
      r.positions.find((p) => p.positionId === 'x')!.contributions.get('Market Beta (90D)'),
    ).toBeCloseTo(-0.16, 12);
  });
});
