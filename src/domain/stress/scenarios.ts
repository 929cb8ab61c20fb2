/**
 * The 22 stress scenarios of SPEC §6 as data. Shocks are factor-ETF returns (decimal), except
 * Rates, which is a change in yield (decimal: 0.01 = +100bp) and becomes a TLT return through
 * the bond's duration (see `etfShocks`).
 *
 * Severity is not in the SPEC; it is graded by the largest single shock expressed as an ETF
 * return (rates converted at the default TLT duration of 17.5):
 *   mild ≤ 5%  <  moderate ≤ 15%  <  severe ≤ 30%  <  extreme.
 * So +25bp (TLT −4.4%) is mild, +50bp (−8.75%) moderate, +100bp (−17.5%) severe and +300bp
 * (−52.5%) extreme, on the same scale as the equity scenarios.
 */

/** The factors a scenario can shock, in the fixed order used by every vector and matrix here. */
export const STRESS_FACTORS = [
  'Market',
  'Value',
  'Growth',
  'Momentum',
  'Quality',
  'Size',
  'Low Volatility',
  'Rates',
] as const;

export type StressFactor = (typeof STRESS_FACTORS)[number];

/** The ETF whose daily return stands for each factor (SPEC §6). */
export const STRESS_FACTOR_ETFS: Readonly<Record<StressFactor, string>> = {
  Market: 'SPY',
  Value: 'VTV',
  Growth: 'VUG',
  Momentum: 'MTUM',
  Quality: 'QUAL',
  Size: 'IWM',
  'Low Volatility': 'USMV',
  Rates: 'TLT',
};

/** Modified duration of TLT (20+ year Treasuries), used to turn a yield change into a return. */
export const DEFAULT_TLT_DURATION = 17.5;

export type StressCategory = 'market' | 'rates' | 'style' | 'volatility' | 'historical';
export type StressSeverity = 'mild' | 'moderate' | 'severe' | 'extreme';

export interface StressScenario {
  id: string;
  name: string;
  description: string;
  category: StressCategory;
  severity: StressSeverity;
  /** Factor → ETF return, or for Rates the yield change; all decimals. */
  shocks: Partial<Record<StressFactor, number>>;
}

export const STRESS_SCENARIOS: readonly StressScenario[] = [
  {
    id: 'market_up_5',
    name: 'Market Up 5%',
    description: 'The broad US equity market (SPY) rises 5%.',
    category: 'market',
    severity: 'mild',
    shocks: { Market: 0.05 },
  },
  {
    id: 'market_down_5',
    name: 'Market Down 5%',
    description: 'The broad US equity market (SPY) falls 5%.',
    category: 'market',
    severity: 'mild',
    shocks: { Market: -0.05 },
  },
  {
    id: 'market_up_10',
    name: 'Market Up 10%',
    description: 'The broad US equity market (SPY) rises 10%.',
    category: 'market',
    severity: 'moderate',
    shocks: { Market: 0.1 },
  },
  {
    id: 'market_down_10',
    name: 'Market Down 10%',
    description: 'A market correction: SPY falls 10%.',
    category: 'market',
    severity: 'moderate',
    shocks: { Market: -0.1 },
  },
  {
    id: 'market_rally_25',
    name: 'Market Rally 25%',
    description: 'A strong bull move: SPY rises 25%.',
    category: 'market',
    severity: 'severe',
    shocks: { Market: 0.25 },
  },
  {
    id: 'market_crash_35',
    name: 'Market Crash 35%',
    description: 'A bear-market crash: SPY falls 35%.',
    category: 'market',
    severity: 'extreme',
    shocks: { Market: -0.35 },
  },
  {
    id: 'rates_up_25bp',
    name: 'Rates Up 25bp',
    description: 'Long Treasury yields rise 0.25 percentage points.',
    category: 'rates',
    severity: 'mild',
    shocks: { Rates: 0.0025 },
  },
  {
    id: 'rates_down_25bp',
    name: 'Rates Down 25bp',
    description: 'Long Treasury yields fall 0.25 percentage points.',
    category: 'rates',
    severity: 'mild',
    shocks: { Rates: -0.0025 },
  },
  {
    id: 'rates_up_50bp',
    name: 'Rates Up 50bp',
    description: 'Long Treasury yields rise 0.50 percentage points.',
    category: 'rates',
    severity: 'moderate',
    shocks: { Rates: 0.005 },
  },
  {
    id: 'rates_down_50bp',
    name: 'Rates Down 50bp',
    description: 'Long Treasury yields fall 0.50 percentage points.',
    category: 'rates',
    severity: 'moderate',
    shocks: { Rates: -0.005 },
  },
  {
    id: 'rates_up_100bp',
    name: 'Rates Up 100bp',
    description: 'Long Treasury yields rise 1 percentage point.',
    category: 'rates',
    severity: 'severe',
    shocks: { Rates: 0.01 },
  },
  {
    id: 'rates_down_100bp',
    name: 'Rates Down 100bp',
    description: 'Long Treasury yields fall 1 percentage point.',
    category: 'rates',
    severity: 'severe',
    shocks: { Rates: -0.01 },
  },
  {
    id: 'rate_spike_300bp',
    name: 'Rate Spike 300bp',
    description: 'An inflation shock: long Treasury yields jump 3 percentage points.',
    category: 'rates',
    severity: 'extreme',
    shocks: { Rates: 0.03 },
  },
  {
    id: 'value_rotation_20',
    name: 'Value Rotation',
    description: 'Money rotates from growth into value: value +20%, growth −10%.',
    category: 'style',
    severity: 'severe',
    shocks: { Value: 0.2, Growth: -0.1 },
  },
  {
    id: 'growth_rally_15',
    name: 'Growth Rally',
    description: 'Growth and momentum stocks lead: growth +15%, momentum +10%.',
    category: 'style',
    severity: 'moderate',
    shocks: { Growth: 0.15, Momentum: 0.1 },
  },
  {
    id: 'small_cap_outperformance_10',
    name: 'Small-Cap Outperformance',
    description: 'Small caps (IWM) rise 10%.',
    category: 'style',
    severity: 'moderate',
    shocks: { Size: 0.1 },
  },
  {
    id: 'quality_flight_12',
    name: 'Flight to Quality',
    description: 'Investors seek safety: quality +12% while the market falls 5%.',
    category: 'style',
    severity: 'moderate',
    shocks: { Quality: 0.12, Market: -0.05 },
  },
  {
    id: 'vix_spike_150',
    name: 'VIX Spike 150%',
    description:
      'Implied volatility jumps 150%: the market falls 15% and low-volatility stocks fall 25%.',
    category: 'volatility',
    severity: 'severe',
    shocks: { 'Low Volatility': -0.25, Market: -0.15 },
  },
  {
    id: 'liquidity_crisis',
    name: 'Liquidity Crisis',
    description: 'Forced selling: market −20%, low volatility −30%, small caps −10%, quality +15%.',
    category: 'volatility',
    severity: 'severe',
    shocks: { Market: -0.2, 'Low Volatility': -0.3, Quality: 0.15, Size: -0.1 },
  },
  {
    id: 'financial_crisis_2008',
    name: '2008 Financial Crisis',
    description:
      'A 2008-style credit crisis: market −45%, value −30%, small caps −25%, low volatility −35%, quality +20%.',
    category: 'historical',
    severity: 'extreme',
    shocks: { Market: -0.45, Value: -0.3, Size: -0.25, Quality: 0.2, 'Low Volatility': -0.35 },
  },
  {
    id: 'covid_crash_2020',
    name: 'COVID Crash 2020',
    description:
      'A February–March 2020 style crash: market −35%, value −40%, small caps −30%, growth +15%, quality +10%.',
    category: 'historical',
    severity: 'extreme',
    shocks: { Market: -0.35, Growth: 0.15, Value: -0.4, Size: -0.3, Quality: 0.1 },
  },
  {
    id: 'dotcom_crash_2000',
    name: 'Dot-com Crash 2000',
    description:
      'A 2000–2002 style tech bust: market −45%, growth −60%, momentum −50%, value +20%, quality +15%.',
    category: 'historical',
    severity: 'extreme',
    shocks: { Market: -0.45, Growth: -0.6, Value: 0.2, Momentum: -0.5, Quality: 0.15 },
  },
];

export function findScenario(id: string): StressScenario | undefined {
  return STRESS_SCENARIOS.find((s) => s.id === id);
}

/** A yield change Δy as a TLT return: −D·Δy (first-order duration approximation). */
export function ratesShockToTltReturn(
  yieldChange: number,
  tltDuration: number = DEFAULT_TLT_DURATION,
): number {
  return -tltDuration * yieldChange;
}

/**
 * The scenario's shocks as ETF returns, in STRESS_FACTORS order, skipping unshocked factors.
 * Everything downstream (betas, covariance) lives in ETF-return space, so this is the one place
 * the Rates yield change is translated.
 */
export function etfShocks(
  scenario: StressScenario,
  tltDuration: number = DEFAULT_TLT_DURATION,
): { factor: StressFactor; index: number; value: number }[] {
  if (!(tltDuration > 0) || !Number.isFinite(tltDuration)) {
    throw new RangeError(`TLT duration must be a positive number, got ${tltDuration}`);
  }
  const out: { factor: StressFactor; index: number; value: number }[] = [];
  STRESS_FACTORS.forEach((factor, index) => {
    const raw = scenario.shocks[factor];
    if (raw === undefined) return;
    if (!Number.isFinite(raw)) {
      throw new RangeError(`scenario ${scenario.id}: shock for ${factor} is not finite`);
    }
    out.push({
      factor,
      index,
      value: factor === 'Rates' ? ratesShockToTltReturn(raw, tltDuration) : raw,
    });
  });
  return out;
}
