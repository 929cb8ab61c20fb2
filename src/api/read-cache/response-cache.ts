/** A response body kept in memory, with what is needed to send it again. */
export interface CachedResponse {
  body: string;
  contentType: string;
  etag: string;
}

/**
 * Least-recently-used responses within a byte budget. A Map keeps insertion order, so the first
 * key is the least recently used once every hit is re-inserted at the end.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    const size = sizeOf(key, entry);
    if (size > this.maxBytes / 4) return; // one response never crowds out the rest
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += size;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(oldest, old);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, entry);
  }
}

/** UTF-16 in memory: two bytes a character, near enough for a budget. */
const sizeOf = (key: string, entry: CachedResponse) =>
  2 * (key.length + entry.body.length + entry.contentType.length + entry.etag.length);
