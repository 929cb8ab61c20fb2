import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isIsoDate,
  readGzipLines,
} from '../../../../../src/market/providers/sample/read-gzip-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'betaboard-gzip-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gz(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(content));
  return path;
}

async function collect(path: string, header?: string): Promise<[string, number][]> {
  const out: [string, number][] = [];
  await readGzipLines(
    path,
    (line, n) => out.push([line, n]),
    header === undefined ? {} : { header },
  );
  return out;
}

describe('readGzipLines', () => {
  it('reassembles lines split across inflate chunks, multi-byte characters included', async () => {
    // ~2 MB of uneven lines forces many 256 KiB chunk boundaries to fall mid-line (and mid-'é').
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i},${'é'.repeat(i % 37)},x${i}`);
    const result = await collect(gz('big.gz', `${lines.join('\n')}\n`));
    // Compared in bulk: 40k individual expects would dominate the run time.
    expect(result.map(([line]) => line)).toEqual(lines);
    expect(result.every(([, n], i) => n === i + 1)).toBe(true);
  });

  it('handles CRLF, a BOM, blank lines and a last line without newline', async () => {
    const path = gz('crlf.gz', '\ufeffh1,h2\r\na,1\r\n\r\nb,2');
    expect(await collect(path)).toEqual([
      ['h1,h2', 1],
      ['a,1', 2],
      ['b,2', 4],
    ]);
    expect(await collect(path, 'h1,h2')).toEqual([
      ['a,1', 2],
      ['b,2', 4],
    ]);
  });

  it('stops at the first error thrown by the callback', async () => {
    const path = gz('stop.gz', 'a\nb\nc\n');
    const seen: string[] = [];
    await expect(
      readGzipLines(path, (line) => {
        seen.push(line);
        if (line === 'b') throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('isIsoDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-04-31')).toBe(false);
    expect(isIsoDate('2023-4-01')).toBe(false);
    expect(isIsoDate(' 2023-04-01')).toBe(false);
    expect(isIsoDate('2023-04-01T00:00')).toBe(false);
  });
});
