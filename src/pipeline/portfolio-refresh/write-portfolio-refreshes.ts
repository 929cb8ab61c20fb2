import type { Db } from '../../db/database.ts';
import { CorrelationRepository } from '../../db/repositories/correlation-repository.ts';
import {
  PortfolioFactorRepository,
  type PortfolioFactorWrite,
} from '../../db/repositories/portfolio-factor-repository.ts';
import type { CorrelationCalculationInput } from '../../db/repositories/correlation-repository.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';
import {
  SnapshotRepository,
  type RefreshedSnapshotRow,
} from '../../db/repositories/snapshot-repository.ts';
import {
  StressRepository,
  type PortfolioStressWrite,
} from '../../db/repositories/stress-repository.ts';
import type { PositionValuation } from './phase-4-pnl.ts';

/** Every row one portfolio's refresh writes for the date. */
export interface PortfolioRefreshWrite {
  portfolioId: string;
  /** Set when the portfolio had no anchor: this date becomes it. */
  anchorDate: string | null;
  snapshots: RefreshedSnapshotRow[];
  valuations: PositionValuation[];
  /** Null (nothing replaced) when the phase did not run, e.g. a skipped portfolio. */
  factors: PortfolioFactorWrite | null;
  stress: Omit<PortfolioStressWrite, 'portfolioId'> | null;
  /** Null when there is no calculation (NAV not positive): the stored one is left alone. */
  correlation: CorrelationCalculationInput | null;
}

/** Milliseconds spent writing, by the phase whose rows they were. */
export type WriteTimings = Record<
  'phase_4' | 'phase_5' | 'phase_6' | 'analytics' | 'commit',
  number
>;

/**
 * Writes the rows of many portfolios in one transaction, each table with one statement (two
 * for a replace): per-statement and per-commit costs are paid once per chunk instead of once per
 * portfolio. Throws if anything fails, and then nothing of the chunk is written.
 */
export async function writePortfolioRefreshes(
  db: Db,
  date: string,
  writes: readonly PortfolioRefreshWrite[],
): Promise<WriteTimings> {
  const timings: WriteTimings = { phase_4: 0, phase_5: 0, phase_6: 0, analytics: 0, commit: 0 };
  const started = performance.now();
  await db.transaction(async (tx) => {
    const timed = async (phase: keyof WriteTimings, fn: () => Promise<void>) => {
      const t = performance.now();
      await fn();
      timings[phase] += performance.now() - t;
    };
    const portfolios = new PortfolioRepository(tx);
    await timed('phase_4', async () => {
      for (const w of writes)
        if (w.anchorDate) await portfolios.setAnchorDate(w.portfolioId, w.anchorDate);
      await new SnapshotRepository(tx).upsertRefreshed(writes.flatMap((w) => w.snapshots));
      await new PositionRepository(tx).updateValuations(writes.flatMap((w) => w.valuations));
    });
    await timed('phase_5', () =>
      new PortfolioFactorRepository(tx).replaceMany(
        date,
        writes.flatMap((w) => (w.factors ? [w.factors] : [])),
      ),
    );
    await timed('phase_6', () =>
      new StressRepository(tx).replaceMany(
        date,
        writes.flatMap((w) => (w.stress ? [{ portfolioId: w.portfolioId, ...w.stress }] : [])),
      ),
    );
    await timed('analytics', () =>
      new CorrelationRepository(tx).replaceMany(
        date,
        writes.flatMap((w) =>
          w.correlation ? [{ portfolioId: w.portfolioId, calculation: w.correlation }] : [],
        ),
      ),
    );
  });
  timings.commit =
    performance.now() -
    started -
    (timings.phase_4 + timings.phase_5 + timings.phase_6 + timings.analytics);
  return timings;
}

/** Adds a chunk's read and write times, shared by its `portfolios`, to one portfolio's phases. */
export function addWriteTimings(
  phaseMs: Record<string, number>,
  timings: Partial<Record<string, number>>,
  portfolios: number,
): void {
  for (const [phase, ms] of Object.entries(timings))
    phaseMs[phase] = (phaseMs[phase] ?? 0) + (ms ?? 0) / portfolios;
  for (const phase of Object.keys(phaseMs))
    phaseMs[phase] = Math.round(phaseMs[phase]! * 100) / 100;
}
