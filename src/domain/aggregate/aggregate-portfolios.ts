import {
  computeConcentration,
  type Concentration,
} from '../concentration/compute-concentration.ts';
import { netBySymbol, type ValuedPosition } from '../concentration/net-by-symbol.ts';

/** One portfolio's already-computed analytics for one date. */
export interface PortfolioAnalytics {
  portfolioId: string;
  /** Equity (snapshot net_asset_value). */
  nav: number;
  /** Factor name → portfolio beta; a factor the portfolio has no row for is simply absent. */
  betas: ReadonlyMap<string, number>;
  exposures: Exposures;
  stress: readonly { scenarioId: string; directPnl: number; correlatedPnl: number }[];
  positions: readonly ValuedPosition[];
}

export interface Exposures {
  longValue: number;
  /** Negative, as in the snapshot. */
  shortValue: number;
  grossExposure: number;
  netExposure: number;
}

export interface AggregateFactor {
  name: string;
  /** Σ NAV_p·β_p / Σ NAV_p over the portfolios that have this factor; null if that NAV ≤ 0. */
  aggregateBeta: number | null;
  /** Σ NAV_p·β_p: the portfolios' exposure_dollar summed. */
  aggregateExposureDollar: number;
  portfolios: number;
  /** NAV of the portfolios with this factor (the denominator of aggregateBeta). */
  navCovered: number;
}

export interface AggregateStress {
  scenarioId: string;
  directPnl: number;
  correlatedPnl: number;
  correlationEffect: number;
  /** correlatedPnl / NAV of the portfolios with the scenario × 100: percentage points. */
  percentageImpact: number | null;
  portfolios: number;
}

export interface AggregateAnalytics {
  portfolioCount: number;
  totalNav: number;
  factors: AggregateFactor[];
  exposures: Exposures;
  stress: AggregateStress[];
  /** All portfolios' positions, netted per symbol: one AAPL across three accounts is one bet. */
  positions: ValuedPosition[];
  concentration: Concentration;
}

/**
 * SPEC §7 multi-portfolio view of one user. Betas are NAV-weighted, which equals the beta of the
 * combined book: Σ_p NAV_p·β_p = Σ_p Σ_i v_i·β_i, the same sum the single-portfolio rule makes
 * over all positions. A portfolio lacking a factor (or scenario) is left out of that factor's
 * numerator and denominator alike, rather than counted as β = 0, which would dilute the others;
 * `portfolios`/`navCovered` show the coverage. Dollar exposures and P&L are plain sums.
 * `factorNames` fixes the output order (SPEC §3.1 display order); otherwise first appearance.
 */
export function aggregatePortfolios(
  portfolios: readonly PortfolioAnalytics[],
  factorNames?: readonly string[],
): AggregateAnalytics {
  for (const p of portfolios) {
    if (!Number.isFinite(p.nav)) throw new RangeError(`NAV of ${p.portfolioId} is not finite`);
  }
  const totalNav = portfolios.reduce((s, p) => s + p.nav, 0);

  const names = [...(factorNames ?? [])];
  for (const p of portfolios)
    for (const name of p.betas.keys()) if (!names.includes(name)) names.push(name);
  const factors = names.map((name): AggregateFactor => {
    let dollars = 0;
    let navCovered = 0;
    let count = 0;
    for (const p of portfolios) {
      const beta = p.betas.get(name);
      if (beta === undefined) continue;
      dollars += p.nav * beta;
      navCovered += p.nav;
      count++;
    }
    return {
      name,
      aggregateBeta: navCovered > 0 ? dollars / navCovered : null,
      aggregateExposureDollar: dollars,
      portfolios: count,
      navCovered,
    };
  });

  const exposures: Exposures = { longValue: 0, shortValue: 0, grossExposure: 0, netExposure: 0 };
  for (const p of portfolios) {
    exposures.longValue += p.exposures.longValue;
    exposures.shortValue += p.exposures.shortValue;
    exposures.grossExposure += p.exposures.grossExposure;
    exposures.netExposure += p.exposures.netExposure;
  }

  const stressById = new Map<string, AggregateStress & { nav: number }>();
  for (const p of portfolios) {
    for (const s of p.stress) {
      const acc = stressById.get(s.scenarioId) ?? {
        scenarioId: s.scenarioId,
        directPnl: 0,
        correlatedPnl: 0,
        correlationEffect: 0,
        percentageImpact: null,
        portfolios: 0,
        nav: 0,
      };
      acc.directPnl += s.directPnl;
      acc.correlatedPnl += s.correlatedPnl;
      acc.portfolios++;
      acc.nav += p.nav;
      stressById.set(s.scenarioId, acc);
    }
  }
  const stress = [...stressById.values()].map(({ nav, ...s }) => ({
    ...s,
    correlationEffect: s.correlatedPnl - s.directPnl,
    percentageImpact: nav > 0 ? (s.correlatedPnl / nav) * 100 : null,
  }));

  const positions = netBySymbol(portfolios.flatMap((p) => p.positions));
  return {
    portfolioCount: portfolios.length,
    totalNav,
    factors,
    exposures,
    stress,
    positions,
    concentration: computeConcentration(positions),
  };
}
