/** Runs `fn` over `items` with at most `limit` calls in flight; results keep input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Provider calls a phase keeps in flight. High on purpose: a one-symbol-per-request provider
 * (FMP, Polygon, Yahoo) is otherwise latency-bound — 10 new symbols at 200 ms a request took
 * 3 rounds per phase at 4 — while the provider's own rate limiter (ResilientProvider's token
 * bucket) is what keeps us within its published limits.
 */
export const PROVIDER_CALL_CONCURRENCY = 16;
