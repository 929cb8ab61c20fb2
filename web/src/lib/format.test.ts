import { describe, expect, it } from 'vitest';
import {
  formatBeta,
  formatBytes,
  formatDate,
  formatDuration,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatMultiple,
  formatPercent,
  formatPercentValue,
  formatPp,
  formatPrice,
  formatQuantity,
  formatShortDate,
  formatSignedMoney,
  formatSignedPercent,
  formatSignedPercentValue,
  gainLossColor,
  MISSING,
} from './format.ts';

describe('money', () => {
  it('whole dollars with thousands separators', () => {
    expect(formatMoney(1234567)).toBe('$1,234,567');
    expect(formatMoney(1234567.89)).toBe('$1,234,568');
    expect(formatMoney(-52310.4)).toBe('-$52,310');
    expect(formatMoney(0)).toBe('$0');
    expect(formatMoney(-0.3)).toBe('$0');
  });
  it('signed money for gains and losses', () => {
    expect(formatSignedMoney(12400)).toBe('+$12,400');
    expect(formatSignedMoney(-3100.2)).toBe('-$3,100');
    expect(formatSignedMoney(0.2)).toBe('$0');
  });
  it('prices keep cents', () => {
    expect(formatPrice(187.421)).toBe('$187.42');
    expect(formatPrice(1500)).toBe('$1,500.00');
    expect(formatPrice(18_000_000)).toBe('$18,000,000');
  });
  it('compact money in tight cards', () => {
    expect(formatMoneyCompact(1234567)).toBe('$1.23M');
    expect(formatMoneyCompact(456_000)).toBe('$456K');
    expect(formatMoneyCompact(-2_500_000_000)).toBe('-$2.5B');
    expect(formatMoneyCompact(950)).toBe('$950');
    expect(formatMoneyCompact(12_345)).toBe('$12.3K');
  });
});

describe('percentages', () => {
  it('ratios and values already in percent, one decimal', () => {
    expect(formatPercent(0.123)).toBe('12.3%');
    expect(formatPercent(0.28)).toBe('28.0%');
    expect(formatPercent(-0.0004)).toBe('0.0%');
    expect(formatPercentValue(12.345)).toBe('12.3%');
    expect(formatPercentValue(135.27)).toBe('135.3%');
  });
  it('signed returns', () => {
    expect(formatSignedPercent(0.012)).toBe('+1.2%');
    expect(formatSignedPercent(-0.05)).toBe('-5.0%');
    expect(formatSignedPercentValue(-8.505573850000001)).toBe('-8.5%');
  });
  it('percentage points', () => {
    expect(formatPp(1.23)).toBe('+1.2 pp');
    expect(formatPp(-4.06)).toBe('-4.1 pp');
    expect(formatPp(-0.04)).toBe('0.0 pp');
  });
});

describe('numbers', () => {
  it('betas with two decimals', () => {
    expect(formatBeta(0.8523)).toBe('0.85');
    expect(formatBeta(-1.2)).toBe('-1.20');
    expect(formatBeta(-0.001)).toBe('0.00');
  });
  it('multiples, integers, quantities and bytes', () => {
    expect(formatMultiple(1.3456)).toBe('1.35×');
    expect(formatInteger(1234.4)).toBe('1,234');
    expect(formatQuantity(1500)).toBe('1,500');
    expect(formatQuantity(-12.5)).toBe('-12.5');
    expect(formatBytes(4.2 * 1024 * 1024)).toBe('4.2 MB');
  });
});

describe('dates and durations', () => {
  it('calendar dates never shift with the time zone', () => {
    expect(formatDate('2026-07-31')).toBe('Jul 31, 2026');
    expect(formatDate('2026-01-02T23:59:00Z')).toBe('Jan 2, 2026');
    expect(formatShortDate('2026-12-05')).toBe('Dec 5');
    expect(formatDate('not a date')).toBe(MISSING);
  });
  it('durations', () => {
    expect(formatDuration(0.6)).toBe('0.6 s');
    expect(formatDuration(0.04)).toBe('0.0 s');
    expect(formatDuration(9.4)).toBe('9.4 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(64)).toBe('1 m 04 s');
    expect(formatDuration(59.6)).toBe('1 m 00 s');
    expect(formatDuration(7500)).toBe('2 h 05 m');
  });
});

describe('missing values and colours', () => {
  it('null, undefined and NaN read as a dash', () => {
    for (const f of [formatMoney, formatPercent, formatBeta, formatDuration, formatPp]) {
      expect(f(null)).toBe(MISSING);
      expect(f(undefined)).toBe(MISSING);
      expect(f(Number.NaN)).toBe(MISSING);
    }
  });
  it('gain green (teal), loss red, zero and missing uncoloured', () => {
    expect(gainLossColor(5)).toBe('teal');
    expect(gainLossColor(-5)).toBe('red');
    expect(gainLossColor(0)).toBeUndefined();
    expect(gainLossColor(null)).toBeUndefined();
  });
});
