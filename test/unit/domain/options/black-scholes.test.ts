import { describe, expect, it } from 'vitest';
import { blackScholes } from '../../../../src/domain/options/black-scholes.ts';

describe('blackScholes', () => {
  // Hull, Options, Futures and Other Derivatives, Example 15.6: S=42, K=40, r=10%, σ=20%, T=0.5.
  const textbook = { spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 };

  it('reproduces the textbook case: call 4.76, put 0.81', () => {
    const call = blackScholes({ kind: 'CALL', ...textbook });
    const put = blackScholes({ kind: 'PUT', ...textbook });
    expect(call.price.toFixed(2)).toBe('4.76');
    expect(put.price.toFixed(2)).toBe('0.81');
    // Hull's intermediate values: d1 = 0.7693, d2 = 0.6278 → N(d1) = 0.7791.
    expect(call.delta).toBeCloseTo(0.7791, 4);
    expect(put.delta).toBeCloseTo(0.7791 - 1, 4);
  });

  it('satisfies put–call parity: C − P = S − K e^{−rT}', () => {
    const call = blackScholes({ kind: 'CALL', ...textbook });
    const put = blackScholes({ kind: 'PUT', ...textbook });
    expect(call.price - put.price).toBeCloseTo(42 - 40 * Math.exp(-0.05), 12);
  });

  it('gives Greeks that agree with finite differences of the price', () => {
    const h = 1e-4;
    const base = blackScholes({ kind: 'CALL', ...textbook });
    const up = blackScholes({ kind: 'CALL', ...textbook, spot: 42 + h });
    const down = blackScholes({ kind: 'CALL', ...textbook, spot: 42 - h });
    expect(base.delta).toBeCloseTo((up.price - down.price) / (2 * h), 6);
    expect(base.gamma).toBeCloseTo((up.price - 2 * base.price + down.price) / (h * h), 4);
    const volUp = blackScholes({ kind: 'CALL', ...textbook, volatility: 0.2 + h });
    const volDown = blackScholes({ kind: 'CALL', ...textbook, volatility: 0.2 - h });
    expect(base.vega).toBeCloseTo((volUp.price - volDown.price) / (2 * h) / 100, 6);
    const dayLater = blackScholes({ kind: 'CALL', ...textbook, years: 0.5 - 1 / 365 });
    expect(base.theta).toBeCloseTo(dayLater.price - base.price, 3);
    expect(base.theta).toBeLessThan(0);
  });

  it('is worth intrinsic value at expiry', () => {
    expect(blackScholes({ kind: 'CALL', ...textbook, years: 0 })).toMatchObject({
      price: 2,
      delta: 1,
      gamma: 0,
      vega: 0,
    });
    expect(blackScholes({ kind: 'PUT', ...textbook, years: 0 })).toMatchObject({
      price: 0,
      delta: 0,
    });
    expect(blackScholes({ kind: 'PUT', ...textbook, spot: 35, years: -0.1 }).price).toBe(5);
  });

  it('rejects impossible inputs instead of returning NaN', () => {
    expect(() => blackScholes({ kind: 'CALL', ...textbook, spot: 0 })).toThrow(RangeError);
    expect(() => blackScholes({ kind: 'CALL', ...textbook, strike: -1 })).toThrow(RangeError);
  });
});
