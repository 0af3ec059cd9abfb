/**
 * A cache of the HTML pages anonymous readers see. Imported releases never
 * change, so such a page depends only on its URL, on which releases the
 * library holds and on the published takes; the cache empties itself when a
 * release is added or a take changes. Entries are evicted least recently used
 * first, within a count and a byte budget.
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
  private contentVersion: string | undefined;

  /**
   * Empties the cache when the library's content changed since the last call. The version names
   * the newest release and the newest change to a take, such as "42/7".
   */
  sync(contentVersion: string): void {
    if (contentVersion === this.contentVersion) return;
    this.entries.clear();
    this.bytes = 0;
    this.contentVersion = contentVersion;
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
