/**
 * SPEC §3.2: weight_i = signed exposure_i / equity, where an option's exposure is its
 * delta-adjusted underlying value (delta × 100 × quantity × underlying price) and it uses the
 * underlying's betas; portfolio beta_f = Σ weight_i × beta_i,f; exposure_dollar_f = beta_f × equity.
 * Private assets contribute nothing and are counted as excluded.
 */
export interface FactorExposureInput {
  positionId: string;
  symbol: string;
  kind: 'public' | 'option' | 'private';
  /** Signed market value (public) or delta-adjusted underlying value (option). */
  exposure: number;
  /** The symbol whose betas apply: itself, or an option's underlying. */
  betaSymbol: string;
}

export interface PositionFactorExposure {
  positionId: string;
  symbol: string;
  weight: number;
  /** factor name → this position's contribution to the portfolio beta (weight × beta). */
  contributions: Map<string, number>;
  /** factor name → the symbol's own beta. */
  betas: Map<string, number>;
}

export interface PortfolioFactorExposures {
  /** factor name → portfolio beta. */
  betas: Map<string, number>;
  /** factor name → beta × equity. */
  dollars: Map<string, number>;
  positions: PositionFactorExposure[];
  excluded: { positionId: string; symbol: string; reason: 'private_asset' | 'no_factor_data' }[];
}

export function aggregateFactorExposures(input: {
  positions: readonly FactorExposureInput[];
  /** symbol → factor name → beta */
  symbolBetas: ReadonlyMap<string, ReadonlyMap<string, number>>;
  factorNames: readonly string[];
  equity: number;
}): PortfolioFactorExposures {
  const betas = new Map(input.factorNames.map((f) => [f, 0]));
  const positions: PositionFactorExposure[] = [];
  const excluded: PortfolioFactorExposures['excluded'] = [];
  for (const p of input.positions) {
    if (p.kind === 'private') {
      excluded.push({ positionId: p.positionId, symbol: p.symbol, reason: 'private_asset' });
      continue;
    }
    const own = input.symbolBetas.get(p.betaSymbol);
    if (!own || own.size === 0) {
      excluded.push({ positionId: p.positionId, symbol: p.symbol, reason: 'no_factor_data' });
      continue;
    }
    const weight = input.equity !== 0 ? p.exposure / input.equity : 0;
    const contributions = new Map<string, number>();
    const positionBetas = new Map<string, number>();
    for (const f of input.factorNames) {
      const beta = own.get(f);
      if (beta === undefined) continue;
      positionBetas.set(f, beta);
      contributions.set(f, weight * beta);
      betas.set(f, betas.get(f)! + weight * beta);
    }
    positions.push({
      positionId: p.positionId,
      symbol: p.symbol,
      weight,
      contributions,
      betas: positionBetas,
    });
  }
  const dollars = new Map([...betas].map(([f, b]) => [f, b * input.equity]));
  return { betas, dollars, positions, excluded };
}
