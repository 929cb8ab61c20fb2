import { beforeAll, describe, expect, it } from 'vitest';
import {
  findScenario,
  resolveScenario,
  type ResolvedScenario,
} from '../../../../src/domain/stress/scenarios.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import { loadStressReference, type StressReference } from './reference-fixture.ts';

/**
 * The historical replays' shocks, recomputed from the bundled files through the sample provider
 * (history before 2018-06-19 and the price file after), against NumPy's and against the table in
 * shared/data/market/SOURCES.md (ETF moves to 0.1 percentage point).
 */
const SOURCES_TABLE: Record<string, Record<string, number | null>> = {
  financial_crisis_2008: {
    SPY: -0.358,
    VTV: -0.372,
    VUG: -0.341,
    MTUM: null,
    QUAL: null,
    IWM: -0.424,
    USMV: null,
    TLT: 0.068,
  },
  dotcom_crash_2000: {
    SPY: -0.423,
    VTV: null,
    VUG: null,
    MTUM: null,
    QUAL: null,
    IWM: null,
    USMV: null,
    TLT: null,
  },
  covid_crash_2020: {
    SPY: -0.337,
    VTV: -0.364,
    VUG: -0.318,
    MTUM: -0.341,
    QUAL: -0.341,
    IWM: -0.407,
    USMV: -0.33,
    TLT: 0.142,
  },
};

let reference: StressReference;
const resolved = new Map<string, ResolvedScenario>();

beforeAll(async () => {
  reference = loadStressReference();
  const provider = await getSampleProvider();
  for (const id of Object.keys(SOURCES_TABLE)) {
    const scenario = findScenario(id)!;
    const { start, end } = scenario.window!;
    const etfs = Object.keys(SOURCES_TABLE[id]!);
    const results = await provider.getDailyCloses(etfs, start, end);
    const closeOn = (etf: string, date: string) => {
      const r = results.get(etf);
      return r?.ok ? r.value.find((b) => b.date === date)?.close : undefined;
    };
    resolved.set(id, resolveScenario(scenario, { closeOn }));
  }
});

describe.each(Object.keys(SOURCES_TABLE))('replay %s', (id) => {
  it('shocks exactly the factors whose ETFs traded over the whole window (SPEC §6 table)', () => {
    const expected = Object.keys(reference.replays[id]!.factor_moves);
    expect(resolved.get(id)!.moves.map((m) => m.factor)).toEqual(expected);
  });

  it("recomputes NumPy's factor moves from the bundled closes (1e-12)", () => {
    const expected = reference.replays[id]!.factor_moves;
    for (const move of resolved.get(id)!.moves) {
      expect(Math.abs(move.value - expected[move.factor]!), move.factor).toBeLessThan(1e-12);
    }
  });

  it('matches the realized ETF moves published in SOURCES.md (to 0.1 pp)', () => {
    const etfMoves = reference.replays[id]!.etf_moves;
    for (const [etf, published] of Object.entries(SOURCES_TABLE[id]!)) {
      if (published === null) expect(etfMoves[etf], etf).toBeNull();
      else expect(Math.abs(etfMoves[etf]! - published), etf).toBeLessThan(0.0006);
    }
    // And the resolved Market move is SPY's own.
    const market = resolved.get(id)!.moves.find((m) => m.factor === 'Market')!;
    expect(Math.abs(market.value - SOURCES_TABLE[id]!.SPY!)).toBeLessThan(0.0006);
  });
});
