import { isPrivateAssetSymbol, parseOccSymbol } from '../../domain/symbols.ts';
import type { AssetType } from '../../db/schema/enums.ts';
import type { UniversePositionSymbol } from '../../db/repositories/position-repository.ts';

export interface SymbolUniverse {
  /** Equities and ETFs: prices, profiles and factors. */
  symbols: { symbol: string; assetType: AssetType }[];
  /** Live option contracts: prices only, where the provider offers option closes. */
  optionContracts: string[];
  excluded: { symbol: string; reason: 'private_asset' | 'expired_option' }[];
}

/**
 * SPEC §8 universe: symbols of active public positions + the factor ETFs + the active
 * symbol_universe, minus private assets and expired options. Option positions bring their
 * underlying in (as `option_underlying`), since options are priced and risk-modelled through it.
 */
export function resolveSymbolUniverse(input: {
  date: string;
  positions: readonly UniversePositionSymbol[];
  factorEtfs: readonly string[];
  registered: readonly { symbol: string; assetType: AssetType }[];
}): SymbolUniverse {
  const symbols = new Map<string, AssetType>();
  const optionContracts = new Set<string>();
  const excluded = new Map<string, 'private_asset' | 'expired_option'>();
  const add = (symbol: string, assetType: AssetType) => {
    if (isPrivateAssetSymbol(symbol)) {
      excluded.set(symbol, 'private_asset');
      return;
    }
    const existing = symbols.get(symbol);
    // An ETF or equity classification wins over "underlying of an option".
    if (!existing || existing === 'option_underlying') symbols.set(symbol, assetType);
  };

  for (const etf of input.factorEtfs) add(etf, 'etf');
  for (const entry of input.registered) {
    const occ = parseOccSymbol(entry.symbol);
    if (occ) {
      if (occ.expiration < input.date) excluded.set(entry.symbol, 'expired_option');
      else optionContracts.add(entry.symbol);
      continue;
    }
    add(entry.symbol, entry.assetType);
  }
  for (const p of input.positions) {
    if (p.investmentClass === 'PRIVATE') {
      excluded.set(p.symbol, 'private_asset');
      continue;
    }
    if (p.investmentClass === 'OPTIONS') {
      const occ = parseOccSymbol(p.symbol);
      const expiry = p.expirationDate ?? occ?.expiration ?? null;
      const underlying = p.underlyingSymbol ?? occ?.underlying ?? null;
      if (expiry !== null && expiry < input.date) {
        excluded.set(p.symbol, 'expired_option');
        continue;
      }
      if (underlying) add(underlying.toUpperCase(), 'option_underlying');
      if (occ) optionContracts.add(p.symbol);
      continue;
    }
    add(p.symbol, 'equity');
  }
  return {
    symbols: [...symbols]
      .map(([symbol, assetType]) => ({ symbol, assetType }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol)),
    optionContracts: [...optionContracts].sort(),
    excluded: [...excluded].map(([symbol, reason]) => ({ symbol, reason })),
  };
}
