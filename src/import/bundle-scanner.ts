/**
 * Finds where each element of a bundle's top-level `objects` array starts and
 * ends in the bundle's bytes, so the library can keep every object's exact
 * source text. JSON.parse cannot report positions, and a general streaming
 * parser is several times slower than this single pass over bytes that
 * JSON.parse has already proven to be valid JSON.
 */
export interface ByteRange {
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  skipWhitespace(): void {
    while (isWhitespace(this.bytes[this.pos])) this.pos++;
  }

  expect(byte: number): void {
    this.skipWhitespace();
    if (this.bytes[this.pos] !== byte) {
      throw new Error(`expected "${String.fromCharCode(byte)}" at byte ${this.pos}`);
    }
    this.pos++;
  }

  /** Moves past a string whose opening quote is at the cursor; returns its raw text without quotes. */
  skipString(): [number, number] {
    const start = this.pos + 1;
    let quote = start - 1;
    // Native indexOf jumps over long descriptions; a quote preceded by an odd run of backslashes is escaped.
    for (;;) {
      quote = this.bytes.indexOf(QUOTE, quote + 1);
      if (quote < 0) throw new Error('unterminated string');
      let backslashes = 0;
      while (this.bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    this.pos = quote + 1;
    return [start, quote];
  }

  /** Moves past one JSON value of any kind. */
  skipValue(): void {
    this.skipWhitespace();
    const first = this.bytes[this.pos];
    if (first === QUOTE) {
      this.skipString();
      return;
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      while (this.pos < this.bytes.length) {
        const byte = this.bytes[this.pos];
        if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) break;
        this.pos++;
      }
      return;
    }
    let depth = 0;
    while (this.pos < this.bytes.length) {
      const byte = this.bytes[this.pos];
      if (byte === QUOTE) {
        this.skipString();
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
      this.pos++;
      if (depth === 0) return;
    }
    throw new Error('unterminated object or array');
  }
}

function keyText(bytes: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
}

function scanArray(cursor: Cursor): ByteRange[] {
  const ranges: ByteRange[] = [];
  cursor.expect(OPEN_BRACKET);
  cursor.skipWhitespace();
  if (cursor.bytes[cursor.pos] === CLOSE_BRACKET) {
    cursor.pos++;
    return ranges;
  }
  for (;;) {
    cursor.skipWhitespace();
    const start = cursor.pos;
    cursor.skipValue();
    ranges.push({ start, end: cursor.pos });
    cursor.skipWhitespace();
    const separator = cursor.bytes[cursor.pos++];
    if (separator === CLOSE_BRACKET) return ranges;
    if (separator !== COMMA) throw new Error(`expected "," or "]" at byte ${cursor.pos - 1}`);
  }
}

/**
 * Returns the byte range of every element of the top-level `objects` array.
 * The input must already be known to be valid JSON. When the key occurs twice,
 * the last occurrence wins, as it does for JSON.parse.
 */
export function scanBundleObjects(bytes: Uint8Array): ByteRange[] | undefined {
  const bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const cursor = new Cursor(bytes, bomLength);
  let found: ByteRange[] | undefined;

  cursor.expect(OPEN_BRACE);
  cursor.skipWhitespace();
  if (bytes[cursor.pos] === CLOSE_BRACE) return undefined;
  for (;;) {
    cursor.skipWhitespace();
    const [keyStart, keyEnd] = cursor.skipString();
    cursor.expect(COLON);
    cursor.skipWhitespace();
    if (keyText(bytes, keyStart, keyEnd) === 'objects' && bytes[cursor.pos] === OPEN_BRACKET) {
      found = scanArray(cursor);
    } else {
      cursor.skipValue();
    }
    cursor.skipWhitespace();
    const separator = bytes[cursor.pos++];
    if (separator === CLOSE_BRACE) return found;
    if (separator !== COMMA) throw new Error(`expected "," or "}" at byte ${cursor.pos - 1}`);
  }
}
