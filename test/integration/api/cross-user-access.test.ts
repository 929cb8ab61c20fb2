import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { ALL_ROUTE_DOCS } from '../../../src/api/openapi/all-route-docs.ts';
import { PortfolioRepository } from '../../../src/db/repositories/portfolio-repository.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

/** Routes that name a portfolio, found from the route docs so a new route cannot be forgotten. */
const PORTFOLIO_ROUTES = ALL_ROUTE_DOCS.filter(
  (doc) =>
    doc.auth !== 'none' &&
    !doc.path.startsWith('/api/v1/admin/') &&
    (/\/portfolios?\/\{id\}/.test(doc.path) || doc.query?.shape.portfolio_id !== undefined),
);

/** A body that would be valid for the route, so a 404 cannot be a validation error in disguise. */
function plausibleBody(path: string, method: string): string | undefined {
  if (method === 'get' || method === 'delete') return undefined;
  if (path.endsWith('/equity-changes')) {
    return JSON.stringify({ change_type: 'CONTRIBUTION', amount: 1000, change_date: '2026-01-05' });
  }
  if (path === '/api/v1/portfolios/{id}') return JSON.stringify({ name: 'Renamed' });
  return JSON.stringify({});
}

describeOnEachEngine(
  'another user’s portfolio id answers 404 on every portfolio route',
  ({ database }) => {
    it('covers every documented portfolio route', () => {
      // Guard against the filter silently matching nothing.
      expect(PORTFOLIO_ROUTES.length).toBeGreaterThanOrEqual(20);
    });

    it('answers 404 ERR_PORTFOLIO_NOT_FOUND for the other user and for a missing id alike', async () => {
      const t = await createTestApp(() => database());
      const ownerToken = await t.login('owner@example.com');
      const strangerToken = await t.login('stranger@example.com');
      const me = (await (await t.request('/api/v1/auth/me', { token: ownerToken })).json()) as {
        id: string;
      };
      const portfolio = await new PortfolioRepository(database().db).createWithPositions({
        userId: me.id,
        name: 'Owner book',
        accountName: 'Owner account',
        accountType: 'taxable',
        equityBalance: 100000,
        positions: [
          {
            symbol: 'SPY',
            positionType: 'LONG',
            quantity: 10,
            entryPrice: 400,
            entryDate: '2025-01-02',
            exitDate: null,
            exitPrice: null,
            investmentClass: 'PUBLIC',
            investmentSubtype: 'ETF',
            underlyingSymbol: null,
            strikePrice: null,
            expirationDate: null,
            optionType: null,
          },
        ],
      });

      const failures: string[] = [];
      for (const doc of PORTFOLIO_ROUTES) {
        for (const [label, id] of [
          ['other user', portfolio.id],
          ['missing', randomUUID()],
        ] as const) {
          let path = doc.path.replace('{id}', id).replace(/\{[a-z_]+\}/g, () => randomUUID());
          if (doc.query?.shape.portfolio_id !== undefined) path += `?portfolio_id=${id}`;
          const body = plausibleBody(doc.path, doc.method);
          const res = await t.request(path, {
            method: doc.method.toUpperCase(),
            token: strangerToken,
            ...(body === undefined
              ? {}
              : { body, headers: { 'content-type': 'application/json' } }),
          });
          const json = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
          if (res.status !== 404 || json?.error?.code !== 'ERR_PORTFOLIO_NOT_FOUND') {
            failures.push(
              `${doc.method.toUpperCase()} ${doc.path} (${label}): ${res.status} ${json?.error?.code}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);

      // The owner still sees it, and nothing the stranger sent changed it.
      const own = await t.request(`/api/v1/portfolios/${portfolio.id}`, { token: ownerToken });
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({ id: portfolio.id, name: 'Owner book' });
    });
  },
);
