import type { IsoDate } from '../../../../src/domain/dates.ts';
import {
  fail,
  ok,
  ProviderError,
  type DailyBar,
  type MarketDataProvider,
  type ProviderCapabilities,
  type ProviderErrorCode,
  type SymbolProfile,
  type SymbolResult,
} from '../../../../src/market/provider.ts';

/** Decides the answer to one getDailyCloses call; may throw, or never settle. */
export type CloseScript = (
  symbols: readonly string[],
  call: number,
  signal: AbortSignal | undefined,
) => Promise<Map<string, SymbolResult<DailyBar[]>>>;

export const barsFor = (symbol: string): DailyBar[] => [
  { date: '2024-07-01', close: symbol.length * 10 },
];

export const profileFor = (symbol: string, source: string): SymbolProfile => ({
  symbol,
  name: `${symbol} Inc.`,
  sector: null,
  industry: null,
  exchange: null,
  country: null,
  isEtf: false,
  marketCap: null,
  peRatio: null,
  forwardPe: null,
  dividendYield: null,
  beta: 1,
  betaSource: source,
  week52High: null,
  week52Low: null,
  nextEarningsDate: null,
});

/** A call that answers every symbol with bars. */
export const allOk: CloseScript = async (symbols) =>
  new Map(symbols.map((s) => [s, ok(barsFor(s))]));

export function providerError(
  code: ProviderErrorCode,
  provider = 'scripted',
  options: { retryable?: boolean; status?: number } = {},
): ProviderError {
  return new ProviderError(code, `${code} from ${provider}`, provider, options);
}

/** Answers each symbol by `outcome(symbol, call)`: 'ok' or an error code. */
export function perSymbol(
  outcome: (symbol: string, call: number) => 'ok' | ProviderErrorCode,
  provider = 'scripted',
): CloseScript {
  return async (symbols, call) =>
    new Map(
      symbols.map((s) => {
        const o = outcome(s, call);
        const result: SymbolResult<DailyBar[]> =
          o === 'ok' ? ok(barsFor(s)) : fail(providerError(o, provider));
        return [s, result];
      }),
    );
}

/**
 * A stand-in provider whose answers a test scripts call by call, recording every call. It is
 * the collaborator of the unit under test, not a simulated network.
 */
export class ScriptedProvider implements MarketDataProvider {
  readonly calls: { method: string; symbols: string[]; signal: AbortSignal | undefined }[] = [];
  readonly capabilities: ProviderCapabilities;
  latestDate: IsoDate | null = '2024-07-10';
  latestScript: ((call: number) => Promise<IsoDate | null>) | null = null;

  constructor(
    readonly name: string,
    public closes: CloseScript = allOk,
    readonly maxSymbolsPerRequest = 100,
    capabilities: Partial<ProviderCapabilities> = {},
  ) {
    this.capabilities = {
      dailyCloses: true,
      profiles: true,
      fundamentals: false,
      optionCloses: false,
      treasuryBillRates: false,
      ...capabilities,
    };
  }

  get closeCalls(): string[][] {
    return this.calls.filter((c) => c.method === 'getDailyCloses').map((c) => c.symbols);
  }

  async latestAvailableDate(options: { signal?: AbortSignal } = {}): Promise<IsoDate | null> {
    const call = this.calls.filter((c) => c.method === 'latestAvailableDate').length;
    this.calls.push({ method: 'latestAvailableDate', symbols: [], signal: options.signal });
    return this.latestScript ? this.latestScript(call) : this.latestDate;
  }

  getDailyCloses(
    symbols: readonly string[],
    _from: IsoDate,
    _to: IsoDate,
    options: { signal?: AbortSignal } = {},
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    const call = this.closeCalls.length;
    this.calls.push({ method: 'getDailyCloses', symbols: [...symbols], signal: options.signal });
    return this.closes(symbols, call, options.signal);
  }

  async getProfiles(symbols: readonly string[]): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    this.calls.push({ method: 'getProfiles', symbols: [...symbols], signal: undefined });
    return new Map(symbols.map((s) => [s, ok(profileFor(s, this.name))] as const));
  }
}
