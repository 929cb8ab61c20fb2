import type { Db } from '../../db/database.ts';
import { NO_CALCULATION, portfolioEnvelope } from './envelope.ts';
import { storedFactorExposures } from './factor-exposures.ts';
import type { SpreadFactors } from './schemas.ts';

type Magnitude = NonNullable<SpreadFactors['factors'][number]['magnitude']>;

/**
 * Bands on |beta| to a long−short spread return. A spread beta of b means a 1 % outperformance
 * of the long leg moves the book by about b %. Below 0.10 that is too small to act on and of the
 * order of the regression's own estimation error, so it is reported as no tilt (`neutral`);
 * 0.10–0.30 is a weak tilt, 0.30–0.60 moderate, and from 0.60 the spread moves the book by more
 * than half its own size — a strong, usually deliberate, bet.
 */
export const SPREAD_BANDS = { negligible: 0.1, weak: 0.3, moderate: 0.6 } as const;

export function magnitudeOf(beta: number): Magnitude {
  const size = Math.abs(beta);
  if (size < SPREAD_BANDS.negligible) return 'negligible';
  if (size < SPREAD_BANDS.weak) return 'weak';
  if (size < SPREAD_BANDS.moderate) return 'moderate';
  return 'strong';
}

interface SpreadWording {
  /** What outperforms in the spread: "growth stocks (VUG) outperform value stocks (VTV)". */
  move: string;
  positive: { direction: string; tilt: string };
  negative: { direction: string; tilt: string };
  subject: string;
}

/** The four spread factors of SPEC §3.1, in display order, with how to read their sign. */
const SPREADS: ReadonlyMap<string, SpreadWording> = new Map([
  [
    'Growth-Value Spread',
    {
      move: 'growth stocks (VUG) outperform value stocks (VTV)',
      positive: { direction: 'growth', tilt: 'toward growth over value' },
      negative: { direction: 'value', tilt: 'toward value over growth' },
      subject: 'growth/value',
    },
  ],
  [
    'Momentum Spread',
    {
      move: 'momentum stocks (MTUM) outperform the market (SPY)',
      positive: { direction: 'momentum', tilt: 'toward momentum' },
      negative: { direction: 'contrarian', tilt: 'against momentum (contrarian)' },
      subject: 'momentum',
    },
  ],
  [
    'Size Spread',
    {
      move: 'small caps (IWM) outperform the market (SPY)',
      positive: { direction: 'small_cap', tilt: 'toward small caps' },
      negative: { direction: 'large_cap', tilt: 'toward large caps' },
      subject: 'size',
    },
  ],
  [
    'Quality Spread',
    {
      move: 'quality stocks (QUAL) outperform the market (SPY)',
      positive: { direction: 'quality', tilt: 'toward quality' },
      negative: { direction: 'low_quality', tilt: 'away from quality' },
      subject: 'quality',
    },
  ],
]);

const dollars = (x: number) =>
  `$${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** Direction, magnitude and a sentence a portfolio manager reads, for one spread beta. */
export function describeSpread(
  name: string,
  beta: number | null,
  exposureDollar: number | null,
): { direction: string | null; magnitude: Magnitude | null; explanation: string } {
  const wording = SPREADS.get(name);
  if (!wording) throw new RangeError(`${name} is not a spread factor`);
  if (beta === null) {
    return {
      direction: null,
      magnitude: null,
      explanation: `No ${wording.subject} spread beta: the holdings lack the 60 trading days of history the spread regression needs.`,
    };
  }
  const magnitude = magnitudeOf(beta);
  const pct = `${Math.abs(beta).toFixed(2)}%`;
  const money = exposureDollar === null ? '' : ` (${dollars(exposureDollar / 100)})`;
  if (magnitude === 'negligible') {
    return {
      direction: 'neutral',
      magnitude,
      explanation: `No meaningful ${wording.subject} tilt (beta ${beta.toFixed(2)}): when ${wording.move} by 1%, the portfolio moves about ${pct}${money}.`,
    };
  }
  const side = beta > 0 ? wording.positive : wording.negative;
  const label = magnitude.charAt(0).toUpperCase() + magnitude.slice(1);
  return {
    direction: side.direction,
    magnitude,
    explanation: `${label} tilt ${side.tilt} (beta ${beta.toFixed(2)}): when ${wording.move} by 1%, the portfolio tends to ${beta > 0 ? 'gain' : 'lose'} about ${pct}${money}.`,
  };
}

/** GET /analytics/portfolio/{id}/spread-factors: the four spread betas, read for a person. */
export async function portfolioSpreadFactors(db: Db, portfolioId: string): Promise<SpreadFactors> {
  const stored = await storedFactorExposures(db, portfolioId);
  if (!stored) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), factors: [] };
  return {
    ...portfolioEnvelope(portfolioId, stored.date, null),
    factors: stored.factors
      .filter((f) => SPREADS.has(f.name))
      .map((f) => ({ ...f, ...describeSpread(f.name, f.beta, f.exposure_dollar) })),
  };
}
