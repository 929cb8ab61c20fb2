import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import { CompanyProfileRepository } from '../../db/repositories/company-profile-repository.ts';
import { PortfolioFactorRepository } from '../../db/repositories/portfolio-factor-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import { NO_CALCULATION, portfolioEnvelope } from './envelope.ts';
import type { BetaComparison } from './schemas.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';

const CALCULATED = 'Market Beta (90D)';
const PROVIDER = 'Provider Beta (1Y)';

/**
 * GET /analytics/portfolio/{id}/beta-comparison: per held public or option position, the
 * provider's published beta (`market_beta`) beside our 90-day OLS beta on SPY
 * (`calculated_beta`, with its R² and observations) on the portfolio's latest factor date.
 * Options show their underlying's betas; private assets have none and are left out.
 */
export async function portfolioBetaComparison(
  db: Db,
  portfolioId: string,
): Promise<BetaComparison> {
  const date = await new PortfolioFactorRepository(db).latestDate(portfolioId);
  if (!date) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), positions: [] };
  const held = (await new PositionRepository(db).listPositions(portfolioId))
    .filter((p) => p.investmentClass !== 'PRIVATE' && p.marketValue !== null && p.marketValue !== 0)
    .map((p) => ({ p, betaSymbol: optionTermsOf(p)?.underlying ?? p.symbol }))
    .sort((a, b) =>
      a.p.symbol === b.p.symbol ? (a.p.id < b.p.id ? -1 : 1) : a.p.symbol < b.p.symbol ? -1 : 1,
    );
  const symbols = [...new Set(held.map((h) => h.betaSymbol))];
  const stats = await new AnalyticsReadRepository(db).symbolFactorStats(symbols, date, [
    CALCULATED,
    PROVIDER,
  ]);
  const statOf = (symbol: string, factor: string) =>
    stats.find((s) => s.symbol === symbol && s.factorName === factor);
  // The provider beta is a factor row when the batch stored it; the profile holds it regardless.
  const profileBetas = await new CompanyProfileRepository(db).getProviderBetas(symbols);
  return {
    ...portfolioEnvelope(portfolioId, date, null),
    positions: held.map(({ p, betaSymbol }) => {
      const calculated = statOf(betaSymbol, CALCULATED);
      const market =
        statOf(betaSymbol, PROVIDER)?.beta ?? profileBetas.get(betaSymbol)?.beta ?? null;
      const calculatedBeta = calculated?.beta ?? null;
      return {
        symbol: p.symbol,
        position_id: p.id,
        beta_symbol: betaSymbol,
        market_beta: market,
        calculated_beta: calculatedBeta,
        beta_r_squared: calculated?.rSquared ?? null,
        beta_difference:
          calculatedBeta !== null && market !== null ? calculatedBeta - market : null,
        observations: calculated?.observations ?? null,
      };
    }),
  };
}
