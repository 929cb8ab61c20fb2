import { describe, expect, it } from 'vitest';
import { isIsoDate } from '../../../../src/domain/dates.ts';
import { POSITIONS_CSV_TEMPLATE } from '../../../../src/domain/csv/csv-template.ts';
import {
  POSITION_CSV_COLUMNS,
  parsePositionsCsv,
  type ParsePositionsCsvInput,
  type ParsePositionsCsvResult,
} from '../../../../src/domain/csv/parse-positions-csv.ts';
import { HEADER, TODAY, cell } from './csv-test-helpers.ts';

/** mulberry32: a tiny seeded PRNG, so every run (and every failure) is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20260310);
const int = (max: number) => Math.floor(random() * max);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const CODE = /^ERR_(CSV_00[1-6]|POS_0(0[1-9]|1\d|2[0-57]))$/;
const HEADERS = new Set<string>(POSITION_CSV_COLUMNS.map((c) => c.header));

function physicalLines(text: string): number {
  return (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}

/**
 * What must hold for ANY input: no exception, something to show (positions or errors), errors
 * well-formed with a line inside the file and a bounded message, positions internally consistent.
 */
function checkInvariants(input: ParsePositionsCsvInput): ParsePositionsCsvResult {
  let result: ParsePositionsCsvResult;
  const text = input.text ?? new TextDecoder().decode(input.bytes);
  try {
    result = parsePositionsCsv(input);
  } catch (error) {
    throw new Error(`parser threw for input ${JSON.stringify(text.slice(0, 300))}`, {
      cause: error,
    });
  }
  const where = `input ${JSON.stringify(text.slice(0, 300))}`;
  expect(result.positions.length + result.errors.length, where).toBeGreaterThan(0);
  expect(result.totalErrors, where).toBeGreaterThanOrEqual(result.errors.length);
  const lines = physicalLines(text);
  for (const e of result.errors) {
    expect(e.code, where).toMatch(CODE);
    if (e.row !== null) {
      expect(Number.isInteger(e.row) && e.row >= 1 && e.row <= lines, where).toBe(true);
    }
    expect(e.message.length, where).toBeGreaterThan(10);
    expect(e.message.length, where).toBeLessThan(700);
    // Echoed cells ("…") may hold anything the file did; the rest must not leak JS values.
    const ownWords = e.message.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(ownWords, where).not.toMatch(/undefined|NaN|null|\[object/);
    if (e.field !== null && e.code !== 'ERR_CSV_005')
      expect(HEADERS.has(e.field), where).toBe(true);
    if (e.symbol !== null) expect(e.symbol.length, where).toBeLessThanOrEqual(41);
  }
  const errorRows = new Set(result.errors.map((e) => e.row));
  for (const p of result.positions) {
    expect(errorRows.has(p.line), where).toBe(false);
    expect(p.quantity !== 0 && Number.isFinite(p.quantity), where).toBe(true);
    expect(Number(p.quantityText)).toBe(p.quantity);
    expect(Number(p.entryPriceText)).toBe(p.entryPrice);
    expect(p.entryPrice, where).toBeGreaterThan(0);
    expect(isIsoDate(p.entryDate) && p.entryDate <= input.today, where).toBe(true);
    expect(p.symbol, where).toMatch(/^[A-Z0-9._-]{1,100}$/);
    const long = p.quantity > 0;
    const expected =
      p.optionType === 'CALL'
        ? long
          ? 'LC'
          : 'SC'
        : p.optionType === 'PUT'
          ? long
            ? 'LP'
            : 'SP'
          : long
            ? 'LONG'
            : 'SHORT';
    expect(p.positionType, where).toBe(expected);
    expect(p.investmentClass === 'OPTIONS', where).toBe(p.optionType !== null);
  }
  return result;
}

const NASTY = [
  '"',
  ',',
  '\n',
  '\r',
  '\r\n',
  '#',
  '=',
  '+',
  '-',
  '@',
  ' ',
  '\t',
  '""',
  '\uFEFF',
  'é',
  '€',
  '😀',
  '\u0000',
];
const TOKENS = [
  ...NASTY,
  'AAPL',
  'aapl270115c00200000',
  'FO_X',
  '100',
  '-5',
  '0',
  '1.1234567',
  '$1,000.50',
  '2024-01-02',
  '2031-01-01',
  '1900-01-01',
  'PUBLIC',
  'OPTIONS',
  'PRIVATE',
  'CALL',
  'PUT',
  'ETF',
  'x'.repeat(120),
];

function randomText(maxTokens: number): string {
  let text = '';
  const n = int(maxTokens);
  for (let i = 0; i < n; i++)
    text += random() < 0.6 ? pick(TOKENS) : String.fromCharCode(int(0x3000));
  return text;
}

const CELL_POOLS: Record<string, readonly string[]> = {
  symbol: [
    'AAPL',
    'msft',
    'BRK.B',
    'SPY270115P00500000',
    'AAPL  270115C00200000',
    'FO_FUND',
    '',
    'A/B',
    '=X',
    'A'.repeat(101),
    'AAPL251399C00100000',
    'X000000C00000000',
  ],
  quantity: [
    '1',
    '-1',
    '0',
    '',
    '1.1234567',
    '1,000',
    '-',
    '+5',
    '=1',
    '1e3',
    '999999999999999',
    'abc',
  ],
  entryPrice: ['1', '0', '-1', '', '$12.50', '1.12345', '.5', '5.', 'NaN', 'Infinity'],
  entryDate: ['2024-01-02', '', '2024-02-30', '2999-01-01', '1800-01-01', '01/02/2024', TODAY],
  investmentClass: ['', 'PUBLIC', 'options', 'PRIVATE', 'STOCK', '@X'],
  investmentSubtype: ['', 'STOCK', 'ETF', 'CALL', 'PUT', 'CASH', 'PRIVATE_EQUITY', 'junk'],
  underlyingSymbol: ['', 'AAPL', 'SPY', '!!'],
  strikePrice: ['', '200', '0', '-5', 'x', '200.00001'],
  expirationDate: ['', '2027-01-15', '2020-01-01', 'soon'],
  optionType: ['', 'CALL', 'put', 'C'],
  exitDate: ['', '', '', '2025-01-02', '2000-01-01', '2030-01-01', 'x'],
  exitPrice: ['', '', '', '1', '0', '-1', 'x'],
};

function randomRow(): string {
  return POSITION_CSV_COLUMNS.map((c) => cell(pick(CELL_POOLS[c.key]!))).join(',');
}

describe('parsePositionsCsv under fuzzing (seeded)', () => {
  it('survives random bytes, with and without a valid header', () => {
    for (let i = 0; i < 150; i++) {
      const bytes = Uint8Array.from({ length: int(3000) }, () => int(256));
      const prefix = i % 2 === 0 ? new TextEncoder().encode(`${HEADER}\n`) : new Uint8Array();
      checkInvariants({ bytes: new Uint8Array([...prefix, ...bytes]), today: TODAY });
    }
  });

  it('survives random text full of quotes, commas, line ends and formula characters', () => {
    for (let i = 0; i < 150; i++) {
      const prefix = i % 3 === 0 ? '' : `${HEADER}${pick(['\n', '\r\n', '\r'])}`;
      checkInvariants({ text: prefix + randomText(400), today: TODAY });
    }
  });

  it('survives the template truncated, spliced with quotes and line ends, or with characters lost', () => {
    for (let i = 0; i < 150; i++) {
      let text = POSITIONS_CSV_TEMPLATE;
      const mutations = 1 + int(5);
      for (let m = 0; m < mutations; m++) {
        const at = int(text.length + 1);
        const kind = int(4);
        if (kind === 0) text = text.slice(0, at);
        else if (kind === 1) text = text.slice(0, at) + pick(NASTY) + text.slice(at);
        else if (kind === 2) text = text.slice(0, at) + text.slice(at + 1 + int(20));
        else text = text.slice(0, at) + pick(['\n', ',', '"']) + text.slice(at);
      }
      checkInvariants({ text, today: pick(['2026-01-01', TODAY, '2040-02-29']) });
    }
  });

  it('survives random rows drawn from valid and invalid cells', () => {
    for (let i = 0; i < 60; i++) {
      const rows = Array.from({ length: 1 + int(40) }, randomRow);
      checkInvariants({ text: [HEADER, ...rows].join(pick(['\n', '\r\n'])), today: TODAY });
    }
  });

  it('survives huge fields and answers with short messages', () => {
    for (let i = 0; i < 20; i++) {
      const size = 100_000 + int(900_000);
      const filler = pick(['A', '1', ' ', '9.', '-', '"', '\n', ',']);
      const huge = filler.repeat(size);
      const column = int(12);
      const cells = ['AAPL', '1', '1', '2024-01-02', '', '', '', '', '', '', '', ''];
      cells[column] = i % 2 === 0 ? cell(huge) : huge;
      const result = checkInvariants({ text: `${HEADER}\n${cells.join(',')}\n`, today: TODAY });
      expect(result.errors.every((e) => e.message.length < 700)).toBe(true);
    }
  });

  it('parses 10,000 valid rows with no errors', () => {
    const rows: string[] = [HEADER];
    for (let i = 0; i < 10_000; i++) {
      const date = `202${int(6)}-0${1 + int(9)}-${String(1 + int(28)).padStart(2, '0')}`;
      if (i % 4 === 0) {
        rows.push(
          `AAPL270115${i % 8 === 0 ? 'C' : 'P'}${String((i + 1) * 10).padStart(8, '0')},${i % 3 === 0 ? -1 : 2},${(1 + random() * 20).toFixed(2)},${date},,,,,,,,`,
        );
      } else if (i % 4 === 1) {
        rows.push(
          `FO_FUND_${i},1,${(1000 + random() * 1e6).toFixed(2)},${date},PRIVATE,PRIVATE_EQUITY,,,,,,`,
        );
      } else {
        rows.push(
          `S${i},${(random() * 2000 - 1000 || 1).toFixed(3)},${(1 + random() * 500).toFixed(4)},${date},PUBLIC,STOCK,,,,,,`,
        );
      }
    }
    const text = rows.join('\r\n') + '\r\n';
    const started = performance.now();
    const result = parsePositionsCsv({ text, today: TODAY, fileName: 'big.csv' });
    const elapsed = performance.now() - started;
    console.log(
      `parsed 10,000 rows (${(text.length / 1024).toFixed(0)} KB) in ${elapsed.toFixed(1)} ms`,
    );
    expect(result.errors).toEqual([]);
    expect(result.positions).toHaveLength(10_000);
    checkInvariants({ text, today: TODAY });
  });

  it('keeps at most MAX_REPORTED_ERRORS errors but counts them all', async () => {
    const { MAX_REPORTED_ERRORS } =
      await import('../../../../src/domain/csv/parse-positions-csv.ts');
    // ~3 errors for each of 200,000 one-character rows: a small file, a flood of errors.
    const text = `${HEADER}\n` + 'x\n'.repeat(200_000);
    const result = parsePositionsCsv({ text, today: TODAY });
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.totalErrors).toBe(600_000);
    expect(result.errors.at(-1)!.row).toBeLessThan(4000);
  });
});
