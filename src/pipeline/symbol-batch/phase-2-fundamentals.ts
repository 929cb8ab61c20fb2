import { CompanyProfileRepository } from '../../db/repositories/company-profile-repository.ts';
import { chunk, mapWithConcurrency, PROVIDER_CALL_CONCURRENCY } from '../concurrency.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';

/**
 * Phase 2: fundamentals, earnings-driven — only symbols whose next earnings date is unknown or
 * has passed are asked again. Skipped, with the reason logged, when the provider has none.
 */
export async function runFundamentalsPhase(
  ctx: PipelineContext,
  rec: RunRecorder,
  symbols: readonly string[],
  date: string,
): Promise<void> {
  const provider = ctx.provider;
  if (!provider.capabilities.fundamentals || !provider.getFundamentals) {
    await rec.skip('phase_2', `provider ${provider.name} offers no fundamentals`);
    return;
  }
  const repo = new CompanyProfileRepository(ctx.db);
  const due = await repo.earningsDue(symbols, date);
  if (due.length === 0) {
    await rec.skip('phase_2', 'no symbol has reported earnings since the last refresh');
    return;
  }
  await rec.start('phase_2', due.length);
  let done = 0;
  const withoutEarnings: string[] = [];
  const size = Math.max(1, Math.min(provider.maxSymbolsPerRequest, 200));
  await mapWithConcurrency(chunk(due, size), PROVIDER_CALL_CONCURRENCY, async (group) => {
    const results = await provider.getFundamentals!(group);
    const updates: { symbol: string; nextEarningsDate: string | null }[] = [];
    for (const symbol of group) {
      const r = results.get(symbol);
      if (r?.ok) updates.push({ symbol, nextEarningsDate: r.value.nextEarningsDate });
      // Funds have no earnings calendar: that is a fact about the symbol, not a failure, and
      // counting it as one would mark every nightly run that holds an ETF `partial`.
      else if (r?.error.code === 'no_data') withoutEarnings.push(symbol);
      else if (r && r.error.code !== 'not_supported') {
        rec.error({ symbol, phase: 'phase_2', code: r.error.code, message: r.error.message });
      }
    }
    await repo.updateEarningsDates(updates);
    done += group.length;
    await rec.progress('phase_2', done);
  });
  if (withoutEarnings.length > 0) {
    rec.log(
      `${withoutEarnings.length} symbol(s) have no earnings calendar (funds or not covered): ` +
        withoutEarnings.sort().join(', '),
    );
  }
  await rec.complete('phase_2');
}
