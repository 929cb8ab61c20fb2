import { describe, expect, it } from 'vitest';
import { readCsvTokens, tokenizeCsv } from '../../../../src/domain/csv/csv-tokenizer.ts';

const lines = (text: string) => tokenizeCsv(text).records.map((r) => [r.line, r.fields]);

describe('tokenizeCsv', () => {
  it('splits plain records and keeps unquoted whitespace for the caller', () => {
    expect(lines('a,b,c\n d , e ,\n')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, [' d ', ' e ', '']],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const { records, errors } = tokenizeCsv('"a,b","say ""hi""","x\ny"\nnext,row\n');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a,b', 'say "hi"', 'x\ny'] },
      { line: 3, fields: ['next', 'row'] },
    ]);
  });

  it('counts CRLF, LF and lone CR line ends, also inside quotes', () => {
    expect(lines('a\r\nb\rc\nd')).toEqual([
      [1, ['a']],
      [2, ['b']],
      [3, ['c']],
      [4, ['d']],
    ]);
    // A quoted value spanning CRLF, CR and LF line ends moves the next record to line 4.
    expect(lines('"1\r\n2\r3\n4"\r\nx')).toEqual([
      [1, ['1\r\n2\r3\n4']],
      [5, ['x']],
    ]);
  });

  it('strips a UTF-8 BOM and handles a missing final line end', () => {
    expect(lines('\uFEFFSymbol,Quantity\r\nAAPL,1')).toEqual([
      [1, ['Symbol', 'Quantity']],
      [2, ['AAPL', '1']],
    ]);
  });

  it('skips blank and whitespace-only lines and # comments, but not # inside quotes', () => {
    const text = '# comment, with "quote\n\n   \nh1,h2\n  # indented comment\n"#not",1\n\t\nv,#2\n';
    expect(lines(text)).toEqual([
      [4, ['h1', 'h2']],
      [6, ['#not', '1']],
      [8, ['v', '#2']],
    ]);
  });

  it('drops spaces before an opening quote and after a closing one', () => {
    expect(lines('AAPL,  "1,000"  ,x\n')).toEqual([[1, ['AAPL', '1,000', 'x']]]);
  });

  it('treats a quote inside an unquoted field as a literal character', () => {
    expect(lines('5" pipe,x\n')).toEqual([[1, ['5" pipe', 'x']]]);
  });

  it('reports an unterminated quote at the line where it opens, and stops', () => {
    const { records, errors } = tokenizeCsv('h\nok\n"never\nclosed,\nmore\n');
    expect(records).toEqual([
      { line: 1, fields: ['h'] },
      { line: 2, fields: ['ok'] },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, fatal: true });
    expect(errors[0]!.message).toMatch(/never closed/);
  });

  it('reports text after a closing quote for that record only, and reads on', () => {
    const { records, errors } = tokenizeCsv('a\n"abc"def,x\nb\n');
    expect(records.map((r) => r.line)).toEqual([1, 3]);
    expect(errors).toEqual([
      expect.objectContaining({
        line: 2,
        fatal: false,
        message: expect.stringMatching(/after its closing quote/),
      }),
    ]);
  });

  it('streams records without building the whole list', () => {
    const tokens = readCsvTokens('a\nb\nc\n');
    expect(tokens.next().value).toEqual({ kind: 'record', line: 1, fields: ['a'] });
  });

  it('returns nothing for empty input or a lone BOM', () => {
    expect(tokenizeCsv('')).toEqual({ records: [], errors: [] });
    expect(tokenizeCsv('\uFEFF')).toEqual({ records: [], errors: [] });
    expect(tokenizeCsv('\n\r\n  \n')).toEqual({ records: [], errors: [] });
  });

  it('keeps an empty trailing field after a final comma', () => {
    expect(lines('a,')).toEqual([[1, ['a', '']]]);
    expect(lines('""')).toEqual([[1, ['']]]);
  });
});
