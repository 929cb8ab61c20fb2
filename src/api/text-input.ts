import { ApiError } from './api-error.ts';

/**
 * C0 control characters other than tab, line feed and carriage return, and DEL. PostgreSQL
 * cannot store NUL in text at all (the insert fails), and none of them belongs in a name, an
 * account, a description or a note.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const CONTROL_CHARACTER_CODE = 'ERR_CONTROL_CHARACTER';

export function controlCharacterError(field: string): ApiError {
  return new ApiError(
    400,
    CONTROL_CHARACTER_CODE,
    `${field} contains a control character (such as NUL); only printable text, tabs and line ` +
      'breaks are accepted',
    { field },
  );
}

export const hasControlCharacter = (text: string) => CONTROL_CHARACTER.test(text);

/** The path (`a.b[2]`) of the first string, or object key, with a control character. */
export function findControlCharacter(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return hasControlCharacter(value) ? at || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${at}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const path = at ? `${at}.${key}` : key;
      if (hasControlCharacter(key)) return path;
      const found = findControlCharacter(item, path);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Throws the 400 when any string in `value` has a control character. */
export function rejectControlCharacters(value: unknown): void {
  const field = findControlCharacter(value);
  if (field !== null) throw controlCharacterError(field);
}
