import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ReadVersionSource } from './read-version-source.ts';

/**
 * The read version for this request, read once when first needed (by the session check, before
 * any handler runs) and shared by the session and response caches.
 */
export async function requestReadVersion(c: Context<AppEnv>): Promise<string> {
  const known = c.get('readVersion');
  if (known !== undefined) return known;
  const version = await ReadVersionSource.of(c.get('database')).current();
  c.set('readVersion', version);
  return version;
}
