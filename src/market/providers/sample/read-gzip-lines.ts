import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A problem in one line of a data file; the message always carries the file and line number. */
export class CsvLineError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file} line ${line}: ${reason}`);
    this.name = 'CsvLineError';
  }
}

export type ReadGzipLinesOptions = {
  /** Exact header expected on line 1; it is checked here and not passed to `onLine`. */
  header?: string;
};

// Big inflate chunks mean fewer string concatenations at chunk boundaries; 256 KiB keeps the
// whole price file at a few dozen chunks without holding it all in memory.
const CHUNK_SIZE = 256 * 1024;

/**
 * Streams a gzipped text file and calls `onLine` once per non-blank line with its 1-based line
 * number (blank lines still count, so numbers match an editor's). A trailing `\r` is dropped so
 * CRLF files parse like LF files, and a UTF-8 BOM on line 1 is ignored. Anything `onLine` throws
 * stops the read and is rethrown unchanged; I/O and gzip errors are rethrown naming the file.
 * Resolves to the number of lines passed to `onLine`.
 */
export async function readGzipLines(
  path: string,
  onLine: (line: string, lineNumber: number) => void,
  options: ReadGzipLinesOptions = {},
): Promise<number> {
  const gunzip = createGunzip({ chunkSize: CHUNK_SIZE });
  // pipeline (not .pipe) so a missing file surfaces as an error on the stream we iterate, and an
  // early exit from the loop below tears down the file handle too.
  pipeline(createReadStream(path, { highWaterMark: CHUNK_SIZE }), gunzip, () => {});
  gunzip.setEncoding('utf8');

  let carry = '';
  let lineNumber = 0;
  let delivered = 0;
  let headerPending = true;

  const handle = (raw: string): void => {
    lineNumber += 1;
    let line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (headerPending) {
      headerPending = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (options.header !== undefined) {
        if (line !== options.header) {
          throw new CsvLineError(
            path,
            lineNumber,
            `expected header '${options.header}', got '${truncate(line)}'`,
          );
        }
        return;
      }
    }
    if (line.length === 0) return;
    delivered += 1;
    onLine(line, lineNumber);
  };

  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const text = carry + chunk;
      let start = 0;
      let nl = text.indexOf('\n');
      while (nl !== -1) {
        handle(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      carry = text.slice(start);
    }
  } catch (err) {
    if (err instanceof CsvLineError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${path}: ${message}`, { cause: err });
  }
  if (carry.length > 0) handle(carry);
  if (headerPending && options.header !== undefined) {
    throw new CsvLineError(path, 1, `file is empty, expected header '${options.header}'`);
  }
  return delivered;
}

/** Shortens a field or line for an error message so a garbage line cannot flood the log. */
export function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

// Re-exported for the loaders: one definition of a valid date for the whole project.
export { isIsoDate } from '../../../domain/dates.ts';
