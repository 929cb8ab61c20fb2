import type { ResilienceOptions } from '../src/market/resilience/resilience-options.ts';

/** What onboarding.bench.ts and its server process (onboarding-server.ts) say over IPC. */

/** The FMP rate limit the pipeline is measured with (the shipped default, 4/s, is measured too). */
export const BENCH_RATE_LIMIT: Partial<ResilienceOptions> = { requestsPerSecond: 50, burst: 50 };

export type ServerCommand =
  { type: 'rate_limit'; limit: 'bench' | 'shipped' } | { type: 'event_loop' } | { type: 'stop' };

export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'ack' }
  | { type: 'event_loop'; max_ms: number; p99_ms: number; mean_ms: number };
