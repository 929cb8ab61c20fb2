import { describe, expect, it } from 'vitest';
import {
  POSITIONS_CSV_TEMPLATE,
  POSITIONS_CSV_TEMPLATE_FILE_NAME,
} from '../../../../src/domain/csv/csv-template.ts';
import {
  POSITION_CSV_COLUMNS,
  parsePositionsCsv,
} from '../../../../src/domain/csv/parse-positions-csv.ts';

describe('POSITIONS_CSV_TEMPLATE', () => {
  it.each(['2026-01-01', '2026-03-10', '2030-12-31', '2099-06-15'])(
    'passes validation when uploaded on %s',
    (today) => {
      const result = parsePositionsCsv({
        text: POSITIONS_CSV_TEMPLATE,
        today,
        fileName: POSITIONS_CSV_TEMPLATE_FILE_NAME,
      });
      expect(result.errors).toEqual([]);
      expect(result.positions).toHaveLength(8);
    },
  );

  it('also passes as UTF-8 bytes', () => {
    const bytes = new TextEncoder().encode(POSITIONS_CSV_TEMPLATE);
    const result = parsePositionsCsv({ bytes, today: '2026-01-01' });
    expect(result.errors).toEqual([]);
  });

  it('shows every kind of position API.md lists', () => {
    const { positions } = parsePositionsCsv({ text: POSITIONS_CSV_TEMPLATE, today: '2026-01-01' });
    const kinds = positions.map((p) => [
      p.symbol,
      p.investmentClass,
      p.investmentSubtype,
      p.positionType,
    ]);
    expect(kinds).toEqual([
      ['AAPL', 'PUBLIC', 'STOCK', 'LONG'],
      ['AAPL270115C00200000', 'OPTIONS', 'CALL', 'LC'],
      ['SPY270115P00500000', 'OPTIONS', 'PUT', 'LP'],
      ['IWM', 'PUBLIC', 'ETF', 'LONG'],
      ['TSLA', 'PUBLIC', 'STOCK', 'SHORT'],
      ['CASH_USD', 'PRIVATE', 'CASH', 'LONG'],
      ['MSFT', 'PUBLIC', 'STOCK', 'LONG'],
      ['FO_BLUE_RIDGE_FUND_II', 'PRIVATE', 'PRIVATE_EQUITY', 'LONG'],
    ]);
    expect(positions.find((p) => p.symbol === 'MSFT')).toMatchObject({
      exitDate: '2025-07-15',
      exitPrice: 503.2,
    });
    expect(positions.find((p) => p.symbol === 'CASH_USD')).toMatchObject({
      quantity: 25000,
      entryPrice: 1,
    });
  });

  it('has comment lines explaining every column, then the 12-column header', () => {
    const lines = POSITIONS_CSV_TEMPLATE.split('\n');
    const headerIndex = lines.findIndex((l) => !l.startsWith('#'));
    const comments = lines.slice(0, headerIndex).join('\n');
    for (const column of POSITION_CSV_COLUMNS) expect(comments).toContain(column.header);
    expect(lines[headerIndex]).toBe(POSITION_CSV_COLUMNS.map((c) => c.header).join(','));
    expect(lines[headerIndex]!.split(',')).toHaveLength(12);
    // Every data row has all 12 cells, so a spreadsheet shows them in the right columns.
    const rows = lines.slice(headerIndex + 1).filter((l) => l !== '');
    expect(rows.every((l) => l.split(',').length === 12)).toBe(true);
  });
});
