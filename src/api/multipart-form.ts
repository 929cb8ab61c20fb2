import type { Context } from 'hono';
import { ApiError } from './api-error.ts';
import { rejectControlCharacters } from './text-input.ts';

/** An uploaded file, read whole (the app's body limit has already capped its size). */
export interface UploadedFile {
  name: string;
  size: number;
  bytes: Uint8Array;
}

/** The fields of a multipart/form-data body. */
export interface MultipartForm {
  /** A text field; undefined when absent (a file sent under this name counts as absent). */
  text(name: string): string | undefined;
  /**
   * A file field; undefined when absent or when the browser sent its "no file chosen" part
   * (empty name, no bytes). A text value under a file field's name is `'not_a_file'`.
   */
  file(name: string): Promise<UploadedFile | undefined | 'not_a_file'>;
}

export const INVALID_MULTIPART = 'ERR_INVALID_MULTIPART';

/**
 * Reads a multipart/form-data body. Anything else — another content type, a missing boundary,
 * truncated or garbled framing — is a 400 the client can act on, never a 500: hono's
 * `parseBody()` throws a TypeError on framing it cannot read, and returns `{}` for content
 * types it does not parse.
 */
export async function readMultipartForm(c: Context): Promise<MultipartForm> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') {
    throw new ApiError(
      400,
      INVALID_MULTIPART,
      `This endpoint takes a multipart/form-data upload (the CSV in field "csv_file"); the ` +
        `request was ${mediaType === '' ? 'sent without a Content-Type' : `"${mediaType.slice(0, 80)}"`}`,
    );
  }
  let body: Record<string, string | File>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new ApiError(
      400,
      INVALID_MULTIPART,
      'The multipart/form-data body could not be read (missing boundary, or truncated or ' +
        'malformed parts); send it again as a regular form upload',
    );
  }
  // Form fields are text a person typed: no NUL or other control characters (the file is the
  // CSV parser's business).
  rejectControlCharacters(
    Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')),
  );
  // parseBody() keeps the last value of a repeated field; only the text/file split matters here.
  const value = (name: string): string | File | undefined =>
    Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
  return {
    text(name) {
      const v = value(name);
      return typeof v === 'string' ? v : undefined;
    },
    async file(name) {
      const v = value(name);
      if (v === undefined) return undefined;
      if (typeof v === 'string') return 'not_a_file';
      if (v.name === '' && v.size === 0) return undefined;
      return { name: v.name, size: v.size, bytes: new Uint8Array(await v.arrayBuffer()) };
    },
  };
}
