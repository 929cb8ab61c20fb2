export { aggregatePortfolios } from './aggregate-portfolios.ts';
export type {
  AggregateAnalytics,
  AggregateFactor,
  AggregateStress,
  Exposures,
  PortfolioAnalytics,
} from './aggregate-portfolios.ts';
