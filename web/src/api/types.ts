import type { paths } from './schema';

/** The JSON body of a route's 200/201/202 answer, straight from the generated OpenAPI types. */
type SuccessBody<R> = R extends { 200: { content: { 'application/json': infer B } } }
  ? B
  : R extends { 201: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 202: { content: { 'application/json': infer B } } }
      ? B
      : never;

export type GetResponse<P extends keyof paths> = paths[P] extends {
  get: { responses: infer R };
}
  ? SuccessBody<R>
  : never;

export type PostResponse<P extends keyof paths> = paths[P] extends {
  post: { responses: infer R };
}
  ? SuccessBody<R>
  : never;

export type User = GetResponse<'/api/v1/auth/me'>;
export type PortfolioSummary = GetResponse<'/api/v1/data/portfolios'>[number];
export type AccountType = PortfolioSummary['account_type'];
export type OnboardingStatus = GetResponse<'/api/v1/onboarding/status/{id}'>;
export type StatusPhase = OnboardingStatus['phases'][number];
export type ValidateCsvResult = PostResponse<'/api/v1/onboarding/validate-csv'>;
export type ParsedPosition = ValidateCsvResult['positions'][number];
export type CsvRowError = ValidateCsvResult['errors'][number];
export type CreatePortfolioResult = PostResponse<'/api/v1/onboarding/create-portfolio'>;
export type PortfolioOverview = GetResponse<'/api/v1/analytics/portfolio/{id}/overview'>;
export type AggregateOverview = GetResponse<'/api/v1/analytics/aggregate/overview'>;
export type AggregatePortfolio = AggregateOverview['portfolios'][number];
export type PositionDetails = GetResponse<'/api/v1/data/positions/details'>;
export type PositionDetail = PositionDetails['positions'][number];
export type Snapshot = GetResponse<'/api/v1/data/portfolio/{id}/snapshot'>;
export type HistoryPoint = GetResponse<'/api/v1/data/portfolio/{id}/history'>['snapshots'][number];
export type EquityChanges = GetResponse<'/api/v1/portfolios/{id}/equity-changes'>;
export type EquityChange = EquityChanges['equity_changes'][number];
export type SpreadFactors = GetResponse<'/api/v1/analytics/portfolio/{id}/spread-factors'>;
export type StressResponse = GetResponse<'/api/v1/analytics/portfolio/{id}/stress-test'>;
export type CorrelationResponse =
  GetResponse<'/api/v1/analytics/portfolio/{id}/correlation-matrix'>;
export type VolatilityResponse = GetResponse<'/api/v1/analytics/portfolio/{id}/volatility'>;
export type SectorResponse = GetResponse<'/api/v1/analytics/portfolio/{id}/sector-exposure'>;
export type ConcentrationResponse = GetResponse<'/api/v1/analytics/portfolio/{id}/concentration'>;
export type BetaComparison = GetResponse<'/api/v1/analytics/portfolio/{id}/beta-comparison'>;
export type RiskMetrics = GetResponse<'/api/v1/analytics/portfolio/{id}/risk-metrics'>;
export type SymbolDetail = GetResponse<'/api/v1/symbols/{symbol}'>;
export type SymbolPrices = GetResponse<'/api/v1/symbols/{symbol}/prices'>;
export type BatchHistory = GetResponse<'/api/v1/admin/batch/history'>;
export type BatchRun = BatchHistory['runs'][number];
export type BatchSummary = GetResponse<'/api/v1/admin/batch/history/summary'>;
export type BatchRunDetail = GetResponse<'/api/v1/admin/batch/history/{id}'>;
export type CurrentRuns = GetResponse<'/api/v1/admin/batch/run/current'>;
export type AdminMetrics = GetResponse<'/api/v1/admin/metrics'>;
export type CacheHealth = GetResponse<'/api/v1/admin/cache/health'>;

export type StressScenario = StressResponse['data']['scenarios'][number];
export type CustomScenarios = GetResponse<'/api/v1/stress-scenarios'>;
export type CustomScenario = CustomScenarios['scenarios'][number];
export type NewCustomScenario = NonNullable<
  paths['/api/v1/stress-scenarios']['post']['requestBody']
>['content']['application/json'];

/** One analytic's common envelope. */
export interface Availability {
  available: boolean;
  reason: string | null;
  calculation_date: string | null;
}
