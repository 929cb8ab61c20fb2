import { beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { RecordingJobQueue } from './admin-test-helpers.ts';

/** The value of one sample line (`name{labels} value`) of the exposition text, if present. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((w) => present.includes(w))) return Number(match[3]);
  }
  return null;
}

describeOnEachEngine('/metrics', ({ database }) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(() => database(), {
      jobs: new RecordingJobQueue(() => database().db, 5),
    });
    token = await t.login('metrics-reader@example.com');
  });

  it('is public Prometheus text with queue depth and cache hit ratio read at scrape time', async () => {
    t.ctx.cache.putFactors('2025-06-06', new Map([['AAA', []]]));
    t.ctx.cache.getFactors('AAA', '2025-06-06');
    t.ctx.cache.getFactors('AAA', '2025-06-06');
    t.ctx.cache.getFactors('AAA', '2025-06-06');
    t.ctx.cache.getFactors('BBB', '2025-06-06');

    const res = await t.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'betaboard_queue_depth')).toBe(5);
    expect(sample(text, 'betaboard_symbol_cache_hit_ratio')).toBe(0.75);
    expect(text).toContain('# TYPE betaboard_job_duration_seconds histogram');
    expect(text).toContain('# TYPE betaboard_jobs_finished_total counter');
    expect(text).toContain('betaboard_process_cpu_user_seconds_total');
  });

  it('times requests by route pattern, never by raw path', async () => {
    const before = await (await t.request('/metrics')).text();
    const labels = { method: 'GET', route: '/api/v1/symbols/:symbol', status: '404' };
    const countBefore =
      sample(before, 'betaboard_http_request_duration_seconds_count', labels) ?? 0;

    expect((await t.request('/api/v1/symbols/QQQQ1', { token })).status).toBe(404);
    expect((await t.request('/api/v1/symbols/QQQQ2', { token })).status).toBe(404);
    // Rejected by the auth middleware: still counted against the route it was aimed at.
    expect((await t.request('/api/v1/symbols/QQQQ3')).status).toBe(401);
    expect((await t.request('/no/such/path/12345')).status).toBe(404);

    const text = await (await t.request('/metrics')).text();
    expect(sample(text, 'betaboard_http_request_duration_seconds_count', labels)).toBe(
      countBefore + 2,
    );
    expect(
      sample(text, 'betaboard_http_request_duration_seconds_count', {
        route: '/api/v1/symbols/:symbol',
        status: '401',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'betaboard_http_request_duration_seconds_count', {
        route: 'unmatched',
        status: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('QQQQ');
    expect(text).not.toContain('12345');
    // The scrape itself is timed under its own route.
    expect(
      sample(text, 'betaboard_http_request_duration_seconds_count', { route: '/metrics' }),
    ).toBeGreaterThanOrEqual(1);
  });
});
