import { CompanyProfileRepository } from '../../db/repositories/company-profile-repository.ts';
import { EquityChangeRepository } from '../../db/repositories/equity-change-repository.ts';
import {
  PortfolioRepository,
  type RefreshAnchor,
} from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository, type PositionRow } from '../../db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../db/repositories/snapshot-repository.ts';
import type { CapitalFlow } from '../../domain/pnl/types.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { SectorLookup } from './phase-analytics.ts';
import { historyWindowOf } from '../../domain/pnl/history-window.ts';
import type { RefreshMode } from './phase-4-pnl.ts';

/** Everything the refresh reads from the database for one portfolio. */
export interface PortfolioRefreshInput {
  portfolio: RefreshAnchor;
  positions: PositionRow[];
  flows: CapitalFlow[];
  /** Fast mode: the stored complete days of its history window (empty in full mode). */
  completeDates: Set<string>;
}

export interface RefreshInputs {
  /** By portfolio id; a deleted or unknown portfolio is absent. */
  portfolios: Map<string, PortfolioRefreshInput>;
  /** Company profiles of every symbol the portfolios hold (or hold options on). */
  profiles: SectorLookup;
}

/**
 * The inputs of many portfolios in a handful of queries (one per table), so the reads of a chunk
 * cost about what one portfolio's did.
 */
export async function loadRefreshInputs(
  ctx: PipelineContext,
  portfolioIds: readonly string[],
  date: string,
  mode: RefreshMode,
): Promise<RefreshInputs> {
  const snapshots = new SnapshotRepository(ctx.db);
  const anchors = await new PortfolioRepository(ctx.db).anchorsOf(portfolioIds);
  const ids = portfolioIds.filter((id) => anchors.has(id));
  const positions = await new PositionRepository(ctx.db).listPositionsOf(ids);
  const flows = await new EquityChangeRepository(ctx.db).signedFlowsOf(ids);
  const completeDates =
    mode === 'fast'
      ? await snapshots.completeDatesOf(
          ids.flatMap((id) => {
            const { sessions } = historyWindowOf(anchors.get(id)!, positions.get(id)!, date);
            return sessions.length > 0 ? [{ portfolioId: id, from: sessions[0]! }] : [];
          }),
          date,
        )
      : new Map<string, Set<string>>();
  // Every symbol and underlying, held or not: the lookup then never depends on which other
  // portfolios share the chunk.
  const symbols = new Set<string>();
  for (const list of positions.values())
    for (const p of list) {
      symbols.add(p.symbol);
      if (p.underlyingSymbol) symbols.add(p.underlyingSymbol);
    }
  const profiles: SectorLookup =
    symbols.size > 0
      ? await new CompanyProfileRepository(ctx.db).getSectors([...symbols])
      : new Map();
  return {
    portfolios: new Map(
      ids.map((id) => [
        id,
        {
          portfolio: anchors.get(id)!,
          positions: positions.get(id)!,
          flows: flows.get(id)!,
          completeDates: completeDates.get(id) ?? new Set(),
        },
      ]),
    ),
    profiles,
  };
}
