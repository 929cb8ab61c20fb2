import { isIsoDate } from '../../../domain/dates.ts';

export interface PriceCsvRow {
  symbol: string;
  date: string;
  close: number;
}

export interface PriceCsvError {
  line: number;
  column: 'symbol' | 'date' | 'close' | null;
  code: string;
  message: string;
}

export interface PriceCsvParseResult {
  rows: PriceCsvRow[];
  errors: PriceCsvError[];
}

const SYMBOL_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const MAX_ERRORS = 1_000;

/**
 * Parses a user's `symbol,date,close` file. Every row is checked and every problem reported with
 * its physical line number; callers write nothing unless `errors` is empty.
 */
export function parsePriceCsv(text: string, today: string): PriceCsvParseResult {
  const errors: PriceCsvError[] = [];
  const rows: PriceCsvRow[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  const push = (e: PriceCsvError) => {
    if (errors.length < MAX_ERRORS) errors.push(e);
  };

  let headerLine = -1;
  let columns: number[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const lineNumber = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(',').map((f) =>
      f
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    );
    if (headerLine < 0) {
      headerLine = lineNumber;
      const names = fields.map((f) => f.toLowerCase());
      columns = ['symbol', 'date', 'close'].map((c) => names.indexOf(c));
      const missing = ['symbol', 'date', 'close'].filter((_, k) => columns[k]! < 0);
      if (missing.length > 0) {
        push({
          line: lineNumber,
          column: null,
          code: 'ERR_PRICES_HEADER',
          message: `the header must name the columns symbol, date and close; missing: ${missing.join(', ')}`,
        });
        return { rows: [], errors };
      }
      continue;
    }
    const symbol = (fields[columns[0]!] ?? '').toUpperCase();
    const date = fields[columns[1]!] ?? '';
    const closeText = fields[columns[2]!] ?? '';
    let ok = true;
    if (!SYMBOL_PATTERN.test(symbol)) {
      ok = false;
      push({
        line: lineNumber,
        column: 'symbol',
        code: 'ERR_PRICES_SYMBOL',
        message:
          symbol === ''
            ? 'symbol is empty'
            : `"${symbol.slice(0, 40)}" is not a valid symbol (letters, digits, . _ - only)`,
      });
    }
    if (!isIsoDate(date)) {
      ok = false;
      push({
        line: lineNumber,
        column: 'date',
        code: 'ERR_PRICES_DATE',
        message: `"${date.slice(0, 40)}" is not a date written YYYY-MM-DD`,
      });
    } else if (date > today) {
      ok = false;
      push({
        line: lineNumber,
        column: 'date',
        code: 'ERR_PRICES_DATE_FUTURE',
        message: `${date} is in the future`,
      });
    }
    const close = Number(closeText);
    if (closeText === '' || !Number.isFinite(close) || close <= 0) {
      ok = false;
      push({
        line: lineNumber,
        column: 'close',
        code: 'ERR_PRICES_CLOSE',
        message:
          closeText === ''
            ? 'close is empty'
            : `close "${closeText.slice(0, 40)}" is not a positive number`,
      });
    }
    if (!ok) continue;
    const key = `${symbol}|${date}`;
    const first = seen.get(key);
    if (first !== undefined) {
      push({
        line: lineNumber,
        column: 'date',
        code: 'ERR_PRICES_DUPLICATE',
        message: `${symbol} ${date} already appears on line ${first}`,
      });
      continue;
    }
    seen.set(key, lineNumber);
    rows.push({ symbol, date, close });
  }
  if (headerLine < 0) {
    push({
      line: 1,
      column: null,
      code: 'ERR_PRICES_EMPTY',
      message: 'the file has no header and no rows',
    });
  } else if (rows.length === 0 && errors.length === 0) {
    push({
      line: headerLine,
      column: null,
      code: 'ERR_PRICES_EMPTY',
      message: 'the file has a header but no price rows',
    });
  }
  return { rows, errors };
}
