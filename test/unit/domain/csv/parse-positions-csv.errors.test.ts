import { describe, expect, it } from 'vitest';
import {
  MAX_CSV_BYTES,
  parsePositionsCsv,
  type CsvError,
} from '../../../../src/domain/csv/parse-positions-csv.ts';
import { HEADER, TODAY, parseLines, row, stock } from './csv-test-helpers.ts';

interface Expected {
  code: string;
  row: number | null;
  field: string | null;
}

/** Each case: a file and the error it must produce (code, physical line, column). */
const ROW_CASES: { name: string; lines: string[]; expected: Expected }[] = [
  {
    name: 'missing symbol',
    lines: [HEADER, stock({ symbol: '' })],
    expected: { code: 'ERR_POS_001', row: 2, field: 'Symbol' },
  },
  {
    name: 'symbol over 100 characters',
    lines: [HEADER, stock({ symbol: 'A'.repeat(101) })],
    expected: { code: 'ERR_POS_002', row: 2, field: 'Symbol' },
  },
  {
    name: 'symbol with a slash',
    lines: [HEADER, stock({ symbol: 'BRK/B' })],
    expected: { code: 'ERR_POS_003', row: 2, field: 'Symbol' },
  },
  {
    name: 'missing quantity',
    lines: [HEADER, stock({ quantity: '' })],
    expected: { code: 'ERR_POS_004', row: 2, field: 'Quantity' },
  },
  {
    name: 'non-numeric quantity',
    lines: [HEADER, stock({ quantity: 'ten' })],
    expected: { code: 'ERR_POS_005', row: 2, field: 'Quantity' },
  },
  {
    name: 'zero quantity',
    lines: [HEADER, stock({ quantity: '0.000' })],
    expected: { code: 'ERR_POS_006', row: 2, field: 'Quantity' },
  },
  {
    name: 'quantity with 7 decimals',
    lines: [HEADER, stock({ quantity: '12.1234567' })],
    expected: { code: 'ERR_POS_007', row: 2, field: 'Quantity' },
  },
  {
    name: 'missing entry price',
    lines: [HEADER, stock({ entryPrice: '' })],
    expected: { code: 'ERR_POS_008', row: 2, field: 'Entry Price Per Share' },
  },
  {
    name: 'non-numeric entry price',
    lines: [HEADER, stock({ entryPrice: '1.2.3' })],
    expected: { code: 'ERR_POS_009', row: 2, field: 'Entry Price Per Share' },
  },
  {
    name: 'negative entry price',
    lines: [HEADER, stock({ entryPrice: '-5' })],
    expected: { code: 'ERR_POS_010', row: 2, field: 'Entry Price Per Share' },
  },
  {
    name: 'entry price with 5 decimals',
    lines: [HEADER, stock({ entryPrice: '1.12345' })],
    expected: { code: 'ERR_POS_011', row: 2, field: 'Entry Price Per Share' },
  },
  {
    name: 'missing entry date',
    lines: [HEADER, stock({ entryDate: '' })],
    expected: { code: 'ERR_POS_012', row: 2, field: 'Entry Date' },
  },
  {
    name: 'US-style entry date',
    lines: [HEADER, stock({ entryDate: '01/15/2024' })],
    expected: { code: 'ERR_POS_013', row: 2, field: 'Entry Date' },
  },
  {
    name: 'impossible entry date',
    lines: [HEADER, stock({ entryDate: '2023-02-29' })],
    expected: { code: 'ERR_POS_013', row: 2, field: 'Entry Date' },
  },
  {
    name: 'entry date tomorrow',
    lines: [HEADER, stock({ entryDate: '2026-03-11' })],
    expected: { code: 'ERR_POS_014', row: 2, field: 'Entry Date' },
  },
  {
    name: 'entry date over 100 years ago',
    lines: [HEADER, stock({ entryDate: '1926-03-09' })],
    expected: { code: 'ERR_POS_015', row: 2, field: 'Entry Date' },
  },
  {
    name: 'unknown investment class',
    lines: [HEADER, stock({ investmentClass: 'EQUITY' })],
    expected: { code: 'ERR_POS_016', row: 2, field: 'Investment Class' },
  },
  {
    name: 'subtype of another class',
    lines: [HEADER, stock({ investmentClass: 'PUBLIC', investmentSubtype: 'VENTURE_CAPITAL' })],
    expected: { code: 'ERR_POS_017', row: 2, field: 'Investment Subtype' },
  },
  {
    name: 'exit before entry',
    lines: [HEADER, stock({ exitDate: '2023-12-29', exitPrice: '140' })],
    expected: { code: 'ERR_POS_018', row: 2, field: 'Exit Date' },
  },
  {
    name: 'option without underlying',
    lines: [
      HEADER,
      row({
        symbol: 'ACMEOPT',
        quantity: '1',
        entryPrice: '2',
        entryDate: '2025-01-02',
        investmentClass: 'OPTIONS',
        strikePrice: '10',
        expirationDate: '2027-01-15',
        optionType: 'CALL',
      }),
    ],
    expected: { code: 'ERR_POS_019', row: 2, field: 'Underlying Symbol' },
  },
  {
    name: 'option without strike',
    lines: [
      HEADER,
      row({
        symbol: 'ACMEOPT',
        quantity: '1',
        entryPrice: '2',
        entryDate: '2025-01-02',
        investmentClass: 'OPTIONS',
        underlyingSymbol: 'ACME',
        expirationDate: '2027-01-15',
        optionType: 'CALL',
      }),
    ],
    expected: { code: 'ERR_POS_020', row: 2, field: 'Strike Price' },
  },
  {
    name: 'option without expiry',
    lines: [
      HEADER,
      row({
        symbol: 'ACMEOPT',
        quantity: '1',
        entryPrice: '2',
        entryDate: '2025-01-02',
        investmentClass: 'OPTIONS',
        underlyingSymbol: 'ACME',
        strikePrice: '10',
        optionType: 'CALL',
      }),
    ],
    expected: { code: 'ERR_POS_021', row: 2, field: 'Expiration Date' },
  },
  {
    name: 'option type that is neither CALL nor PUT',
    lines: [
      HEADER,
      row({
        symbol: 'ACMEOPT',
        quantity: '1',
        entryPrice: '2',
        entryDate: '2025-01-02',
        investmentClass: 'OPTIONS',
        underlyingSymbol: 'ACME',
        strikePrice: '10',
        expirationDate: '2027-01-15',
        optionType: 'STRADDLE',
      }),
    ],
    expected: { code: 'ERR_POS_022', row: 2, field: 'Option Type' },
  },
  {
    name: 'duplicate (symbol, entry date), case-insensitively',
    lines: [HEADER, stock(), stock({ symbol: 'aapl', quantity: '5' })],
    expected: { code: 'ERR_POS_023', row: 3, field: 'Symbol' },
  },
  {
    name: 'non-numeric exit price',
    lines: [HEADER, stock({ exitDate: '2025-01-02', exitPrice: 'sold' })],
    expected: { code: 'ERR_POS_024', row: 2, field: 'Exit Price Per Share' },
  },
  {
    name: 'exit date without exit price',
    lines: [HEADER, stock({ exitDate: '2025-01-02' })],
    expected: { code: 'ERR_POS_025', row: 2, field: 'Exit Price Per Share' },
  },
];

const FILE_CASES: { name: string; run: () => CsvError[]; expected: Expected }[] = [
  {
    name: 'file over 10 MB (stated size)',
    run: () => parsePositionsCsv({ text: 'x', byteLength: MAX_CSV_BYTES + 1, today: TODAY }).errors,
    expected: { code: 'ERR_CSV_001', row: null, field: null },
  },
  {
    name: 'file not named .csv',
    run: () =>
      parsePositionsCsv({ text: `${HEADER}\n${stock()}\n`, fileName: 'book.xlsx', today: TODAY })
        .errors,
    expected: { code: 'ERR_CSV_002', row: null, field: null },
  },
  {
    name: 'empty file',
    run: () => parsePositionsCsv({ text: '', today: TODAY }).errors,
    expected: { code: 'ERR_CSV_003', row: null, field: null },
  },
  {
    name: 'missing required column',
    run: () => parseLines(['Symbol,Quantity,Entry Date', 'AAPL,1,2024-01-02']).errors,
    expected: { code: 'ERR_CSV_004', row: 1, field: 'Entry Price Per Share' },
  },
  {
    name: 'unknown column',
    run: () => parseLines([`${HEADER},Notes`, `${stock()},hello`]).errors,
    expected: { code: 'ERR_CSV_005', row: 1, field: 'Notes' },
  },
  {
    name: 'unterminated quote',
    run: () =>
      parseLines([HEADER, stock(), 'MSFT,"10,100,2024-01-02', stock({ symbol: 'IBM' })]).errors,
    expected: { code: 'ERR_CSV_006', row: 3, field: null },
  },
];

describe('parsePositionsCsv error codes', () => {
  it.each(ROW_CASES)('$name → $expected.code on line $expected.row', ({ lines, expected }) => {
    const result = parseLines(lines);
    expect(result.errors).toContainEqual(expect.objectContaining(expected));
    expect(result.errors.every((e) => typeof e.message === 'string' && e.message.length > 10)).toBe(
      true,
    );
  });

  it.each(FILE_CASES)('$name → $expected.code', ({ run, expected }) => {
    expect(run()).toContainEqual(expect.objectContaining(expected));
  });

  it('has a case for every code in SPEC §2 plus ERR_POS_024/025', () => {
    const covered = new Set([...ROW_CASES, ...FILE_CASES].map((c) => c.expected.code));
    const all = [
      ...[1, 2, 3, 4, 5, 6].map((n) => `ERR_CSV_00${n}`),
      ...Array.from({ length: 25 }, (_, i) => `ERR_POS_${String(i + 1).padStart(3, '0')}`),
    ];
    expect(all.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('reports a single clear error for a one-problem row', () => {
    expect(parseLines([HEADER, stock({ quantity: '12.1234567' })]).errors).toEqual([
      {
        row: 2,
        symbol: 'AAPL',
        field: 'Quantity',
        code: 'ERR_POS_007',
        message: 'Quantity "12.1234567" has 7 decimal places; at most 6 are allowed',
      },
    ]);
  });
});

describe('physical line numbers', () => {
  it('counts comment lines, blank lines and a multi-line quoted value above the bad row', () => {
    const text = [
      '# my portfolio',
      '',
      HEADER, // line 3
      stock({ quantity: '1\n\n' }), // lines 4–6: the quoted quantity spans three lines
      '# a comment', // line 7
      stock({ symbol: 'MSFT', quantity: 'abc' }), // line 8
    ].join('\r\n');
    const { errors, positions } = parsePositionsCsv({ text, today: TODAY });
    expect(positions.map((p) => p.line)).toEqual([4]);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'ERR_POS_005', row: 8, symbol: 'MSFT' }),
    ]);
  });

  it('reports the header line for header problems after leading comments', () => {
    const { errors } = parseLines(['# c', '', 'Symbol,Quantity,Entry Price Per Share', 'AAPL,1,2']);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'ERR_CSV_004', row: 3, field: 'Entry Date' }),
    ]);
  });
});

describe('all errors at once', () => {
  it('returns an error for each of 5 bad rows, and several for a row with several problems', () => {
    const { errors, positions, totalErrors } = parseLines([
      HEADER,
      stock({ symbol: 'A1', quantity: '' }),
      stock({ symbol: 'A2', entryPrice: '0' }),
      stock(), // line 4: fine
      stock({ symbol: 'A3', entryDate: '2024-13-01' }),
      stock({ symbol: 'A4', investmentClass: 'BONDS' }),
      stock({ symbol: 'A$5', quantity: '1.1234567', entryPrice: 'x', entryDate: '' }),
    ]);
    expect(positions.map((p) => p.line)).toEqual([4]);
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'ERR_POS_004'],
      [3, 'ERR_POS_010'],
      [5, 'ERR_POS_013'],
      [6, 'ERR_POS_016'],
      [7, 'ERR_POS_003'],
      [7, 'ERR_POS_007'],
      [7, 'ERR_POS_009'],
      [7, 'ERR_POS_012'],
    ]);
    expect(totalErrors).toBe(8);
  });
});
