import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildStressFactorModel,
  StressModelError,
} from '../../../../src/domain/stress/factor-model.ts';
import type { StressFactorModel } from '../../../../src/domain/stress/factor-model.ts';
import { loadSamplePrices } from '../../../../src/market/providers/sample/load-sample-prices.ts';
import {
  loadStressReference,
  relativeError,
  syntheticSeries,
  type StressReference,
} from './reference-fixture.ts';

// Expected values come from test/reference/stress_reference.py (NumPy, augmented least squares
// for the ridge), run on the same bundled prices.
let dates: string[];
let closes: Map<string, Float64Array>;
let reference: StressReference;
const models = new Map<string, StressFactorModel>();

beforeAll(async () => {
  const set = await loadSamplePrices();
  dates = set.dates;
  closes = new Map([...set.closes, ...syntheticSeries(set.closes)]);
  reference = loadStressReference();
  for (const asOf of Object.keys(reference.as_of)) {
    models.set(
      asOf,
      buildStressFactorModel({
        dates,
        closes,
        asOf,
        symbols: [...Object.keys(reference.as_of[asOf]!.betas), 'JPM_TOO_SHORT', 'NVDA_SHORT'],
      }),
    );
  }
});

describe.each(['2026-07-31', '2020-02-19'])('stress factor model as of %s', (asOf) => {
  it('builds Σ, the sample covariance of the 8 factor series (styles − SPY), exactly as NumPy does (1e-12 relative)', () => {
    const model = models.get(asOf)!;
    const expected = reference.as_of[asOf]!;
    expect(model.priceDate).toBe(expected.price_date);
    expect(model.covarianceObservations).toBe(expected.covariance_observations);
    expect([model.covarianceWindow.start, model.covarianceWindow.end]).toEqual(
      expected.covariance_window,
    );
    expect(model.etfs).toEqual(['SPY', 'VTV', 'VUG', 'MTUM', 'QUAL', 'IWM', 'USMV', 'TLT']);
    let worst = 0;
    expected.covariance.forEach((row, i) =>
      row.forEach((value, j) => {
        worst = Math.max(worst, relativeError(model.covariance[i * 8 + j] as number, value));
      }),
    );
    expect(worst).toBeLessThan(1e-12);
  });

  it('fits ridge betas, intercepts and R² that match NumPy to 1e-8 relative', () => {
    const model = models.get(asOf)!;
    const expected = reference.as_of[asOf]!.betas;
    let worst = 0;
    for (const [symbol, ref] of Object.entries(expected)) {
      const fit = model.betas.get(symbol);
      expect(fit, symbol).toBeDefined();
      expect(fit!.observations, symbol).toBe(ref.observations);
      expect([fit!.windowStart, fit!.windowEnd], symbol).toEqual([
        ref.window_start,
        ref.window_end,
      ]);
      expect(fit!.clamped).toBe(false);
      ref.betas.forEach((beta, j) => {
        worst = Math.max(worst, relativeError(fit!.betas[j] as number, beta));
      });
      worst = Math.max(worst, relativeError(fit!.intercept, ref.intercept));
      worst = Math.max(worst, relativeError(fit!.rSquared, ref.r_squared));
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it('reports symbols with fewer than 60 joined returns as insufficient_history, not zero', () => {
    const model = models.get(asOf)!;
    for (const [symbol, observations] of Object.entries(reference.as_of[asOf]!.insufficient)) {
      expect(model.betas.has(symbol), symbol).toBe(false);
      expect(model.unavailable.get(symbol)).toEqual({
        symbol,
        reason: 'insufficient_history',
        observations,
      });
    }
  });
});

describe('stress factor model windows', () => {
  it('gives a symbol with missing closes a window reaching further back (252 joined returns)', () => {
    const fit = models.get('2026-07-31')!.betas.get('AAPL_GAPPY')!;
    expect(fit.observations).toBe(252);
    expect(fit.windowStart < models.get('2026-07-31')!.covarianceWindow.start).toBe(true);
  });

  it('fits a young symbol on the returns it has when there are at least 60', () => {
    expect(models.get('2026-07-31')!.betas.get('NVDA_SHORT')!.observations).toBe(79);
  });

  it('ends the windows at the last session on or before a non-trading as-of date', () => {
    // 2020-02-22 is a Saturday; the model must equal the one as of Friday 2020-02-21.
    const weekend = buildStressFactorModel({ dates, closes, asOf: '2020-02-22', symbols: ['SPY'] });
    const friday = buildStressFactorModel({ dates, closes, asOf: '2020-02-21', symbols: ['SPY'] });
    expect(weekend.asOf).toBe('2020-02-22');
    expect(weekend.priceDate).toBe('2020-02-21');
    expect([...weekend.covariance]).toEqual([...friday.covariance]);
    expect([...weekend.betas.get('SPY')!.betas]).toEqual([...friday.betas.get('SPY')!.betas]);
  });

  it('fits every bundled symbol in one call and reports unknown symbols as no_prices', () => {
    const model = buildStressFactorModel({
      dates,
      closes,
      asOf: '2026-07-31',
      symbols: [...closes.keys(), 'NOT_A_SYMBOL'],
    });
    expect(model.betas.size).toBe(closes.size - 1); // all but JPM_TOO_SHORT
    expect(model.unavailable.get('NOT_A_SYMBOL')?.reason).toBe('no_prices');
    for (const fit of model.betas.values()) expect(fit.betas.every(Number.isFinite)).toBe(true);
  });

  it('refuses an as-of date before the factor ETFs have 60 returns', () => {
    expect(() => buildStressFactorModel({ dates, closes, asOf: '2018-08-01' })).toThrow(
      StressModelError,
    );
    expect(() => buildStressFactorModel({ dates, closes, asOf: '2010-01-01' })).toThrow(
      StressModelError,
    );
  });

  it('clamps betas to ±5 and flags the clamp (a synthetic 8× leveraged SPY)', () => {
    const spy = closes.get('SPY')!;
    const lev = new Float64Array(spy.length);
    lev[0] = 100;
    for (let t = 1; t < spy.length; t++) {
      lev[t] = (lev[t - 1] as number) * (1 + 8 * ((spy[t] as number) / (spy[t - 1] as number) - 1));
    }
    const model = buildStressFactorModel({
      dates,
      closes: new Map([...closes, ['SPY8X', lev]]),
      asOf: '2026-07-31',
      symbols: ['SPY8X'],
    });
    const fit = model.betas.get('SPY8X')!;
    expect(fit.clamped).toBe(true);
    expect(fit.betas[0]).toBe(5);
  });
});
