import { listSymbols } from '../run-messages.ts';
import type { RunRecorder } from '../run-recorder.ts';

/** A symbol the calculation has no data for, and why. */
export interface FailedSymbol {
  symbol: string;
  code: string;
  message: string;
}

/**
 * Symbols without data, in the log and the errors: one line per symbol while there are few, one
 * summary per reason (how many, and the first of them by name) when there are many — a book of
 * 2,000 unknown symbols must not turn its status into megabytes.
 */
export function reportFailedSymbols(rec: RunRecorder, failed: readonly FailedSymbol[]): void {
  if (failed.length === 0) return;
  if (failed.length <= 10) {
    for (const f of failed) rec.log(`No data for ${f.symbol}: ${f.code} — ${f.message}`, 'warning');
  }
  const byCode = new Map<string, string[]>();
  for (const f of failed) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f.symbol]);
  const message = `${failed.length} symbol(s) without data, left out of the analysis: ${listSymbols(failed.map((f) => f.symbol))}`;
  if (failed.length > 10) rec.log(message, 'warning');
  rec.error({
    phase: 'symbol_processing',
    code: 'no_data',
    message: `${message} (${[...byCode].map(([code, list]) => `${code}: ${list.length}`).join(', ')})`,
  });
}
