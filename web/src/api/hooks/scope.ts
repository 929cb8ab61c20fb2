/** What a page shows: every portfolio of the user ('all') or one portfolio by id. */
export type PortfolioScope = 'all' | (string & {});

export const ALL_ACCOUNTS: PortfolioScope = 'all';

export function isAll(scope: PortfolioScope): scope is 'all' {
  return scope === 'all';
}
