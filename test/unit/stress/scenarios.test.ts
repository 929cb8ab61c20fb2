import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TLT_DURATION,
  etfShocks,
  findScenario,
  ratesShockToTltReturn,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  STRESS_SCENARIOS,
  type StressScenario,
} from '../../../src/domain/stress/scenarios.ts';

// SPEC §6, typed in again from the table so a slip in scenarios.ts cannot check itself.
const SPEC_TABLE: Record<string, Record<string, number>> = {
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
  value_rotation_20: { Value: 0.2, Growth: -0.1 },
  growth_rally_15: { Growth: 0.15, Momentum: 0.1 },
  small_cap_outperformance_10: { Size: 0.1 },
  quality_flight_12: { Quality: 0.12, Market: -0.05 },
  vix_spike_150: { 'Low Volatility': -0.25, Market: -0.15 },
  liquidity_crisis: { Market: -0.2, 'Low Volatility': -0.3, Quality: 0.15, Size: -0.1 },
  financial_crisis_2008: {
    Market: -0.45,
    Value: -0.3,
    Size: -0.25,
    Quality: 0.2,
    'Low Volatility': -0.35,
  },
  covid_crash_2020: { Market: -0.35, Growth: 0.15, Value: -0.4, Size: -0.3, Quality: 0.1 },
  dotcom_crash_2000: { Market: -0.45, Growth: -0.6, Value: 0.2, Momentum: -0.5, Quality: 0.15 },
};

describe('stress scenarios (SPEC §6)', () => {
  it('defines exactly the 22 SPEC scenario ids, each once', () => {
    const ids = STRESS_SCENARIOS.map((s) => s.id);
    expect(ids).toHaveLength(22);
    expect(new Set(ids).size).toBe(22);
    expect([...ids].sort()).toEqual(Object.keys(SPEC_TABLE).sort());
  });

  it('carries the shocks of the SPEC table exactly', () => {
    for (const scenario of STRESS_SCENARIOS) {
      expect(scenario.shocks, scenario.id).toEqual(SPEC_TABLE[scenario.id]);
    }
  });

  it('gives every scenario a name, a description, a category and a severity', () => {
    for (const s of STRESS_SCENARIOS) {
      expect(s.name.length, s.id).toBeGreaterThan(0);
      expect(s.description.length, s.id).toBeGreaterThan(0);
      expect(['market', 'rates', 'style', 'volatility', 'historical']).toContain(s.category);
    }
    expect(findScenario('covid_crash_2020')?.category).toBe('historical');
    expect(findScenario('rates_up_25bp')?.category).toBe('rates');
    expect(findScenario('nope')).toBeUndefined();
  });

  it('grades severity by the largest shock as an ETF return: ≤5% mild, ≤15% moderate, ≤30% severe', () => {
    const expected = (s: StressScenario) => {
      const largest = Math.max(
        ...Object.entries(s.shocks).map(([f, v]) => Math.abs(f === 'Rates' ? 17.5 * v : v)),
      );
      if (largest <= 0.05 + 1e-12) return 'mild';
      if (largest <= 0.15 + 1e-12) return 'moderate';
      if (largest <= 0.3 + 1e-12) return 'severe';
      return 'extreme';
    };
    for (const s of STRESS_SCENARIOS) expect(s.severity, s.id).toBe(expected(s));
  });

  it('maps the 8 factors to their SPEC ETFs', () => {
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
  });

  it('turns a yield change Δy into a TLT return of −D·Δy (D = 17.5 by default)', () => {
    expect(DEFAULT_TLT_DURATION).toBe(17.5);
    expect(ratesShockToTltReturn(0.01)).toBeCloseTo(-0.175, 15);
    expect(ratesShockToTltReturn(-0.0025, 16)).toBeCloseTo(0.04, 15);
    const up100 = etfShocks(findScenario('rates_up_100bp') as StressScenario);
    expect(up100).toHaveLength(1);
    expect(up100[0]).toMatchObject({ factor: 'Rates', index: 7 });
    expect(up100[0]?.value).toBeCloseTo(-0.175, 15);
    const custom = etfShocks(findScenario('rate_spike_300bp') as StressScenario, 10);
    expect(custom[0]?.value).toBeCloseTo(-0.3, 15);
    expect(() => etfShocks(findScenario('rates_up_25bp') as StressScenario, 0)).toThrow(RangeError);
  });

  it('leaves equity shocks as they are and lists them in factor order', () => {
    const covid = etfShocks(findScenario('covid_crash_2020') as StressScenario);
    expect(covid.map((s) => [s.factor, s.index, s.value])).toEqual([
      ['Market', 0, -0.35],
      ['Value', 1, -0.4],
      ['Growth', 2, 0.15],
      ['Quality', 4, 0.1],
      ['Size', 5, -0.3],
    ]);
  });
});
