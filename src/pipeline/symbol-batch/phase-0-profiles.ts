import { CompanyProfileRepository } from '../../db/repositories/company-profile-repository.ts';
import type { SymbolProfile } from '../../market/provider.ts';
import { sourcesOf } from '../../market/registry.ts';
import { chunk, mapWithConcurrency, PROVIDER_CALL_CONCURRENCY } from '../concurrency.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';

const PROFILE_MAX_AGE_DAYS = 7;

/** Phase 0: company profiles and valuations, fetched only for symbols with none or a stale one. */
export async function runProfilePhase(
  ctx: PipelineContext,
  rec: RunRecorder,
  symbols: readonly string[],
): Promise<void> {
  const repo = new CompanyProfileRepository(ctx.db);
  if (!ctx.provider.capabilities.profiles) {
    await rec.skip('phase_0', `provider ${ctx.provider.name} offers no profiles`);
    return;
  }
  const stale = await repo.staleSymbols(symbols, PROFILE_MAX_AGE_DAYS);
  if (stale.length === 0) {
    await rec.skip(
      'phase_0',
      `all ${symbols.length} profiles are fresher than ${PROFILE_MAX_AGE_DAYS} days`,
    );
    return;
  }
  await rec.start('phase_0', stale.length);
  let done = 0;
  let failed = 0;
  const size = Math.max(1, Math.min(ctx.provider.maxSymbolsPerRequest, 200));
  await mapWithConcurrency(chunk(stale, size), PROVIDER_CALL_CONCURRENCY, async (group) => {
    const results = await ctx.provider.getProfiles(group);
    const sources = sourcesOf(results);
    const bySource = new Map<string, SymbolProfile[]>();
    for (const symbol of group) {
      const r = results.get(symbol);
      if (r?.ok) {
        const source = sources?.get(symbol) ?? ctx.provider.name;
        let list = bySource.get(source);
        if (!list) bySource.set(source, (list = []));
        list.push(r.value);
      } else {
        failed++;
        rec.error({
          symbol,
          phase: 'phase_0',
          code: r ? r.error.code : 'missing_result',
          message: r ? r.error.message : `${ctx.provider.name} returned nothing for ${symbol}`,
        });
      }
    }
    for (const [source, profiles] of bySource) await repo.upsert(profiles, source);
    done += group.length;
    await rec.progress('phase_0', done);
  });
  rec.log(`Profiles: refreshed ${stale.length - failed} of ${stale.length} stale profile(s)`);
  await rec.complete('phase_0');
}
