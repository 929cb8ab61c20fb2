import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../../src/db/repositories/user-repository.ts';
import { calculatePortfolio } from '../../../src/pipeline/onboarding/calculate-portfolio.ts';
import { stock } from '../../helpers/stock-position.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';
import { samplePipeline } from '../../helpers/user-book.ts';

describeOnEachEngine('dashboard reads: ETags, 304 and the in-process cache', ({ database }) => {
  let serveA: TestApp;
  let serveB: TestApp;
  let token: string;
  let otherToken: string;
  let bookId: string;

  beforeAll(async () => {
    // Two apps over one database: two `serve` processes, each with its own cache.
    serveA = await createTestApp(() => database());
    serveB = await createTestApp(() => database());
    token = await serveA.login('reader@example.com');
    otherToken = await serveA.login('other-reader@example.com');
    const db = database().db;
    const reader = await new UserRepository(db).findByEmail('reader@example.com');
    const portfolio = await new PortfolioRepository(db).createWithPositions({
      userId: reader!.id,
      name: 'Cached book',
      accountName: 'CACHED',
      accountType: 'taxable',
      equityBalance: '200000',
      positions: [stock('AAPL', 100, 150, '2026-01-02'), stock('SPY', 50, 500, '2026-01-02')],
    });
    bookId = portfolio.id;
    const result = await calculatePortfolio(await samplePipeline(db), bookId, {
      date: '2026-07-31',
    });
    expect(result.status).toBe('completed');
  });

  const overview = (app: TestApp, headers: Record<string, string> = {}, as = token) =>
    app.request(`/api/v1/analytics/portfolio/${bookId}/overview`, { token: as, headers });

  it('answers a repeated read with the same ETag and a 304 when the client has it', async () => {
    const first = await overview(serveA);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const body = await first.text();

    const again = await overview(serveA);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(body);

    const conditional = await overview(serveA, { 'if-none-match': etag! });
    expect(conditional.status).toBe(304);
    expect(await conditional.text()).toBe('');
    // A second process that has not seen the request yet runs the handler and still says 304.
    const otherProcess = await overview(serveB, { 'if-none-match': `W/${etag}` });
    expect(otherProcess.status).toBe(304);
  });

  it('changes the ETag and the body as soon as a write lands, whichever process made it', async () => {
    const before = await serveA.request(`/api/v1/data/portfolios`, { token });
    const etag = before.headers.get('etag')!;
    const [row] = ((await before.json()) as { name: string }[]).filter((p) => p.name);
    expect(row!.name).toBe('Cached book');

    const renamed = await serveB.send(
      'PUT',
      `/api/v1/portfolios/${bookId}`,
      { name: 'Renamed book' },
      token,
    );
    expect(renamed.status).toBe(200);

    const after = await serveA.request(`/api/v1/data/portfolios`, {
      token,
      headers: { 'if-none-match': etag },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { name: string }[])[0]!.name).toBe('Renamed book');

    // A write made outside the API (another tool, a worker) is seen the same way.
    const etag2 = after.headers.get('etag')!;
    await database().db.execute(
      sql`UPDATE portfolios SET description = 'set by SQL' WHERE id = ${bookId}`,
    );
    const third = await serveA.request(`/api/v1/data/portfolios`, {
      token,
      headers: { 'if-none-match': etag2 },
    });
    expect(third.status).toBe(200);
    expect(((await third.json()) as { description: string }[])[0]!.description).toBe('set by SQL');
  });

  it("never answers another user's ETag with a 304 or a cached body", async () => {
    const mine = await overview(serveA);
    expect(mine.status).toBe(200);
    const etag = mine.headers.get('etag')!;
    const theirs = await overview(serveA, { 'if-none-match': etag }, otherToken);
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get('etag')).toBeNull();
  });

  it('keeps errors out of the cache: a 404 stays a 404 without an ETag', async () => {
    const missing = await serveA.request(
      '/api/v1/analytics/portfolio/00000000-0000-4000-8000-000000000000/overview',
      { token },
    );
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
  });
});
