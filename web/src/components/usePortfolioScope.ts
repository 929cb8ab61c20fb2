import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router';
import type { PortfolioScope } from '../api/hooks/scope.ts';

const LAST_SCOPE_KEY = 'betaboard.last-portfolio';

/** The portfolio chosen last in this browser, or null. */
export function lastPortfolioScope(): PortfolioScope | null {
  try {
    return localStorage.getItem(LAST_SCOPE_KEY);
  } catch {
    return null;
  }
}

/**
 * The portfolio a page shows, in the URL (`?portfolio=<id>` or `all`) so links and reloads
 * keep it; without one, the last choice of this browser, else All accounts.
 */
export function usePortfolioScope(): [PortfolioScope, (scope: PortfolioScope) => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('portfolio');
  // A link that names a portfolio (from the progress page, say) becomes the last choice too.
  useEffect(() => {
    if (!fromUrl) return;
    try {
      localStorage.setItem(LAST_SCOPE_KEY, fromUrl);
    } catch {
      // ignore
    }
  }, [fromUrl]);
  const scope = fromUrl ?? lastPortfolioScope();
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
