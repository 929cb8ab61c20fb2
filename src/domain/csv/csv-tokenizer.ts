/**
 * An RFC 4180 tokenizer for uploaded CSV files, written here rather than taken from a library
 * because error reports must name the PHYSICAL line of the file (what a person sees in an editor),
 * and a quoted field that spans lines moves every later record down.
 *
 * Accepted on top of RFC 4180, because spreadsheets and hand-edited files produce them:
 * - a UTF-8 byte-order mark, and CRLF, LF or lone CR line ends (mixed in one file);
 * - blank (or whitespace-only) lines, which are skipped;
 * - comment lines: `#` as the first non-blank character of a line, outside any quoted field;
 * - spaces before an opening quote (`AAPL, "1,000"`), which are dropped.
 * Unquoted fields are returned untrimmed; the caller decides what whitespace means.
 */

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  fields: string[];
}

export interface CsvSyntaxError {
  /** 1-based physical line of the problem (for an unclosed quote: where the quote opened). */
  line: number;
  message: string;
  /** True when nothing after this point could be read (an unclosed quote swallows the rest). */
  fatal: boolean;
}

export type CsvToken = ({ kind: 'record' } & CsvRecord) | ({ kind: 'error' } & CsvSyntaxError);

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const BOM = 0xfeff;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isLineEnd(code: number): boolean {
  return code === CR || code === LF;
}

/** Index just past the line end at `i` (CRLF counts as one), or `i` itself at end of text. */
function skipLineEnd(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  if (code === LF) return i + 1;
  return i;
}

/** Line ends in text[from, to), counting CRLF once, so quoted newlines advance the line number. */
function countLineEnds(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === LF) count++;
    else if (code === CR) {
      count++;
      if (i + 1 < to && text.charCodeAt(i + 1) === LF) i++;
    }
  }
  return count;
}

/**
 * Streams records and syntax errors in file order. A generator, so a 10 MB upload is never held
 * twice in memory as an array of records. After a fatal error nothing more is produced.
 */
export function* readCsvTokens(text: string): Generator<CsvToken, void, undefined> {
  const n = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;

  while (i < n) {
    // Classify the line by its first non-blank character: blank, comment, or a record.
    let j = i;
    while (j < n && isBlank(text.charCodeAt(j))) j++;
    if (j >= n) return;
    const first = text.charCodeAt(j);
    if (first === HASH || isLineEnd(first)) {
      while (j < n && !isLineEnd(text.charCodeAt(j))) j++;
      if (j >= n) return;
      i = skipLineEnd(text, j);
      line++;
      continue;
    }

    const recordLine = line;
    const fields: string[] = [];
    let problem: string | null = null;

    for (;;) {
      let k = i;
      while (k < n && isBlank(text.charCodeAt(k))) k++;
      let value: string;
      let end: number;

      if (k < n && text.charCodeAt(k) === QUOTE) {
        const openLine = line;
        const parts: string[] = [];
        let start = k + 1;
        for (;;) {
          const q = text.indexOf('"', start);
          if (q === -1) {
            yield {
              kind: 'error',
              line: openLine,
              fatal: true,
              message:
                `A quoted value that opens on line ${openLine} (field ${fields.length + 1}) ` +
                'is never closed, so the rest of the file cannot be read; add the missing " ' +
                '(write a literal quote inside a quoted value as "")',
            };
            return;
          }
          line += countLineEnds(text, start, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            // A doubled quote is one literal quote inside the value.
            parts.push(text.slice(start, q + 1));
            start = q + 2;
            continue;
          }
          parts.push(text.slice(start, q));
          end = q + 1;
          break;
        }
        value = parts.length === 1 ? (parts[0] ?? '') : parts.join('');
        while (end < n && isBlank(text.charCodeAt(end))) end++;
        if (end < n && text.charCodeAt(end) !== COMMA && !isLineEnd(text.charCodeAt(end))) {
          // `"abc"def`: RFC 4180 forbids text after the closing quote. Keep reading to the next
          // delimiter so later records still line up, but the record itself is rejected.
          const junkStart = end;
          while (end < n && text.charCodeAt(end) !== COMMA && !isLineEnd(text.charCodeAt(end))) {
            end++;
          }
          problem ??=
            `Field ${fields.length + 1} has text after its closing quote ` +
            `(${JSON.stringify(text.slice(junkStart, Math.min(end, junkStart + 20)))}); ` +
            'put the whole value inside the quotes';
        }
      } else {
        end = i;
        while (end < n) {
          const code = text.charCodeAt(end);
          if (code === COMMA || isLineEnd(code)) break;
          end++;
        }
        value = text.slice(i, end);
      }

      fields.push(value);
      if (end < n && text.charCodeAt(end) === COMMA) {
        i = end + 1;
        continue;
      }
      if (end < n) {
        i = skipLineEnd(text, end);
        line++;
      } else {
        i = n;
      }
      break;
    }

    if (problem === null) yield { kind: 'record', line: recordLine, fields };
    else yield { kind: 'error', line: recordLine, fatal: false, message: problem };
  }
}

/** Convenience for callers that want everything at once (tests, small files). */
export function tokenizeCsv(text: string): { records: CsvRecord[]; errors: CsvSyntaxError[] } {
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  for (const token of readCsvTokens(text)) {
    if (token.kind === 'record') records.push({ line: token.line, fields: token.fields });
    else errors.push({ line: token.line, message: token.message, fatal: token.fatal });
  }
  return { records, errors };
}
