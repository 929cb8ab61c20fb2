import { ScopeLockRepository } from '../../db/repositories/scope-lock-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';

/** The lock key of one symbol's market data (shared by every calculation and process). */
export const symbolLockKey = (symbol: string) => `symbol:${symbol}`;

/** Runs `work` holding the locks of `symbols`' market data. */
export type WithSymbolLocks = <T>(symbols: readonly string[], work: () => Promise<T>) => Promise<T>;

/**
 * A calculation's way to hold symbols' locks while it fetches their data: a wait is logged (and
 * flushed at once), and `signal` lets go of the locks held or awaited when the process gives up.
 */
export function symbolLocksFor(
  ctx: PipelineContext,
  rec: RunRecorder,
  signal: AbortSignal | undefined,
): WithSymbolLocks {
  const locks = new ScopeLockRepository(ctx.db);
  return async (symbols, work) => {
    const release = await locks.acquire(symbols.map(symbolLockKey), {
      signal,
      onWait: (busy) => {
        rec.log(
          `Waiting for ${busy.map((k) => k.replace(/^symbol:/, '')).join(', ')}: another calculation is fetching them`,
        );
        // Shown while waiting, not after: the user watching the status sees why it paused.
        void rec.flush().catch(() => {});
      },
    });
    try {
      return await work();
    } finally {
      await release();
    }
  };
}
