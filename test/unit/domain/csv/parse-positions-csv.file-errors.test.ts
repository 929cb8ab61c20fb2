import { describe, expect, it } from 'vitest';
import {
  MAX_CSV_BYTES,
  parsePositionsCsv,
} from '../../../../src/domain/csv/parse-positions-csv.ts';
import { HEADER, TODAY, parseLines, stock } from './csv-test-helpers.ts';

describe('file-level errors', () => {
  it('measures bytes when no size is given, and stops before parsing', () => {
    const big = 'x'.repeat(MAX_CSV_BYTES + 1);
    const result = parsePositionsCsv({ text: big, today: TODAY });
    expect(result.errors.map((e) => e.code)).toEqual(['ERR_CSV_001']);
    expect(result.errors[0]!.message).toMatch(
      /10\.0 MB \(10485761 bytes\); the limit is 10 MB \(10485760 bytes\)/,
    );
    // Multi-byte characters count as their UTF-8 size: 3.6 M "€" are 10.8 MB.
    const euros = parsePositionsCsv({ text: '€'.repeat(3_600_000), today: TODAY });
    expect(euros.errors.map((e) => e.code)).toEqual(['ERR_CSV_001']);
    const bytes = parsePositionsCsv({ bytes: new Uint8Array(MAX_CSV_BYTES + 1), today: TODAY });
    expect(bytes.errors.map((e) => e.code)).toEqual(['ERR_CSV_001']);
  });

  it('accepts a file of exactly 10 MB', () => {
    const result = parsePositionsCsv({
      text: `${HEADER}\n${stock()}\n`,
      byteLength: MAX_CSV_BYTES,
      today: TODAY,
    });
    expect(result.errors).toEqual([]);
  });

  it('checks the file name case-insensitively', () => {
    const text = `${HEADER}\n${stock()}\n`;
    expect(parsePositionsCsv({ text, fileName: 'Positions.CSV', today: TODAY }).errors).toEqual([]);
    expect(parsePositionsCsv({ text, fileName: 'positions.csv.txt', today: TODAY }).errors).toEqual(
      [
        expect.objectContaining({
          code: 'ERR_CSV_002',
          message: expect.stringContaining('positions.csv.txt'),
        }),
      ],
    );
  });

  it('calls a file of comments, blank lines or ,,, rows empty', () => {
    for (const text of [
      '# just a comment\n\n   \n',
      '\uFEFF',
      `${HEADER}\n`,
      `${HEADER}\n,,,,\n\n`,
    ]) {
      const { errors, positions } = parsePositionsCsv({ text, today: TODAY });
      expect(positions).toEqual([]);
      expect(errors.map((e) => e.code)).toEqual(['ERR_CSV_003']);
    }
  });

  it('reports each missing required column once', () => {
    const { errors } = parseLines(['Symbol,Investment Class', 'AAPL,PUBLIC']);
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['ERR_CSV_004', 'Quantity'],
      ['ERR_CSV_004', 'Entry Price Per Share'],
      ['ERR_CSV_004', 'Entry Date'],
    ]);
  });

  it('rejects duplicate and unnamed header columns but still checks the rows', () => {
    const { errors } = parseLines([
      'Symbol,Quantity,symbol,,Entry Price Per Share,Entry Date',
      'AAPL,abc,X,,150,2024-01-02',
    ]);
    expect(errors.map((e) => [e.code, e.row, e.field])).toEqual([
      ['ERR_CSV_005', 1, 'Symbol'],
      ['ERR_CSV_005', 1, null],
      ['ERR_POS_005', 2, 'Quantity'],
    ]);
  });

  it('rejects bytes that are not UTF-8 (including UTF-16) as ERR_CSV_006', () => {
    const latin1 = Uint8Array.from([0x53, 0x79, 0x6d, 0xe9, 0x0a]); // "Symé\n" in Latin-1
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(`${HEADER}\n`, 'utf16le')]);
    for (const bytes of [latin1, utf16]) {
      const { errors } = parsePositionsCsv({ bytes, today: TODAY });
      expect(errors).toEqual([expect.objectContaining({ code: 'ERR_CSV_006', row: null })]);
      expect(errors[0]!.message).toMatch(/CSV UTF-8/);
    }
  });

  it('rejects text with NUL characters or U+FFFD replacement characters', () => {
    for (const text of [`${HEADER}\n\u0000A\u0000`, `${HEADER}\nAAPL\uFFFD,1,1,2024-01-02\n`]) {
      expect(parsePositionsCsv({ text, today: TODAY }).errors.map((e) => e.code)).toEqual([
        'ERR_CSV_006',
      ]);
    }
  });

  it('rejects a row with more values than the header has columns, naming the comma problem', () => {
    const { errors, positions } = parseLines([
      'Symbol,Quantity,Entry Price Per Share,Entry Date',
      'AAPL,1,000,150,2024-01-02',
      'MSFT,10,300,2024-01-02,,',
    ]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'ERR_CSV_006',
        row: 2,
        symbol: 'AAPL',
        message: expect.stringContaining('"1,000"'),
      }),
    ]);
    expect(positions.map((p) => p.symbol)).toEqual(['MSFT']);
  });

  it('reports text after a closing quote against its row and keeps checking the others', () => {
    const { errors } = parseLines([
      HEADER,
      '"AAPL"x,1,1,2024-01-02',
      stock({ symbol: 'MSFT', quantity: '' }),
    ]);
    expect(errors.map((e) => [e.code, e.row])).toEqual([
      ['ERR_CSV_006', 2],
      ['ERR_POS_004', 3],
    ]);
  });

  it('throws only for a malformed `today`, a programming error', () => {
    expect(() => parsePositionsCsv({ text: '', today: '10/03/2026' })).toThrow(RangeError);
  });
});
