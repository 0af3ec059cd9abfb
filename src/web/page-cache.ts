/**
 * A cache of the HTML pages anonymous readers see. Imported releases never
 * change, so such a page depends only on its URL, on which releases the
 * library contains and on the published takes. The cache empties itself when a
 * release is added or a take changes. Entries are evicted least recently used
 * first, within a count and a byte budget.
 */
export interface CachedPage {
  /** Encoded once, so that a hit sends bytes without encoding the page again. */
  body: Buffer;
  /** The body gzip-compressed once, for clients that accept gzip; about a seventh of an object page's size. */
  gzip: Buffer;
  contentType: string;
}

const MAX_ENTRIES = 2000;
/** Rendered pages average about 30 KB; T1059.001's is about 370 KB. */
const MAX_BYTES = 64 * 1024 * 1024;

function sizeOf(page: CachedPage): number {
  return page.body.length + page.gzip.length;
}

/** Returns whether an Accept-Encoding header accepts gzip: listed, or covered by `*`, and not with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let accepted = false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    if (coding !== 'gzip' && coding !== '*') continue;
    const refused = parameters.some((parameter) => /^q=0(\.0{0,3})?$/.test(parameter));
    // An explicit gzip entry decides; `*` applies only when gzip is not listed.
    if (coding === 'gzip') return !refused;
    accepted = !refused;
  }
  return accepted;
}

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
    if (sizeOf(page) > MAX_BYTES / 8) return;
    const previous = this.entries.get(key);
    if (previous) this.bytes -= sizeOf(previous);
    this.entries.set(key, page);
    this.bytes += sizeOf(page);
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(entry);
    }
  }
}
