import { Navigate } from 'react-router';
import { usePortfolios } from '../api/hooks/portfolios.ts';
import { PageSkeleton } from '../components/PageSkeleton.tsx';

/** `/`: the dashboard, or Upload for a user without a portfolio. */
export default function HomeRedirect() {
  const portfolios = usePortfolios();
  if (portfolios.isPending) return <PageSkeleton />;
  return <Navigate to={portfolios.data?.length === 0 ? '/upload' : '/dashboard'} replace />;
}
