import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  betaboardEnv,
  ProcessGroup,
  queryOnce,
  startWorker,
  waitForRun,
} from '../helpers/betaboard-process.ts';
import { startTestPostgres, type TestPostgresServer } from '../helpers/postgres-server.ts';
import {
  createMigratedDatabase,
  FAULT_DATE,
  FAULT_ENV,
  registerSymbols,
  simSymbols,
} from './fault-setup.ts';

/**
 * Two `betaboard worker` processes with the scheduler on, both up when the nightly symbol
 * batch's minute comes: the tick fires once, so one job and one run result. The stored schedule
 * is moved to the coming minute (the 21:00 New York tick itself is hours away); everything
 * else — both processes checking the schedules, pg-boss's once-per-interval cron lock, the
 * tick's singleton slot — is what runs in production.
 */
const SCHEDULE_ZONE = 'America/New_York';

/** The five-field cron of the minute containing `at`, in New York, any day. */
function cronOfMinute(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: SCHEDULE_ZONE,
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return `${part('minute')} ${part('hour')} * * *`;
}

describe('two scheduler instances at the same minute', () => {
  let pg: TestPostgresServer;
  let url: string;
  const processes = new ProcessGroup();

  beforeAll(async () => {
    pg = await startTestPostgres();
    url = await createMigratedDatabase(pg, 'scheduled');
    await registerSymbols(url, simSymbols(20));
  }, 120_000);

  afterAll(async () => {
    await processes.stopAll();
    pg?.stop();
  });

  it('fire one symbol batch: one job, one run', async () => {
    const env = betaboardEnv(url, {
      ...FAULT_ENV,
      MARKET_DATA_PROVIDER: 'simulated',
      SIMULATED_LATEST_DATE: FAULT_DATE,
    });
    const schedulers = [
      processes.add(startWorker('scheduler 1', env, { schedule: true })),
      processes.add(startWorker('scheduler 2', env, { schedule: true })),
    ];
    await Promise.all(schedulers.map((s) => s.ready));
    const [stored] = await queryOnce<{ cron: string; timezone: string }>(
      url,
      `SELECT cron, timezone FROM pgboss.schedule WHERE name = 'symbol_batch'`,
    );
    expect(stored).toEqual({ cron: '0 21 * * 1-5', timezone: SCHEDULE_ZONE });

    // A tick is sent while its minute lasts, and pg-boss checks the schedules every 30 s: the
    // current minute if 35 s of it remain, else the next one.
    const now = Date.now();
    const minuteStart = now - (now % 60_000);
    const tick = now - minuteStart <= 25_000 ? minuteStart : minuteStart + 60_000;
    await queryOnce(url, `UPDATE pgboss.schedule SET cron = $1 WHERE name = 'symbol_batch'`, [
      cronOfMinute(new Date(tick)),
    ]);
    // Past the minute, and past the moment a tick's job would be created (every 5 s).
    await new Promise((resolve) => setTimeout(resolve, tick + 60_000 + 10_000 - Date.now()));

    const jobs = await queryOnce<{ id: string; state: string }>(
      url,
      `SELECT id, state FROM pgboss.job WHERE name = 'symbol_batch'`,
    );
    expect(jobs, processes.outputs()).toHaveLength(1);
    const runs = await queryOnce<{ id: string }>(
      url,
      `SELECT id FROM batch_runs WHERE job_type = 'symbol_batch' AND triggered_by = 'scheduler'`,
    );
    expect(runs).toHaveLength(1);
    expect(await waitForRun(url, runs[0]!.id, 120_000)).toBe('completed');
    // Both instances are still up: neither stopped scheduling, yet only one tick was sent.
    for (const s of schedulers) expect(s.child.exitCode, s.label).toBeNull();
  });
});
