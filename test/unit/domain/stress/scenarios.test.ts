import { describe, expect, it } from 'vitest';
import {
  findScenario,
  movesFromShocks,
  movesFromWindow,
  resolveScenario,
  severityOfMoves,
  STRESS_SCENARIOS,
  type StressScenario,
} from '../../../../src/domain/stress/scenarios.ts';
import {
  DEFAULT_TLT_DURATION,
  factorSeriesLabel,
  factorValuesFromEtfValues,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  tltReturnToYieldChange,
  yieldChangeToTltReturn,
} from '../../../../src/domain/stress/stress-factors.ts';

// SPEC §6, typed in again from the tables so a slip in scenarios.ts cannot check itself.
const HYPOTHETICAL: Record<string, Record<string, number>> = {
  market_up_5: { Market: 0.05 },
  market_down_5: { Market: -0.05 },
  market_up_10: { Market: 0.1 },
  market_down_10: { Market: -0.1 },
  market_rally_25: { Market: 0.25 },
  market_crash_35: { Market: -0.35 },
  rates_up_25bp: { Rates: 0.0025 },
  rates_down_25bp: { Rates: -0.0025 },
  rates_up_50bp: { Rates: 0.005 },
  rates_down_50bp: { Rates: -0.005 },
  rates_up_100bp: { Rates: 0.01 },
  rates_down_100bp: { Rates: -0.01 },
  rate_spike_300bp: { Rates: 0.03 },
  value_rotation_20: { Value: 0.1, Growth: -0.1 },
  growth_rally_15: { Growth: 0.15, Momentum: 0.1 },
  small_cap_outperformance_10: { Size: 0.1 },
  quality_flight_12: { Market: -0.05, Quality: 0.12 },
  vix_spike_150: { Market: -0.15 },
  liquidity_crisis: { Market: -0.2, Size: -0.1, Quality: 0.15 },
};
const REPLAYS: Record<string, { start: string; end: string }> = {
  financial_crisis_2008: { start: '2008-09-15', end: '2009-03-13' },
  covid_crash_2020: { start: '2020-02-19', end: '2020-03-23' },
  dotcom_crash_2000: { start: '2000-03-10', end: '2002-10-09' },
};

describe('stress scenarios (SPEC §6)', () => {
  it('defines exactly the 22 SPEC scenario ids, each once', () => {
    const ids = STRESS_SCENARIOS.map((s) => s.id);
    expect(ids).toHaveLength(22);
    expect(new Set(ids).size).toBe(22);
    expect([...ids].sort()).toEqual([...Object.keys(HYPOTHETICAL), ...Object.keys(REPLAYS)].sort());
  });

  it('carries the hypothetical shocks of the SPEC table exactly, and the replays only a window', () => {
    for (const scenario of STRESS_SCENARIOS) {
      if (scenario.id in REPLAYS) {
        expect(scenario.window, scenario.id).toEqual(REPLAYS[scenario.id]);
        expect(scenario.shocks, scenario.id).toBeUndefined();
        expect(scenario.category).toBe('historical');
        expect(scenario.severity).toBe('extreme');
      } else {
        expect(scenario.shocks, scenario.id).toEqual(HYPOTHETICAL[scenario.id]);
        expect(scenario.window, scenario.id).toBeUndefined();
      }
    }
  });

  it('gives every scenario a name, a description, a category and a severity', () => {
    for (const s of STRESS_SCENARIOS) {
      expect(s.name.length, s.id).toBeGreaterThan(0);
      expect(s.description.length, s.id).toBeGreaterThan(0);
      expect(['market', 'rates', 'style', 'volatility', 'historical']).toContain(s.category);
      expect(['mild', 'moderate', 'severe', 'extreme']).toContain(s.severity);
    }
    expect(findScenario('covid_crash_2020')?.category).toBe('historical');
    expect(findScenario('rates_up_25bp')?.category).toBe('rates');
    expect(findScenario('nope')).toBeUndefined();
  });

  it('grades hypothetical severity by the largest factor-series move (rates at D = 17.5); the volatility ones are severe', () => {
    for (const s of STRESS_SCENARIOS) {
      if (!s.shocks || s.category === 'volatility') continue;
      expect(s.severity, s.id).toBe(severityOfMoves(movesFromShocks(s.shocks)));
    }
    expect(findScenario('vix_spike_150')?.severity).toBe('severe');
    expect(findScenario('liquidity_crisis')?.severity).toBe('severe');
    const move = (value: number) => [{ factor: 'Market' as const, index: 0, value }];
    expect(severityOfMoves(move(-0.05))).toBe('mild');
    expect(severityOfMoves(move(0.0501))).toBe('moderate');
    expect(severityOfMoves(move(-0.15))).toBe('moderate');
    expect(severityOfMoves(move(0.3))).toBe('severe');
    expect(severityOfMoves(move(-0.31))).toBe('extreme');
  });
});

describe('stress factors', () => {
  it('maps the 8 factors to their SPEC ETFs, styles as ETF − SPY', () => {
    expect(STRESS_FACTORS.map((f) => STRESS_FACTOR_ETFS[f])).toEqual([
      'SPY',
      'VTV',
      'VUG',
      'MTUM',
      'QUAL',
      'IWM',
      'USMV',
      'TLT',
    ]);
    expect(STRESS_FACTORS.map(factorSeriesLabel)).toEqual([
      'SPY',
      'VTV − SPY',
      'VUG − SPY',
      'MTUM − SPY',
      'QUAL − SPY',
      'IWM − SPY',
      'USMV − SPY',
      'TLT',
    ]);
  });

  it('turns ETF values into factor values: styles minus the market, Market and Rates as they are', () => {
    const f = factorValuesFromEtfValues([-0.1, -0.12, -0.08, -0.1, -0.09, -0.15, -0.07, 0.05]);
    const expected = [-0.1, -0.02, 0.02, 0, 0.01, -0.05, 0.03, 0.05];
    expected.forEach((v, i) => expect(f[i], STRESS_FACTORS[i]).toBeCloseTo(v, 15));
  });

  it('turns a yield change Δy into a TLT return of −D·Δy (D = 17.5 by default) and back', () => {
    expect(DEFAULT_TLT_DURATION).toBe(17.5);
    expect(yieldChangeToTltReturn(0.01)).toBeCloseTo(-0.175, 15);
    expect(yieldChangeToTltReturn(-0.0025, 16)).toBeCloseTo(0.04, 15);
    expect(tltReturnToYieldChange(0.1423)).toBeCloseTo(-0.1423 / 17.5, 15);
    expect(() => yieldChangeToTltReturn(0.01, 0)).toThrow(RangeError);
  });
});

describe('scenario resolution', () => {
  it('converts hypothetical shocks to series moves in factor order, Rates through the duration', () => {
    const up100 = movesFromShocks(findScenario('rates_up_100bp')!.shocks!);
    expect(up100).toHaveLength(1);
    expect(up100[0]).toMatchObject({ factor: 'Rates', index: 7 });
    expect(up100[0]?.value).toBeCloseTo(-0.175, 15);
    expect(movesFromShocks({ Rates: 0.03 }, 10)[0]?.value).toBeCloseTo(-0.3, 15);
    const crisis = movesFromShocks(findScenario('liquidity_crisis')!.shocks!);
    expect(crisis.map((s) => [s.factor, s.index, s.value])).toEqual([
      ['Market', 0, -0.2],
      ['Quality', 4, 0.15],
      ['Size', 5, -0.1],
    ]);
    expect(() => movesFromShocks({ Market: NaN })).toThrow(RangeError);
  });

  it('replays a window from closes: styles relative to SPY, a factor without both closes unshocked', () => {
    const closes: Record<string, [number, number]> = {
      SPY: [100, 70],
      VTV: [50, 34],
      VUG: [80, 56.8],
      IWM: [40, 25],
      TLT: [100, 110],
    };
    const window = { start: '2020-01-02', end: '2020-03-02' };
    const moves = movesFromWindow(window, (etf, date) => {
      const pair = closes[etf];
      if (!pair) return undefined;
      return date === window.start ? pair[0] : pair[1];
    });
    const byFactor = Object.fromEntries(moves.map((m) => [m.factor, m.value]));
    expect(Object.keys(byFactor)).toEqual(['Market', 'Value', 'Growth', 'Size', 'Rates']);
    expect(byFactor.Market).toBeCloseTo(-0.3, 12);
    expect(byFactor.Value).toBeCloseTo(-0.32 + 0.3, 12);
    expect(byFactor.Growth).toBeCloseTo(-0.29 + 0.3, 12);
    expect(byFactor.Size).toBeCloseTo(-0.375 + 0.3, 12);
    expect(byFactor.Rates).toBeCloseTo(0.1, 12);
    // Without SPY no style can be measured against it; TLT still can.
    const noMarket = movesFromWindow(window, (etf, date) =>
      etf === 'SPY' ? undefined : closes[etf]?.[date === window.start ? 0 : 1],
    );
    expect(noMarket.map((m) => m.factor)).toEqual(['Rates']);
  });

  it('resolves a replay with no stored closes to no moves (the caller leaves it out)', () => {
    const dotcom = resolveScenario(findScenario('dotcom_crash_2000') as StressScenario);
    expect(dotcom).toMatchObject({ id: 'dotcom_crash_2000', custom: false, moves: [] });
    expect(dotcom.window).toEqual(REPLAYS.dotcom_crash_2000);
  });
});
