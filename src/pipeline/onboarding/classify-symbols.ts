import { listSymbols } from '../run-messages.ts';
import { FactorRepository } from '../../db/repositories/factor-repository.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';

/** A book's market symbols: known (factor rows for the date) and new (the symbol batch's work). */
export interface SymbolClassification {
  knownSymbols: string[];
  unknownSymbols: string[];
}

/** Symbols a portfolio needs market data for: public holdings and option underlyings. */
export function marketSymbolsOf(positions: readonly PositionRow[]): string[] {
  const out = new Set<string>();
  for (const p of positions) {
    if (p.investmentClass === 'PRIVATE') continue;
    if (p.investmentClass === 'OPTIONS') {
      const terms = optionTermsOf(p);
      if (terms) out.add(terms.underlying);
      continue;
    }
    out.add(p.symbol);
  }
  return [...out].sort();
}

/**
 * The calculation date is the provider's latest price date: a lot entered after it has no day in
 * this calculation. Say so — the run is partial — rather than leave it out silently. Returns how
 * many positions are left out.
 */
export function reportEnteredAfterPriceDate(
  ctx: PipelineContext,
  rec: RunRecorder,
  portfolioId: string,
  positions: readonly PositionRow[],
  date: string,
): number {
  const enteredLater = positions.filter((p) => p.entryDate > date);
  if (enteredLater.length > 0) {
    const message =
      `${enteredLater.length} position(s) entered after ${date}, the latest date with prices ` +
      `from ${ctx.provider.name}, are not in this calculation: ` +
      listSymbols(
        enteredLater.map((p) => `${p.symbol} (entered ${p.entryDate})`),
        20,
      ) +
      '; they are included once prices for their entry date are available';
    rec.log(message, 'warning');
    rec.error({
      portfolio_id: portfolioId,
      phase: 'classify',
      code: 'entered_after_price_date',
      message,
    });
  }
  return enteredLater.length;
}

/**
 * The classify phase: splits the book's market symbols into known and new, filling them into
 * `result` as soon as they are known (a failure later still reports them).
 */
export async function classifySymbols(
  ctx: PipelineContext,
  rec: RunRecorder,
  positions: readonly PositionRow[],
  date: string,
  result: SymbolClassification,
): Promise<void> {
  const symbols = marketSymbolsOf(positions);
  await rec.start('classify', symbols.length);
  const known = await new FactorRepository(ctx.db).symbolsWithExposures(symbols, date);
  result.knownSymbols = symbols.filter((s) => known.has(s));
  result.unknownSymbols = symbols.filter((s) => !known.has(s));
  rec.log(
    `${result.knownSymbols.length} known symbol(s), ${result.unknownSymbols.length} new: ${listSymbols(result.unknownSymbols) || 'none'}`,
  );
  await rec.complete('classify');
}
