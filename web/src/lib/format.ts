/**
 * Every number, date and duration the web app shows goes through here, so a value reads the
 * same on every page (and the end-to-end tests can format the API's numbers the same way).
 * `null`/`undefined`/NaN render as an em dash.
 */

export const MISSING = '—';

type Maybe = number | null | undefined;

function isNumber(value: Maybe): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Avoids "-$0" and "-0.0%" for values that round to zero. */
function noNegativeZero(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) === 0 ? 0 : value;
}

const money0 = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
  minimumFractionDigits: 0,
});
const money2 = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const moneyCompact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumSignificantDigits: 3,
});
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Whole dollars: `$1,234,567`, `-$52,310`. */
export function formatMoney(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  return money0.format(noNegativeZero(value, 0));
}

/** Signed whole dollars for gains and losses: `+$12,400`, `-$3,100`, `$0`. */
export function formatSignedMoney(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  const v = noNegativeZero(value, 0);
  return v > 0 ? `+${money0.format(v)}` : money0.format(v);
}

/**
 * Per-unit prices keep their cents: `$187.42`; from $100,000 up (a private fund's unit) cents
 * say nothing and only widen the column: `$18,000,000`.
 */
export function formatPrice(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  if (Math.abs(value) >= 100_000) return formatMoney(value);
  return money2.format(noNegativeZero(value, 2));
}

/** Tight cards: `$1.23M`, `$456K`, `$950`, `-$2.5B` (the full value goes in a tooltip). */
export function formatMoneyCompact(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  if (Math.abs(value) < 1000) return formatMoney(value);
  return moneyCompact.format(value);
}

/** A ratio as a percentage, one decimal: 0.123 → `12.3%`. */
export function formatPercent(ratio: Maybe, decimals = 1): string {
  if (!isNumber(ratio)) return MISSING;
  return `${noNegativeZero(ratio * 100, decimals).toFixed(decimals)}%`;
}

/** A value already in percent (the API's "percentage points of NAV"): 12.34 → `12.3%`. */
export function formatPercentValue(percent: Maybe, decimals = 1): string {
  if (!isNumber(percent)) return MISSING;
  return `${noNegativeZero(percent, decimals).toFixed(decimals)}%`;
}

/** A signed return from a ratio: 0.012 → `+1.2%`, -0.05 → `-5.0%`. */
export function formatSignedPercent(ratio: Maybe, decimals = 1): string {
  if (!isNumber(ratio)) return MISSING;
  const v = noNegativeZero(ratio * 100, decimals);
  return `${v > 0 ? '+' : ''}${v.toFixed(decimals)}%`;
}

/** A signed value already in percent: -8.51 → `-8.5%`. */
export function formatSignedPercentValue(percent: Maybe, decimals = 1): string {
  if (!isNumber(percent)) return MISSING;
  return formatSignedPercent(percent / 100, decimals);
}

/** A difference in percentage points: 1.23 → `+1.2 pp`, -0.04 → `0.0 pp`. */
export function formatPp(points: Maybe, decimals = 1): string {
  if (!isNumber(points)) return MISSING;
  const v = noNegativeZero(points, decimals);
  return `${v > 0 ? '+' : ''}${v.toFixed(decimals)} pp`;
}

/** Betas, correlations and other coefficients: two decimals, `0.85`, `-1.20`. */
export function formatBeta(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  return noNegativeZero(value, 2).toFixed(2);
}

/** A plain ratio with a chosen precision: leverage `1.35×`. */
export function formatMultiple(value: Maybe, decimals = 2): string {
  if (!isNumber(value)) return MISSING;
  return `${noNegativeZero(value, decimals).toFixed(decimals)}×`;
}

/** Counts: `1,234`. */
export function formatInteger(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  return integer.format(noNegativeZero(value, 0));
}

/** Quantities (shares can be fractional): `1,500`, `12.5`, `-300`. */
export function formatQuantity(value: Maybe): string {
  if (!isNumber(value)) return MISSING;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 }).format(value);
}

/** A number with fixed decimals and thousands separators: `3.20`, `1,204.5`. */
export function formatDecimal(value: Maybe, decimals = 2): string {
  if (!isNumber(value)) return MISSING;
  return new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(noNegativeZero(value, decimals));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A calendar date `YYYY-MM-DD` (or the date part of an ISO timestamp) as `Jul 31, 2026`. Read
 * as a calendar date, never through the browser's time zone, so it cannot shift by a day.
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return MISSING;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return MISSING;
  const month = MONTHS[Number(match[2]) - 1];
  if (!month) return MISSING;
  return `${month} ${Number(match[3])}, ${match[1]}`;
}

/** A short axis label: `Jul 31` (same calendar-date rule as formatDate). */
export function formatShortDate(value: string | null | undefined): string {
  if (!value) return MISSING;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${month} ${Number(match[3])}` : MISSING;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An ISO timestamp's local time of day: `14:03:07`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** An ISO timestamp as local date and time: `Jul 31, 2026 14:03`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return MISSING;
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/**
 * Durations: `0.6 s` and `9.4 s` under ten seconds, `42 s` under a minute, `1 m 04 s` under an
 * hour, `2 h 05 m` beyond.
 */
export function formatDuration(seconds: Maybe): string {
  if (!isNumber(seconds) || seconds < 0) return MISSING;
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} m ${pad2(whole % 60)} s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} m`;
}

/** Bytes in words: `4.2 MB`. */
export function formatBytes(bytes: Maybe): string {
  if (!isNumber(bytes)) return MISSING;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The colour of a number whose sign means gain or loss (P&L, returns, stress impacts); callers
 * never colour values whose sign means something else (a short exposure, a beta).
 */
export function gainLossColor(value: Maybe): 'teal' | 'red' | undefined {
  if (!isNumber(value)) return undefined;
  if (value > 0) return 'teal';
  if (value < 0) return 'red';
  return undefined;
}
