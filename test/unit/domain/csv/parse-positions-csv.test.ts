import { describe, expect, it } from 'vitest';
import { parsePositionsCsv } from '../../../../src/domain/csv/parse-positions-csv.ts';
import { HEADER, TODAY, parseLines, row, stock } from './csv-test-helpers.ts';

describe('parsePositionsCsv accepts', () => {
  it('a BOM, CRLF line ends and quoted fields', () => {
    const text =
      '\uFEFF' +
      [
        HEADER,
        '"AAPL","1,000","$1,234.50","2024-01-02","PUBLIC","STOCK",,,,,,',
        '"MS""FT",1,1,2024-01-02', // a doubled quote inside a symbol is still reported, not mangled
      ].join('\r\n') +
      '\r\n';
    const { positions, errors } = parsePositionsCsv({ text, today: TODAY, fileName: 'p.csv' });
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({
      line: 2,
      symbol: 'AAPL',
      quantity: 1000,
      quantityText: '1000',
      entryPrice: 1234.5,
      entryPriceText: '1234.5',
      investmentClass: 'PUBLIC',
      investmentSubtype: 'STOCK',
      positionType: 'LONG',
    });
    expect(errors).toEqual([
      expect.objectContaining({
        row: 3,
        code: 'ERR_POS_003',
        message: expect.stringContaining('"\\""'),
      }),
    ]);
  });

  it('comment lines anywhere, including before the header', () => {
    const { positions, errors } = parseLines([
      '# exported 2026-03-01',
      HEADER,
      '# longs',
      stock(),
      '  # shorts',
      stock({ symbol: 'TSLA', quantity: '-5' }),
    ]);
    expect(errors).toEqual([]);
    expect(positions.map((p) => [p.line, p.symbol, p.positionType])).toEqual([
      [4, 'AAPL', 'LONG'],
      [6, 'TSLA', 'SHORT'],
    ]);
  });

  it('header names in any case, with spaces around them or underscores, in any order', () => {
    const { positions, errors } = parseLines([
      '  entry date ,SYMBOL,  Quantity,entry_price_per_share,Investment  Class',
      '2024-01-02,msft,10,300.5,public',
    ]);
    expect(errors).toEqual([]);
    expect(positions).toEqual([
      expect.objectContaining({
        symbol: 'MSFT',
        quantity: 10,
        entryPrice: 300.5,
        entryDate: '2024-01-02',
        investmentClass: 'PUBLIC',
      }),
    ]);
  });

  it('only the four required columns, with optional ones taking their defaults', () => {
    const { positions, errors } = parseLines([
      'Symbol,Quantity,Entry Price Per Share,Entry Date',
      'VTI,3.5,250,2025-06-30',
    ]);
    expect(errors).toEqual([]);
    expect(positions).toEqual([
      {
        line: 2,
        symbol: 'VTI',
        quantity: 3.5,
        quantityText: '3.5',
        entryPrice: 250,
        entryPriceText: '250',
        entryDate: '2025-06-30',
        investmentClass: 'PUBLIC',
        investmentSubtype: null,
        positionType: 'LONG',
        underlyingSymbol: null,
        strikePrice: null,
        strikePriceText: null,
        expirationDate: null,
        optionType: null,
        exitDate: null,
        exitPrice: null,
        exitPriceText: null,
      },
    ]);
  });

  it('rows shorter than the header, trailing empty header cells and extra blank cells', () => {
    const { positions, errors } = parseLines([
      `${HEADER},,`,
      'AAPL,1,1,2024-01-02',
      'MSFT,1,1,2024-01-02,,,,,,,,,,,',
    ]);
    expect(errors).toEqual([]);
    expect(positions.map((p) => p.symbol)).toEqual(['AAPL', 'MSFT']);
  });

  it('boundary values: exactly 6 and 4 decimals, trailing zeros, today, exactly 100 years ago', () => {
    const { positions, errors } = parseLines([
      HEADER,
      stock({ quantity: '-0.123456', entryPrice: '0.0001', entryDate: TODAY }),
      stock({
        symbol: 'OLD',
        quantity: '1.50000000',
        entryPrice: '10.12340000',
        entryDate: '1926-03-10',
      }),
    ]);
    expect(errors).toEqual([]);
    expect(positions.map((p) => [p.quantityText, p.entryPriceText, p.entryDate])).toEqual([
      ['-0.123456', '0.0001', TODAY],
      ['1.5', '10.1234', '1926-03-10'],
    ]);
  });

  it('a closed position, including one exited at 0 (a write-off)', () => {
    const { positions, errors } = parseLines([
      HEADER,
      stock({ exitDate: '2025-07-15', exitPrice: '503.20' }),
      row({
        symbol: 'FO_DEADCO',
        quantity: '1',
        entryPrice: '50000',
        entryDate: '2024-01-02',
        investmentClass: 'PRIVATE',
        investmentSubtype: 'venture capital',
        exitDate: '2025-01-02',
        exitPrice: '0',
      }),
    ]);
    expect(errors).toEqual([]);
    expect(
      positions.map((p) => [p.exitDate, p.exitPrice, p.exitPriceText, p.investmentSubtype]),
    ).toEqual([
      ['2025-07-15', 503.2, '503.2', null],
      ['2025-01-02', 0, '0', 'VENTURE_CAPITAL'],
    ]);
  });

  it('an OCC symbol written with its standard padding spaces, stored compact', () => {
    const { positions, errors } = parseLines([
      HEADER,
      stock({ symbol: 'AAPL  270115C00200000', quantity: '1', entryPrice: '18.5' }),
    ]);
    expect(errors).toEqual([]);
    expect(positions[0]).toMatchObject({
      symbol: 'AAPL270115C00200000',
      investmentClass: 'OPTIONS',
      underlyingSymbol: 'AAPL',
    });
  });
});

describe('class inference and position types', () => {
  it('infers OPTIONS from an OCC symbol and fills the option columns from it', () => {
    const { positions, errors } = parseLines([
      HEADER,
      stock({ symbol: 'spy270115p00512500', quantity: '-3', entryPrice: '22.40' }),
    ]);
    expect(errors).toEqual([]);
    expect(positions[0]).toMatchObject({
      symbol: 'SPY270115P00512500',
      investmentClass: 'OPTIONS',
      investmentSubtype: 'PUT',
      underlyingSymbol: 'SPY',
      strikePrice: 512.5,
      strikePriceText: '512.5',
      expirationDate: '2027-01-15',
      optionType: 'PUT',
      positionType: 'SP',
      quantity: -3,
    });
  });

  it('infers OPTIONS from filled option columns on a non-OCC symbol', () => {
    const { positions, errors } = parseLines([
      HEADER,
      row({
        symbol: 'ACME-JAN27-10C',
        quantity: '4',
        entryPrice: '1.25',
        entryDate: '2025-03-03',
        underlyingSymbol: 'acme',
        strikePrice: '10',
        expirationDate: '2027-01-15',
        optionType: 'call',
      }),
    ]);
    expect(errors).toEqual([]);
    expect(positions[0]).toMatchObject({
      investmentClass: 'OPTIONS',
      underlyingSymbol: 'ACME',
      strikePrice: 10,
      optionType: 'CALL',
      positionType: 'LC',
      investmentSubtype: 'CALL',
    });
  });

  it('infers PUBLIC otherwise (SPEC §2), also for an FO_ symbol', () => {
    const { positions } = parseLines([HEADER, stock(), stock({ symbol: 'FO_FUND' })]);
    expect(positions.map((p) => p.investmentClass)).toEqual(['PUBLIC', 'PUBLIC']);
  });

  it('gives all six position types from the quantity sign and option type', () => {
    const occ = (cp: 'C' | 'P') => `AAPL270115${cp}00200000`;
    const { positions, errors } = parseLines([
      HEADER,
      stock({ quantity: '10' }),
      stock({ quantity: '-10', entryDate: '2024-01-03' }),
      stock({ symbol: occ('C'), quantity: '2' }),
      stock({ symbol: occ('C'), quantity: '-2', entryDate: '2024-01-03' }),
      stock({ symbol: occ('P'), quantity: '1' }),
      stock({ symbol: occ('P'), quantity: '-1', entryDate: '2024-01-03' }),
    ]);
    expect(errors).toEqual([]);
    expect(positions.map((p) => [p.positionType, p.quantity])).toEqual([
      ['LONG', 10],
      ['SHORT', -10],
      ['LC', 2],
      ['SC', -2],
      ['LP', 1],
      ['SP', -1],
    ]);
  });

  it('rejects option columns that contradict the OCC symbol', () => {
    const { errors } = parseLines([
      HEADER,
      stock({
        symbol: 'AAPL270115C00200000',
        underlyingSymbol: 'MSFT',
        strikePrice: '210',
        expirationDate: '2027-01-16',
        optionType: 'PUT',
      }),
    ]);
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['ERR_POS_019', 'Underlying Symbol'],
      ['ERR_POS_020', 'Strike Price'],
      ['ERR_POS_021', 'Expiration Date'],
      ['ERR_POS_022', 'Option Type'],
    ]);
    expect(errors[1]!.message).toBe(
      'Strike Price "210" does not match the OCC symbol, which says 200',
    );
  });

  it('rejects option columns or an OCC symbol on a row whose class is not OPTIONS', () => {
    const { errors } = parseLines([
      HEADER,
      stock({ investmentClass: 'PUBLIC', strikePrice: '150', optionType: 'CALL' }),
      stock({ symbol: 'AAPL270115C00200000', investmentClass: 'PUBLIC' }),
    ]);
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'ERR_POS_016'],
      [3, 'ERR_POS_016'],
    ]);
    expect(errors[0]!.message).toMatch(/Strike Price, Option Type/);
  });

  it('rejects an option that expires before it was entered, and a subtype contradicting the type', () => {
    const { errors } = parseLines([
      HEADER,
      stock({ symbol: 'AAPL240115C00200000', entryDate: '2024-02-01' }),
      stock({ symbol: 'AAPL270115C00200000', investmentSubtype: 'PUT' }),
    ]);
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'ERR_POS_021'],
      [3, 'ERR_POS_017'],
    ]);
  });

  it('explains a subtype that needs another class when the class was left blank', () => {
    const { errors } = parseLines([
      HEADER,
      stock({ symbol: 'FO_FUND', investmentSubtype: 'PRIVATE_EQUITY' }),
    ]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'ERR_POS_017',
        message: expect.stringContaining('assumed because Investment Class is blank'),
      }),
    ]);
  });

  it('accepts subtypes written with spaces and in lower case', () => {
    const { positions, errors } = parseLines([
      HEADER,
      stock({ investmentClass: 'public', investmentSubtype: 'mutual fund' }),
    ]);
    expect(errors).toEqual([]);
    expect(positions[0]!.investmentSubtype).toBe('MUTUAL_FUND');
  });
});

describe('exit price and exit date (ERR_POS_024/025)', () => {
  it.each([
    ['-1', /negative/],
    ['1.12345', /5 decimal places; at most 4/],
    ['abc', /not a number/],
  ])('rejects exit price %s', (exitPrice, message) => {
    const { errors } = parseLines([HEADER, stock({ exitDate: '2025-01-02', exitPrice })]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'ERR_POS_024',
        field: 'Exit Price Per Share',
        message: expect.stringMatching(message),
      }),
    ]);
  });

  it('needs the exit date with an exit price, and the exit date not in the future', () => {
    const { errors } = parseLines([
      HEADER,
      stock({ exitPrice: '10' }),
      stock({ symbol: 'MSFT', exitDate: '2026-03-11', exitPrice: '1' }),
      stock({ symbol: 'IBM', exitDate: '2025-1-2', exitPrice: '1' }),
    ]);
    expect(errors.map((e) => [e.row, e.code, e.field])).toEqual([
      [2, 'ERR_POS_025', 'Exit Date'],
      [3, 'ERR_POS_014', 'Exit Date'],
      [4, 'ERR_POS_013', 'Exit Date'],
    ]);
  });
});

describe('formula injection', () => {
  it.each([
    ['symbol', '=HYPERLINK("http://evil","x")', 'ERR_POS_003'],
    ['symbol', '-ABC', 'ERR_POS_003'],
    ['quantity', '+cmd|" /C calc"!A0', 'ERR_POS_005'],
    ['quantity', '-2+3', 'ERR_POS_005'],
    ['entryPrice', '=1+2', 'ERR_POS_009'],
    ['entryDate', '@TODAY()', 'ERR_POS_013'],
    ['investmentClass', '=PUBLIC', 'ERR_POS_016'],
    ['investmentSubtype', '@STOCK', 'ERR_POS_017'],
    ['exitPrice', '=A1', 'ERR_POS_024'],
  ] as const)('rejects %s %s as %s', (column, value, code) => {
    const extra = column === 'exitPrice' ? { exitDate: '2025-01-02' } : {};
    const { errors, positions } = parseLines([HEADER, stock({ ...extra, [column]: value })]);
    expect(positions).toEqual([]);
    expect(errors).toContainEqual(
      expect.objectContaining({ code, message: expect.stringContaining('spreadsheet formula') }),
    );
  });

  it('still accepts negative and explicitly positive numbers', () => {
    const { positions, errors } = parseLines([
      HEADER,
      stock({ quantity: '-100' }),
      stock({ symbol: 'MSFT', quantity: '+7', entryPrice: '+$12.50' }),
    ]);
    expect(errors).toEqual([]);
    expect(positions.map((p) => [p.quantityText, p.entryPriceText])).toEqual([
      ['-100', '150'],
      ['7', '12.5'],
    ]);
  });
});

describe('messages', () => {
  it('cut echoed values to about 40 characters', () => {
    const huge = 'Q'.repeat(100_000);
    const { errors } = parseLines([
      HEADER,
      stock({ symbol: huge, quantity: huge, entryDate: huge }),
    ]);
    expect(errors.map((e) => e.code)).toEqual(['ERR_POS_002', 'ERR_POS_005', 'ERR_POS_013']);
    for (const e of errors) {
      expect(e.message.length).toBeLessThan(200);
      expect(e.message).toContain('Q'.repeat(40) + '…');
    }
    expect(errors[0]!.symbol).toBe('Q'.repeat(40) + '…');
    expect(errors[0]!.message).toContain('100000 characters long; at most 100');
  });

  it('say what was found and what is expected', () => {
    const { errors } = parseLines([
      HEADER,
      stock({ entryDate: '15/01/2024', investmentClass: 'STOCK' }),
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'Entry Date "15/01/2024" is not a real date written YYYY-MM-DD (e.g. 2024-01-15)',
      'Investment Class "STOCK" is not one of PUBLIC, OPTIONS, PRIVATE; STOCK belongs in Investment Subtype',
    ]);
  });
});
