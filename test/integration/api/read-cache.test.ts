import { sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { ReadVersionSource } from '../../../src/api/read-cache/read-version-source.ts';
import { driverOf, queryRows } from '../../../src/db/database.ts';
import { AuthSessionRepository } from '../../../src/db/repositories/auth-session-repository.ts';
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

describeOnEachEngine(
  'dashboard reads: what a warm read costs and what ends it',
  ({ database, engine }) => {
    let serveA: TestApp;
    let serveB: TestApp;
    let token: string;
    let otherToken: string;
    let readerId: string;
    let otherId: string;

    beforeAll(async () => {
      serveA = await createTestApp(() => database());
      serveB = await createTestApp(() => database());
      token = await serveA.login('warm-reader@example.com');
      otherToken = await serveA.login('warm-other@example.com');
      const users = new UserRepository(database().db);
      readerId = (await users.findByEmail('warm-reader@example.com'))!.id;
      otherId = (await users.findByEmail('warm-other@example.com'))!.id;
    });

    const newBook = async (name: string) => {
      const db = database().db;
      const portfolio = await new PortfolioRepository(db).createWithPositions({
        userId: readerId,
        name,
        accountName: name.toUpperCase().replace(/\W/g, '_'),
        accountType: 'taxable',
        equityBalance: '100000',
        positions: [stock('AAPL', 10, 150, '2026-01-02')],
      });
      return portfolio.id;
    };

    /** Statements sent to the database while `fn` runs, whichever API the code used. */
    async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
      const driver = driverOf(database().db);
      const spies =
        driver.engine === 'pglite'
          ? [
              vi.spyOn(driver.client, 'query'),
              vi.spyOn(driver.client, 'exec'),
              vi.spyOn(driver.client, 'transaction'),
            ]
          : [vi.spyOn(driver.pool, 'query')]; // Drizzle sends statements outside transactions here
      try {
        await fn();
        return spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    }

    it('answers a warm read without a database round trip (PGlite) or with one shared version read (PostgreSQL)', async () => {
      const bookId = await newBook('Warm book');
      const url = `/api/v1/data/positions/details?portfolio_id=${bookId}`;
      const first = await serveA.request(url, { token });
      expect(first.status).toBe(200);
      const body = await first.text();

      const source = ReadVersionSource.of(database());
      await source.settled;
      expect(source.listening).toBe(engine === 'pglite');
      // Only the embedded database's trigger notifies: nothing listens on PostgreSQL.
      const [trigger] = await queryRows<{ source: string }>(
        database().db,
        sql`SELECT prosrc AS source FROM pg_proc WHERE proname = 'count_read_version_write'`,
      );
      expect(trigger!.source.includes('pg_notify')).toBe(engine === 'pglite');
      await serveA.request(url, { token }); // under the version as notifications keep it
      const queriesBefore = source.queries;
      let again: Response | undefined;
      const statements = await statementsDuring(async () => {
        again = await serveA.request(url, { token });
      });
      expect(again!.status).toBe(200);
      expect(await again!.text()).toBe(body);
      if (engine === 'pglite') {
        // The version is a counter the database's notifications move; the session is in memory.
        expect(statements).toBe(0);
        expect(source.queries).toBe(queriesBefore);
      } else {
        expect(statements).toBe(1);
        expect(source.queries).toBe(queriesBefore + 1);
        // Concurrent requests share version reads: 20 at once need far fewer than 20.
        const before = source.queries;
        const all = await Promise.all(
          Array.from({ length: 20 }, () => serveA.request(url, { token })),
        );
        expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
        expect(source.queries - before).toBeLessThanOrEqual(3);
      }
    });

    it('runs the handler once for identical requests that arrive while it runs', async () => {
      const bookId = await newBook('Busy book');
      const url = `/api/v1/analytics/portfolio/${bookId}/overview`;
      await serveA.request('/api/v1/data/portfolios', { token }); // the session, cached
      const bump = () =>
        database().db.execute(sql`UPDATE portfolios SET description = NULL WHERE id = ${bookId}`);
      await bump();
      let single: Response | undefined;
      const one = await statementsDuring(async () => {
        single = await serveA.request(url, { token });
      });
      expect(single!.status).toBe(200);
      await bump();
      let all: Response[] = [];
      const ten = await statementsDuring(async () => {
        all = await Promise.all(Array.from({ length: 10 }, () => serveA.request(url, { token })));
      });
      expect(all.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(all.map((r) => r.headers.get('etag'))).size).toBe(1);
      expect(one).toBeGreaterThan(2);
      // PostgreSQL: the ten share their version reads too (one query, or two if they straddle one).
      expect(ten).toBeLessThanOrEqual(one + 1);
    });

    it('shows a calculation written by the pipeline at the next request', async () => {
      const bookId = await newBook('Pipeline book');
      const pipeline = await samplePipeline(database().db);
      expect((await calculatePortfolio(pipeline, bookId, { date: '2026-07-30' })).status).toBe(
        'completed',
      );
      const url = `/api/v1/data/positions/details?portfolio_id=${bookId}`;
      const before = await serveA.request(url, { token });
      expect(((await before.json()) as { as_of: string }).as_of).toBe('2026-07-30');
      const etag = before.headers.get('etag')!;
      expect(
        (await serveA.request(url, { token, headers: { 'if-none-match': etag } })).status,
      ).toBe(304);

      expect((await calculatePortfolio(pipeline, bookId, { date: '2026-07-31' })).status).toBe(
        'completed',
      );
      for (const app of [serveA, serveB]) {
        const after = await app.request(url, { token, headers: { 'if-none-match': etag } });
        expect(after.status).toBe(200);
        expect(((await after.json()) as { as_of: string }).as_of).toBe('2026-07-31');
      }
    });

    it('ends a session at logout at once, in this process and the other', async () => {
      const session = await serveA.login('warm-reader@example.com');
      const me = (app: TestApp) => app.request('/api/v1/data/portfolios', { token: session });
      expect((await me(serveA)).status).toBe(200);
      expect((await me(serveB)).status).toBe(200);
      expect((await me(serveB)).status).toBe(200); // now a cached session in both

      const out = await serveA.request('/api/v1/auth/logout', {
        method: 'POST',
        token: session,
      });
      expect(out.status).toBe(204);
      for (const app of [serveA, serveB]) {
        const res = await me(app);
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'ERR_AUTH_REQUIRED',
        );
      }
      // The reader's other session is unaffected.
      expect((await serveB.request('/api/v1/data/portfolios', { token })).status).toBe(200);
    });

    it('ends every session of a user whose sessions are revoked by another connection (password change)', async () => {
      const session = await serveA.login('warm-other@example.com');
      expect((await serveA.request('/api/v1/data/portfolios', { token: session })).status).toBe(
        200,
      );
      expect((await serveB.request('/api/v1/data/portfolios', { token: session })).status).toBe(
        200,
      );
      // What `betaboard user set-password` does, from outside both apps.
      expect(await new AuthSessionRepository(database().db).deleteAllOfUser(otherId)).toBe(2);
      for (const app of [serveA, serveB]) {
        expect((await app.request('/api/v1/data/portfolios', { token: session })).status).toBe(401);
        expect((await app.request('/api/v1/data/portfolios', { token: otherToken })).status).toBe(
          401,
        );
      }
      otherToken = await serveA.login('warm-other@example.com');
    });

    it('ends a cached session when it expires, without any write', async () => {
      let clock = new Date();
      const timed = await createTestApp(() => database(), { now: () => clock });
      const session = await timed.login('warm-reader@example.com');
      expect((await timed.request('/api/v1/data/portfolios', { token: session })).status).toBe(200);
      expect((await timed.request('/api/v1/data/portfolios', { token: session })).status).toBe(200);
      clock = new Date(clock.getTime() + 3600_000 + 1000); // the test apps' token lifetime is 1 h
      expect((await timed.request('/api/v1/data/portfolios', { token: session })).status).toBe(401);
    });

    it('answers 404 at once for a deleted or transferred portfolio, from either process', async () => {
      const deleted = await newBook('Book to delete');
      const moved = await newBook('Book to move');
      const overview = (app: TestApp, id: string, as = token) =>
        app.request(`/api/v1/analytics/portfolio/${id}/overview`, { token: as });
      for (const id of [deleted, moved]) {
        for (const app of [serveA, serveB]) expect((await overview(app, id)).status).toBe(200);
        for (const app of [serveA, serveB]) expect((await overview(app, id)).status).toBe(200);
      }

      expect(
        (await serveB.send('DELETE', `/api/v1/portfolios/${deleted}`, undefined, token)).status,
      ).toBe(200);
      await database().db.execute(
        sql`UPDATE portfolios SET user_id = ${otherId} WHERE id = ${moved}`,
      );
      for (const app of [serveA, serveB]) {
        for (const id of [deleted, moved]) {
          const res = await overview(app, id);
          expect(res.status).toBe(404);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
            'ERR_PORTFOLIO_NOT_FOUND',
          );
        }
      }
      // The new owner reads the moved book; the old owner's ETag is no use to them.
      expect((await overview(serveA, moved, otherToken)).status).toBe(200);
    });

    it('gives another user neither a 304 nor a cached body for a URL both may read', async () => {
      await newBook('Aggregate book');
      const url = '/api/v1/analytics/aggregate/overview';
      const mine = await serveA.request(url, { token });
      expect(mine.status).toBe(200);
      const etag = mine.headers.get('etag')!;
      const myBody = await mine.text();
      // Same URL, same version, another user: their own body under their own tag.
      for (const app of [serveA, serveB]) {
        const theirs = await app.request(url, {
          token: otherToken,
          headers: { 'if-none-match': etag },
        });
        expect(theirs.status).toBe(200);
        expect(theirs.headers.get('etag')).not.toBe(etag);
        expect(await theirs.text()).not.toBe(myBody);
      }
      // The tag is the same in both processes for the same user and body.
      const fromB = await serveB.request(url, { token, headers: { 'if-none-match': etag } });
      expect(fromB.status).toBe(304);
    });
  },
);
