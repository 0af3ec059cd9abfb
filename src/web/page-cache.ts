/**
 * A cache of rendered HTML pages. Imported releases never change, so a page
 * depends only on its URL and on which releases the library holds; the cache
 * empties itself when a release is added. Entries are evicted least recently
 * used first, within a count and a byte budget.
 */
export interface CachedPage {
  /** Encoded once, so that a hit sends bytes without encoding the page again. */
  body: Buffer;
  contentType: string;
}

const MAX_ENTRIES = 2000;
/** Rendered pages average about 30 KB; T1059.001's is about 370 KB. */
const MAX_BYTES = 64 * 1024 * 1024;

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;
  private libraryVersion: number | undefined;

  /** Empties the cache when the library's version (its newest release id) changed since the last call. */
  sync(libraryVersion: number): void {
    if (libraryVersion === this.libraryVersion) return;
    this.entries.clear();
    this.bytes = 0;
    this.libraryVersion = libraryVersion;
  }

  get(key: string): CachedPage | undefined {
    const page = this.entries.get(key);
    if (page) {
      this.entries.delete(key);
      this.entries.set(key, page);
    }
    return page;
  }

  set(key: string, page: CachedPage): void {
    if (page.body.length > MAX_BYTES / 8) return;
    const previous = this.entries.get(key);
    if (previous) this.bytes -= previous.body.length;
    this.entries.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
  }
}
