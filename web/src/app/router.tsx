import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { PageSkeleton } from '../components/PageSkeleton.tsx';
import { RequireAuth } from './RequireAuth.tsx';

// Every page is its own chunk: the sign-in page does not load charts or tables.
const SignInPage = lazy(() => import('../pages/SignInPage.tsx'));
const SignUpPage = lazy(() => import('../pages/SignUpPage.tsx'));
const loadAppLayout = () => import('./AppLayout.tsx');
const loadDashboard = () => import('../pages/dashboard/DashboardPage.tsx');
const AppLayout = lazy(loadAppLayout);
const HomeRedirect = lazy(() => import('../pages/HomeRedirect.tsx'));
const DashboardPage = lazy(loadDashboard);

/**
 * Fetches the code of the signed-in frame and the dashboard while the user types on the
 * sign-in page, so signing in does not wait for it.
 */
export function preloadDashboard(): void {
  void loadAppLayout().catch(() => {});
  void loadDashboard().catch(() => {});
}
const RiskPage = lazy(() => import('../pages/risk/RiskPage.tsx'));
const UploadPage = lazy(() => import('../pages/upload/UploadPage.tsx'));
const ProgressPage = lazy(() => import('../pages/progress/ProgressPage.tsx'));
const SymbolPage = lazy(() => import('../pages/symbol/SymbolPage.tsx'));
const AdminPage = lazy(() => import('../pages/admin/AdminPage.tsx'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage.tsx'));

function page(Component: LazyExoticComponent<ComponentType>) {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <Component />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: page(SignInPage) },
  { path: '/sign-up', element: page(SignUpPage) },
  {
    path: '/',
    element: <RequireAuth>{page(AppLayout)}</RequireAuth>,
    children: [
      { index: true, element: page(HomeRedirect) },
      { path: 'dashboard', element: page(DashboardPage) },
      { path: 'risk', element: page(RiskPage) },
      { path: 'upload', element: page(UploadPage) },
      { path: 'progress/:portfolioId', element: page(ProgressPage) },
      { path: 'symbols/:symbol', element: page(SymbolPage) },
      { path: 'admin', element: page(AdminPage) },
      { path: 'sign-out', element: <Navigate to="/sign-in" replace /> },
      { path: '*', element: page(NotFoundPage) },
    ],
  },
]);
