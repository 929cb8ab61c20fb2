import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { PortfolioScope } from '../api/hooks/scope.ts';

const LAST_SCOPE_KEY = 'betaboard.last-portfolio';

/**
 * The portfolio a page shows, in the URL (`?portfolio=<id>` or `all`) so links and reloads
 * keep it; without one, the last choice of this browser, else All accounts.
 */
export function usePortfolioScope(): [PortfolioScope, (scope: PortfolioScope) => void] {
  const [params, setParams] = useSearchParams();
  let scope = params.get('portfolio');
  if (!scope) {
    try {
      scope = localStorage.getItem(LAST_SCOPE_KEY);
    } catch {
      scope = null;
    }
  }
  const setScope = useCallback(
    (next: PortfolioScope) => {
      try {
        localStorage.setItem(LAST_SCOPE_KEY, next);
      } catch {
        // ignore: the URL still holds the choice
      }
      setParams(
        (current) => {
          const copy = new URLSearchParams(current);
          copy.set('portfolio', next);
          return copy;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [scope ?? 'all', setScope];
}
