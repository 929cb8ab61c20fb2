import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTradingDay, tradingSessionsBetween } from '../../src/domain/calendar/index.ts';
import { isIsoDate, type IsoDate } from '../../src/domain/dates.ts';
import {
  ProviderError,
  type DailyBar,
  type Fundamentals,
  type MarketDataProvider,
  type ProviderErrorCode,
  type SymbolProfile,
  type SymbolResult,
} from '../../src/market/provider.ts';
import type { RecordedHttpServer } from '../helpers/recorded-http-server.ts';

/**
 * The contract every MarketDataProvider meets, whatever its source. A provider's test file calls
 * `runProviderConformance` with a factory; see test/conformance/providers.test.ts.
 */

export type FaultKind = 'server_error' | 'timeout' | 'malformed' | 'empty';

export interface ConformanceFaults {
  /** A known symbol (not the first) whose daily-closes requests the faults hit. */
  symbol: string;
  /** Makes every daily-closes request for `symbol` fail this way until `clear`. */
  inject(kind: FaultKind): void;
  clear(): void;
}

export interface ConformanceFixture {
  provider: MarketDataProvider;
  /** At least two symbols with a close on every session of `range`. */
  knownSymbols: string[];
  unknownSymbol: string;
  range: { from: IsoDate; to: IsoDate };
  faults?: ConformanceFaults;
  cleanup?: () => Promise<void> | void;
}

const NOT_FOUND: readonly ProviderErrorCode[] = ['unknown_symbol', 'no_data'];

const EXPECTED_FAULT: Record<FaultKind, { code: ProviderErrorCode; retryable: boolean }> = {
  server_error: { code: 'http_error', retryable: true },
  timeout: { code: 'timeout', retryable: true },
  malformed: { code: 'malformed_response', retryable: false },
  empty: { code: 'no_data', retryable: false },
};

/** The providers the suite has been declared for in this file run, by name. */
export const conformanceRuns = new Set<string>();

export function runProviderConformance(
  name: string,
  makeProvider: () => Promise<ConformanceFixture>,
): void {
  conformanceRuns.add(name);
  describe(`MarketDataProvider conformance: ${name}`, () => {
    let fx: ConformanceFixture;
    beforeAll(async () => {
      fx = await makeProvider();
      expect(fx.knownSymbols.length, 'a fixture needs two known symbols').toBeGreaterThanOrEqual(2);
    });
    afterEach(() => fx?.faults?.clear());
    afterAll(async () => {
      await fx?.cleanup?.();
    });

    it('has a name, a positive integer maxSymbolsPerRequest and boolean capabilities', () => {
      const { provider } = fx;
      expect(provider.name).toMatch(/^[a-z][a-z0-9_-]*$/);
      expect(Number.isInteger(provider.maxSymbolsPerRequest)).toBe(true);
      expect(provider.maxSymbolsPerRequest).toBeGreaterThanOrEqual(1);
      for (const key of ['dailyCloses', 'profiles', 'fundamentals', 'optionCloses'] as const) {
        expect(typeof provider.capabilities[key]).toBe('boolean');
      }
      expect(provider.capabilities.dailyCloses).toBe(true);
    });

    it('keys the answer by every requested symbol, once, and nothing else', async () => {
      const [first, second] = fx.knownSymbols as [string, string];
      const asked = [first, second, first, fx.unknownSymbol];
      const results = await closes(fx, asked);
      expect([...results.keys()].sort()).toEqual([...new Set(asked)].sort());
    });

    it('returns ascending, unique bars on every NYSE session of the range, finite and positive', async () => {
      const { from, to } = fx.range;
      const sessions = tradingSessionsBetween(from, to);
      const results = await closes(fx, fx.knownSymbols);
      for (const symbol of fx.knownSymbols) {
        const bars = expectOk(results.get(symbol), symbol);
        expect(
          bars.map((b) => b.date),
          symbol,
        ).toEqual(sessions);
        for (const bar of bars) expectBarShape(bar, symbol);
      }
    });

    it('fails an unknown symbol alone, while known symbols in the same call succeed', async () => {
      const [first] = fx.knownSymbols as [string];
      const results = await closes(fx, [first, fx.unknownSymbol]);
      expectOk(results.get(first), first);
      expectFailure(results.get(fx.unknownSymbol), NOT_FOUND);
    });

    it('answers a call larger than maxSymbolsPerRequest in full (callers may not chunk)', async () => {
      const asked = [...fx.knownSymbols, fx.unknownSymbol];
      for (let i = 0; asked.length <= fx.provider.maxSymbolsPerRequest; i++) {
        asked.push(`${fx.unknownSymbol}${i}`);
      }
      const results = await closes(fx, asked);
      expect(results.size).toBe(asked.length);
      for (const symbol of fx.knownSymbols) expectOk(results.get(symbol), symbol);
    });

    it('has a trading day as its latest available date', async () => {
      const latest = await fx.provider.latestAvailableDate();
      expect(latest).not.toBeNull();
      expect(isIsoDate(latest!)).toBe(true);
      expect(isTradingDay(latest!)).toBe(true);
      expect(latest! >= fx.range.to, 'the fixture range should end by the latest date').toBe(true);
    });

    it('returns well-formed profiles when it offers them, and not_supported otherwise', async () => {
      const { provider } = fx;
      const asked = [...fx.knownSymbols, fx.unknownSymbol];
      if (!provider.capabilities.profiles) {
        await expectNotSupported(() => provider.getProfiles(asked), asked);
        return;
      }
      const results = await provider.getProfiles(asked);
      expect([...results.keys()].sort()).toEqual([...asked].sort());
      for (const symbol of fx.knownSymbols)
        expectProfileShape(expectOk(results.get(symbol), symbol), symbol);
      expectFailure(results.get(fx.unknownSymbol), NOT_FOUND);
    });

    it('returns well-formed fundamentals when it offers them, and not_supported otherwise', async () => {
      const { provider } = fx;
      const asked = [...fx.knownSymbols, fx.unknownSymbol];
      if (!provider.capabilities.fundamentals) {
        if (provider.getFundamentals) {
          const call = provider.getFundamentals.bind(provider);
          await expectNotSupported(() => call(asked), asked);
        }
        return;
      }
      expect(provider.getFundamentals, 'fundamentals: true needs getFundamentals').toBeTypeOf(
        'function',
      );
      const results = await provider.getFundamentals!(asked);
      expect([...results.keys()].sort()).toEqual([...asked].sort());
      let answered = 0;
      for (const symbol of fx.knownSymbols) {
        const result = results.get(symbol);
        // Funds have no earnings, so a known symbol may honestly have no fundamentals.
        if (result?.ok) {
          expectFundamentalsShape(result.value, symbol);
          answered++;
        } else {
          expectFailure(result, ['no_data']);
        }
      }
      expect(answered, 'at least one known symbol has fundamentals').toBeGreaterThan(0);
      expectFailure(results.get(fx.unknownSymbol), NOT_FOUND);
    });

    it('offers option closes only when its capabilities say so', async () => {
      const { provider } = fx;
      if (provider.capabilities.optionCloses) {
        expect(provider.getOptionCloses).toBeTypeOf('function');
      } else if (provider.getOptionCloses) {
        const call = provider.getOptionCloses.bind(provider);
        const contracts = ['AAPL260821C00300000'];
        await expectNotSupported(() => call(contracts, fx.range.from, fx.range.to), contracts);
      }
    });

    it('serves 3-month bill rates, ascending and in range, exactly when its capabilities say so', async () => {
      const { provider } = fx;
      expect(typeof provider.getTreasuryBillRates === 'function').toBe(
        provider.capabilities.treasuryBillRates,
      );
      if (!provider.getTreasuryBillRates) return;
      const result = await provider.getTreasuryBillRates(fx.range.from, fx.range.to);
      if (!result.ok) throw result.error;
      expect(result.value.length).toBeGreaterThan(0);
      let previous = '';
      for (const point of result.value) {
        expect(
          point.date > previous && point.date >= fx.range.from && point.date <= fx.range.to,
        ).toBe(true);
        expect(Number.isFinite(point.ratePercent)).toBe(true);
        previous = point.date;
      }
    });

    describe('faults, for that symbol only', () => {
      for (const kind of Object.keys(EXPECTED_FAULT) as FaultKind[]) {
        const { code, retryable } = EXPECTED_FAULT[kind];
        it(`${kind} → ${code}${retryable ? ' (retryable)' : ''}`, async (ctx) => {
          if (!fx.faults) return ctx.skip();
          const { symbol } = fx.faults;
          const other = fx.knownSymbols.find((s) => s !== symbol)!;
          fx.faults.inject(kind);
          const results = await closes(fx, [other, symbol]);
          expectOk(results.get(other), other);
          const error = expectFailure(results.get(symbol), [code]);
          expect(error.retryable).toBe(retryable);
          expect(error.provider).toBe(fx.provider.name);
        });
      }
    });
  });
}

/**
 * Faults for a provider behind a RecordedHttpServer: `path` is the request path of `symbol`'s
 * daily closes, which must have a recorded `empty` variant.
 */
export function recordedServerFaults(
  server: RecordedHttpServer,
  symbol: string,
  path: string,
  options: { timeoutDelayMs: number },
): ConformanceFaults {
  return {
    symbol,
    inject(kind) {
      switch (kind) {
        case 'server_error':
          server.inject(path, { kind: 'status', status: 500 });
          return;
        case 'timeout':
          server.inject(path, { kind: 'delay', ms: options.timeoutDelayMs });
          return;
        case 'malformed':
          server.inject(path, { kind: 'malformed' });
          return;
        case 'empty':
          server.inject(path, { kind: 'variant', name: 'empty' });
          return;
      }
    },
    clear: () => server.clearFaults(),
  };
}

function closes(fx: ConformanceFixture, symbols: readonly string[]) {
  return fx.provider.getDailyCloses(symbols, fx.range.from, fx.range.to);
}

function expectOk<T>(result: SymbolResult<T> | undefined, symbol: string): T {
  expect(result, `${symbol} has a result`).toBeDefined();
  if (!result!.ok) {
    throw new Error(`${symbol} failed: ${result!.error.code} ${result!.error.message}`);
  }
  return result!.value;
}

function expectFailure(
  result: SymbolResult<unknown> | undefined,
  codes: readonly ProviderErrorCode[],
): ProviderError {
  expect(result).toBeDefined();
  expect(result!.ok, 'expected a failure').toBe(false);
  const { error } = result as { ok: false; error: ProviderError };
  expect(error).toBeInstanceOf(ProviderError);
  expect(codes, `${error.code}: ${error.message}`).toContain(error.code);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

function expectBarShape(bar: DailyBar, symbol: string): void {
  const where = `${symbol} ${bar.date}`;
  expect(Number.isFinite(bar.close) && bar.close > 0, `${where} close ${bar.close}`).toBe(true);
  for (const key of ['open', 'high', 'low', 'volume'] as const) {
    const value = bar[key];
    if (value != null) expect(Number.isFinite(value) && value >= 0, `${where} ${key}`).toBe(true);
  }
}

const NULLABLE_TEXT = ['name', 'sector', 'industry', 'exchange', 'country'] as const;
const NULLABLE_NUMBER = [
  'marketCap',
  'peRatio',
  'forwardPe',
  'dividendYield',
  'beta',
  'week52High',
  'week52Low',
] as const;

function expectProfileShape(profile: SymbolProfile, symbol: string): void {
  expect(profile.symbol).toBe(symbol);
  for (const key of NULLABLE_TEXT) {
    const value = profile[key];
    expect(
      value === null || (typeof value === 'string' && value.trim() !== ''),
      `${symbol} ${key}`,
    ).toBe(true);
  }
  for (const key of NULLABLE_NUMBER) {
    const value = profile[key];
    expect(value === null || Number.isFinite(value), `${symbol} ${key} = ${value}`).toBe(true);
  }
  expect(typeof profile.isEtf).toBe('boolean');
  // A beta without its provenance (or the reverse) cannot be shown honestly.
  expect(profile.betaSource === null, `${symbol} beta/betaSource`).toBe(profile.beta === null);
  if (profile.week52High !== null && profile.week52Low !== null) {
    expect(profile.week52High).toBeGreaterThanOrEqual(profile.week52Low);
  }
  if (profile.nextEarningsDate !== null) expect(isIsoDate(profile.nextEarningsDate)).toBe(true);
}

function expectFundamentalsShape(f: Fundamentals, symbol: string): void {
  expect(f.symbol).toBe(symbol);
  for (const key of ['nextEarningsDate', 'lastEarningsDate'] as const) {
    const value = f[key];
    expect(value === null || isIsoDate(value), `${symbol} ${key}`).toBe(true);
  }
  for (const key of ['trailingEps', 'forwardEps', 'revenueTtm'] as const) {
    const value = f[key];
    expect(value === null || Number.isFinite(value), `${symbol} ${key}`).toBe(true);
  }
}

/** A call for an unoffered capability throws not_supported or answers it for every symbol. */
async function expectNotSupported(
  call: () => Promise<Map<string, SymbolResult<unknown>>>,
  asked: readonly string[],
): Promise<void> {
  let results: Map<string, SymbolResult<unknown>>;
  try {
    results = await call();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('not_supported');
    return;
  }
  for (const symbol of asked) expectFailure(results.get(symbol), ['not_supported']);
}
