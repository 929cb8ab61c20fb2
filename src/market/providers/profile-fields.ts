/**
 * Small normalisers for profile fields that vendors spell differently. Sector exposure sums
 * positions by sector name, so every provider must speak the same taxonomy: the GICS sector
 * names the bundled sample data uses.
 */

/** The 11 GICS sectors, as stored in data/market/symbols.csv.gz. */
export const GICS_SECTORS = [
  'Communication Services',
  'Consumer Discretionary',
  'Consumer Staples',
  'Energy',
  'Financials',
  'Health Care',
  'Industrials',
  'Information Technology',
  'Materials',
  'Real Estate',
  'Utilities',
] as const;

// Yahoo and FMP both use Morningstar's sector names; each maps to one GICS sector.
const MORNINGSTAR_TO_GICS: Readonly<Record<string, string>> = {
  'basic materials': 'Materials',
  'communication services': 'Communication Services',
  'consumer cyclical': 'Consumer Discretionary',
  'consumer defensive': 'Consumer Staples',
  energy: 'Energy',
  'financial services': 'Financials',
  healthcare: 'Health Care',
  industrials: 'Industrials',
  'real estate': 'Real Estate',
  technology: 'Information Technology',
  utilities: 'Utilities',
};

const GICS_BY_LOWER = new Map(GICS_SECTORS.map((s) => [s.toLowerCase(), s]));

/** A vendor's sector name as a GICS sector; names already in GICS pass; unknown ones are kept. */
export function gicsSector(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  const lower = trimmed.toLowerCase();
  return MORNINGSTAR_TO_GICS[lower] ?? GICS_BY_LOWER.get(lower) ?? trimmed;
}

const COUNTRY_CODES: Readonly<Record<string, string>> = {
  'united states': 'US',
  usa: 'US',
  us: 'US',
  'united kingdom': 'GB',
  canada: 'CA',
  china: 'CN',
  ireland: 'IE',
  netherlands: 'NL',
  switzerland: 'CH',
  taiwan: 'TW',
  japan: 'JP',
  germany: 'DE',
};

/** ISO 3166 alpha-2 where the name is one we know (the sample data stores `US`). */
export function countryCode(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  return (
    COUNTRY_CODES[trimmed.toLowerCase()] ??
    (/^[A-Za-z]{2}$/.test(trimmed) ? trimmed.toUpperCase() : trimmed)
  );
}

/** A finite number, or null for anything else (vendors send null, '', {} or NaN for "none"). */
export function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A finite number > 0, or null: prices, market caps and P/E ratios are meaningless otherwise. */
export function positiveOrNull(value: unknown): number | null {
  const n = finiteOrNull(value);
  return n !== null && n > 0 ? n : null;
}

/** Non-empty trimmed text, or null. */
export function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
