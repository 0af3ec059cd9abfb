/**
 * Reads an import source, a local path or an http(s) URL, and returns its
 * uncompressed bytes. Gzip is recognised by its magic number, not the file
 * name, so `bundle.json.gz` and a gzipped download without the suffix both work.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { ImportError } from '../errors.js';

const gunzipAsync = promisify(gunzip);
const DOWNLOAD_TIMEOUT_MS = 120_000;
const GUNZIP_CHUNK_BYTES = 4 * 1024 * 1024;

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Resolves `relative` against the location of the file that named it, as URLs resolve. */
export function resolveLocation(base: string, relative: string): string {
  if (isUrl(relative) || isAbsolute(relative)) return relative;
  if (isUrl(base)) return new URL(relative, base).toString();
  return resolve(base, '..', relative);
}

/** Returns the absolute path or the URL, as stored in a release's `source`. */
export function absoluteLocation(location: string): string {
  return isUrl(location) ? location : resolve(location);
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    // fetch reports network failures as "fetch failed" with the real reason in `cause`.
    let reason = String(error);
    if (error instanceof Error) reason = error.cause instanceof Error ? error.cause.message : error.message;
    throw new ImportError(url, `download failed (${reason}); check the URL and the network, or use a local copy`, { cause: error });
  }
  if (!response.ok) {
    throw new ImportError(url, `download failed with HTTP ${response.status} ${response.statusText}; check the URL`);
  }
  return Buffer.from(await response.arrayBuffer());
}

async function readLocal(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    let reason = String(error);
    if (code === 'ENOENT') reason = 'file not found';
    if (code === 'EISDIR') reason = 'is a directory, not a file';
    throw new ImportError(path, `${reason}; give the path of a bundle (.json or .json.gz) or a collection index`, { cause: error });
  }
}

export async function readSource(location: string): Promise<Buffer> {
  const bytes = isUrl(location) ? await download(location) : await readLocal(location);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    // Large chunks: with the default 16 KiB, a 45 MB bundle makes thousands of thread-pool round trips.
    return await gunzipAsync(bytes, { chunkSize: GUNZIP_CHUNK_BYTES });
  } catch (error) {
    throw new ImportError(location, `is not a complete gzip file (${(error as Error).message}); download it again`, {
      cause: error,
    });
  }
}
