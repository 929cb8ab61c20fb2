import { buildStressFactorModel } from '../src/domain/stress/factor-model.ts';
import { runStressTest, type StressPosition } from '../src/domain/stress/run-stress-test.ts';
import {
  findScenario,
  STRESS_FACTOR_ETFS,
  type StressScenario,
} from '../src/domain/stress/scenarios.ts';
import { loadSamplePrices } from '../src/market/providers/sample/load-sample-prices.ts';
import { round } from './bench-helpers.ts';

const START = '2020-02-19';
const END = '2020-03-23';

/** Demo-style books (weights of NAV; negative = short) held from the pre-crash peak. */
const BOOKS: Record<string, Record<string, number>> = {
  'individual investor (index + megacaps)': {
    SPY: 0.5,
    AAPL: 0.15,
    MSFT: 0.15,
    JNJ: 0.1,
    TLT: 0.1,
  },
  'high-net-worth diversified': {
    SPY: 0.3,
    QQQ: 0.15,
    JPM: 0.1,
    XOM: 0.1,
    PG: 0.1,
    KO: 0.1,
    TLT: 0.15,
  },
  'hedge fund long/short': {
    AAPL: 0.4,
    MSFT: 0.4,
    NVDA: 0.3,
    AMZN: 0.3,
    XOM: -0.3,
    JPM: -0.2,
    SPY: -0.3,
  },
  'family office growth': { AAPL: 0.2, MSFT: 0.2, AMZN: 0.2, GOOGL: 0.2, NVDA: 0.1, META: 0.1 },
};

/**
 * Issue 4's check on real data: the stress model as of 2020-02-19 predicts each book's loss in
 * the COVID crash, against the loss the books really took by 2020-03-23. Two predictions: the
 * covid_crash_2020 scenario as specified, and a replay scenario whose only shock is the market's
 * realized move (the other factors move by their conditional expectation).
 */
export async function benchCovidReplay() {
  const prices = await loadSamplePrices();
  const i0 = prices.dates.indexOf(START);
  const i1 = prices.dates.indexOf(END);
  const close = (s: string, i: number) => prices.closes.get(s)![i]!;
  const model = buildStressFactorModel({ dates: prices.dates, closes: prices.closes, asOf: START });
  const spyMove = close('SPY', i1) / close('SPY', i0) - 1;
  const marketReplay: StressScenario = {
    id: 'covid_market_replay',
    name: 'Market move of 2020-02-19 → 2020-03-23',
    description: 'Only the realized SPY move is shocked',
    category: 'historical',
    severity: 'extreme',
    shocks: { Market: spyMove },
  };
  const etfMoves = Object.fromEntries(
    Object.entries(STRESS_FACTOR_ETFS).map(([f, etf]) => [
      f,
      round(close(etf, i1) / close(etf, i0) - 1, 4),
    ]),
  );
  const nav = 1_000_000;
  const books = Object.entries(BOOKS).map(([name, weights]) => {
    const positions: StressPosition[] = Object.entries(weights).map(([symbol, w]) => ({
      positionId: symbol,
      symbol,
      kind: 'equity',
      marketValue: w * nav,
      quantity: (w * nav) / close(symbol, i0),
      multiplier: 1,
    }));
    const realized = positions.reduce(
      (sum, p) => sum + p.quantity * (close(p.symbol, i1) - close(p.symbol, i0)),
      0,
    );
    const scenario = runStressTest({
      positions,
      model,
      scenario: findScenario('covid_crash_2020')!,
      nav,
    });
    const replay = runStressTest({ positions, model, scenario: marketReplay, nav });
    return {
      book: name,
      realized_pct: round((realized / nav) * 100, 2),
      predicted_covid_crash_2020_pct: round((scenario.correlatedPnl / nav) * 100, 2),
      predicted_market_replay_pct: round((replay.correlatedPnl / nav) * 100, 2),
      predicted_market_replay_direct_pct: round((replay.directPnl / nav) * 100, 2),
    };
  });
  return {
    name: 'covid_replay',
    window: `${START} → ${END}`,
    model_as_of: START,
    realized_etf_moves: etfMoves,
    books,
  };
}
