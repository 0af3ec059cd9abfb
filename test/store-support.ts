/** Shared set-up for tests that need no server: the real ATT&CK data beside the project and throw-away stores. */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Importer } from '../src/import/importer.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';

export const DATA_DIR = resolve(import.meta.dirname, '..', '..', 'shared', 'attack-data');
export const INDEX = join(DATA_DIR, 'index.json');

export function bundlePath(domain: string, version: string): string {
  return join(DATA_DIR, domain, `${domain}-${version}.json.gz`);
}

export function bundleBytes(domain: string, version: string): Buffer {
  return gunzipSync(readFileSync(bundlePath(domain, version)));
}

export interface TestStore {
  store: SqliteStore;
  dir: string;
  file: string;
  cleanup: () => Promise<void>;
}

export function createTestStore(): TestStore {
  const dir = mkdtempSync(join(tmpdir(), 'glexia-test-'));
  const file = join(dir, 'glexia.db');
  const store = new SqliteStore(file);
  return {
    store,
    dir,
    file,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function importFiles(store: SqliteStore, ...locations: string[]) {
  return new Importer(store).importSources(locations);
}

/** Imports one release of ../shared/attack-data, naming its domain and version as `--domain`/`--release` would. */
export async function importRelease(store: SqliteStore, domain: string, version: string) {
  return new Importer(store).importSources([bundlePath(domain, version)], { domain, version });
}
