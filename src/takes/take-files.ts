/**
 * Takes as Markdown files: YAML front matter that names the object and the version the take is
 * pinned to, then the take's Markdown. `glexia takes export` writes them and `glexia takes import`
 * reads them back as drafts, so a team can keep its takes in a repository or move them between
 * libraries.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { isStixId } from '../domain/ids.js';
import { ATTACK_TYPES, DOMAINS } from '../domain/object-types.js';
import { AppError } from '../errors.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../storage/store.js';
import { TAKE_STATES, type TakeRecord } from '../storage/team-store.js';
import type { ActionOrigin, TakeService } from './take-service.js';

const FENCE = '---';
const CONTENT_HASH = /^[0-9a-f]{64}$/;
const VERSION = /^\d+\.\d+$/;

/** Front matter of a take file, with the field names the files use. */
const frontMatterSchema = z.object({
  attack_id: z.string().min(1).nullish(),
  stix_id: z.string().refine(isStixId, { error: 'expected a STIX ID such as attack-pattern--<UUID>' }).optional(),
  pinned_content_hash: z.string().regex(CONTENT_HASH, { error: 'expected a SHA-256 content hash: 64 lower-case hex digits' }).optional(),
  release: z
    .object({
      domain: z.string({ error: 'expected a domain such as enterprise-attack' }),
      version: z.string({ error: 'expected the version as a quoted string, such as "18.0"' }),
    })
    .nullish(),
  state: z.enum(TAKE_STATES, { error: `expected one of ${TAKE_STATES.join(', ')}` }).optional(),
  author: z.string().min(1).optional(),
  reviewer: z.string().min(1).nullish(),
  validated_at: z.string().nullish(),
});

export type TakeFrontMatter = z.output<typeof frontMatterSchema>;

export interface TakeFile {
  frontMatter: TakeFrontMatter;
  /** The Markdown after the front matter, without the blank lines around it. */
  body: string;
}

/** A file that cannot be imported. The message starts with the kind of problem. */
export class TakeFileError extends Error {
  override name = 'TakeFileError';
}

/** `T1059.001-take-12.md`, or the STIX ID in place of the ATT&CK ID for objects without one. */
export function takeFileName(take: Pick<TakeRecord, 'id' | 'attackId' | 'stixId'>): string {
  return `${take.attackId ?? take.stixId}-take-${take.id}.md`;
}

export function renderTakeFile(take: TakeRecord, pinnedRelease: ReleaseInfo | undefined): string {
  const frontMatter = {
    attack_id: take.attackId,
    stix_id: take.stixId,
    pinned_content_hash: take.pinnedContentHash,
    release: pinnedRelease ? { domain: pinnedRelease.domain, version: pinnedRelease.version } : null,
    state: take.state,
    author: take.authorName,
    reviewer: take.reviewerName,
    validated_at: take.validatedAt,
  };
  const body = take.body.endsWith('\n') ? take.body : `${take.body}\n`;
  return `${FENCE}\n${stringifyYaml(frontMatter)}${FENCE}\n\n${body}`;
}

/** Parses a take file. Raises TakeFileError for missing or invalid front matter. */
export function parseTakeFile(text: string): TakeFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const closing = lines.indexOf(FENCE, 1);
  if (lines[0] !== FENCE || closing === -1) {
    throw new TakeFileError('missing front matter: the file must start with a line "---", then YAML fields, then a line "---", then the take.');
  }

  let data: unknown;
  try {
    data = parseYaml(lines.slice(1, closing).join('\n'));
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0];
    throw new TakeFileError(`invalid front matter: the YAML cannot be parsed (${firstLine}).`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TakeFileError('invalid front matter: expected YAML fields such as "stix_id: attack-pattern--<UUID>".');
  }
  const result = frontMatterSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new TakeFileError(`invalid front matter: ${problems}.`);
  }

  const body = lines
    .slice(closing + 1)
    .join('\n')
    .replace(/^(\s*\n)+/, '')
    .trimEnd();
  return { frontMatter: result.data, body };
}

export interface ExportedFile {
  file: string;
  take: TakeRecord;
}

/**
 * Creates `dir` and any missing parents, one level at a time. Node 20's `mkdirSync(dir, { recursive: true })`
 * loops forever on a path below /proc, where creating the first missing level fails with ENOENT.
 */
function createDirectory(dir: string): void {
  const existing = statSync(dir, { throwIfNoEntry: false });
  if (existing?.isDirectory()) return;
  if (existing) throw new Error(`cannot export takes to ${dir}: it exists and is not a directory; name a directory`);
  const parent = dirname(dir);
  if (parent !== dir) createDirectory(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    throw new Error(`cannot create the directory ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path and its permissions`, {
      cause: error,
    });
  }
}

/**
 * Writes one file per take into `dir`, creating the directory if needed. Withdrawn takes are written
 * only when `all` is set. Returns the files in take id order.
 */
export async function exportTakes(store: Store, takes: TakeService, dir: string, options: { all: boolean }): Promise<ExportedFile[]> {
  const states = options.all ? TAKE_STATES : TAKE_STATES.filter((state) => state !== 'withdrawn');
  const records = (await takes.list({ states })).sort((a, b) => a.id - b.id);
  const releases = new Map((await store.listReleases()).map((release) => [release.id, release]));

  createDirectory(dir);
  return records.map((take) => {
    const file = takeFileName(take);
    writeFileSync(join(dir, file), renderTakeFile(take, releases.get(take.pinnedReleaseId)), 'utf8');
    return { file, take };
  });
}

export type ImportResult =
  | { file: string; imported: true; take: TakeRecord; pinnedRelease: ReleaseInfo; notes: string[] }
  | { file: string; imported: false; reason: string };

/** Types that an ATT&CK ID can name. Relationships, identities and marking definitions carry none. */
const ADDRESSABLE_TYPES = ATTACK_TYPES.filter((type) => type !== 'relationship' && type !== 'identity' && type !== 'marking-definition');

/** Finds the object a file is about, by STIX ID, else by ATT&CK ID. */
async function findFileObject(store: Store, frontMatter: TakeFrontMatter, notes: string[]): Promise<ObjectSnapshot> {
  const { stix_id: stixId, attack_id: attackId } = frontMatter;
  if (stixId !== undefined) {
    const current = await store.currentSnapshot(stixId);
    if (!current) throw new TakeFileError(`unknown object: no imported release contains ${stixId}.`);
    if (attackId && current.attackId !== attackId) {
      notes.push(`attack_id ${attackId} does not match ${stixId}, whose ATT&CK ID is ${current.attackId ?? 'none'} now. The take is on the object of the STIX ID.`);
    }
    return current;
  }
  if (!attackId) throw new TakeFileError('invalid front matter: name the object with stix_id (preferred) or attack_id.');
  const objects = await store.findByAttackId(attackId.toUpperCase(), ADDRESSABLE_TYPES);
  const [first, ...rest] = objects;
  if (!first) throw new TakeFileError(`unknown object: no imported release contains an object with ATT&CK ID ${attackId}.`);
  if (rest.length > 0) {
    const candidates = objects.map((object) => `${object.type} ${object.stixId}`).join(', ');
    throw new TakeFileError(`unknown object: ATT&CK ID ${attackId} names several objects (${candidates}); add stix_id to pick one.`);
  }
  return first;
}

/**
 * Picks the object version to pin: the front matter's hash in its release, else the same hash in
 * another release, else the current version with a note.
 */
async function findPinnedVersion(store: Store, frontMatter: TakeFrontMatter, current: ObjectSnapshot, notes: string[]): Promise<ObjectSnapshot> {
  const { release, pinned_content_hash: hash } = frontMatter;
  if (release) {
    if (!(DOMAINS as readonly string[]).includes(release.domain) || !VERSION.test(release.version)) {
      throw new TakeFileError(
        `unknown release: "${release.domain} ${release.version}" is not an ATT&CK release; expected a domain among ${DOMAINS.join(', ')} and a version such as "18.0".`,
      );
    }
  }
  const releaseName = release ? `${release.domain} ${release.version}` : 'no release';
  const fallback = `so the take is pinned to the current version in ${current.release.domain} ${current.release.version}. Read what changed before submitting it.`;
  if (hash === undefined) {
    notes.push(`The file has no pinned_content_hash, ${fallback}`);
    return current;
  }

  const versions = (await store.history(current.stixId)).filter((version) => version.contentHash === hash);
  const inNamedRelease = versions.find((version) => version.release.domain === release?.domain && version.release.version === release.version);
  if (inNamedRelease) return inNamedRelease;

  // history() lists releases oldest first, so the last match is the newest release with this version.
  const newest = versions[versions.length - 1];
  if (newest) {
    const imported = release ? await store.findRelease(release.domain, release.version) : undefined;
    const reason = !release
      ? 'No release given'
      : imported
        ? `Release ${releaseName} holds another version of the object`
        : `The library does not hold release ${releaseName}`;
    notes.push(`${reason}, so the take is pinned to the same version (content hash ${hash.slice(0, 12)}) in ${newest.release.domain} ${newest.release.version}.`);
    return newest;
  }
  notes.push(`The library does not hold the version with content hash ${hash.slice(0, 12)} (from ${releaseName}), ${fallback}`);
  return current;
}

async function importFile(store: Store, takes: TakeService, origin: ActionOrigin, path: string, file: string): Promise<ImportResult> {
  const notes: string[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TakeFileError(`cannot read the file: ${(error as Error).message}`);
  }
  const { frontMatter, body } = parseTakeFile(text);
  if (body === '') throw new TakeFileError('empty body: write the take in Markdown below the front matter.');

  const current = await findFileObject(store, frontMatter, notes);
  const pinned = await findPinnedVersion(store, frontMatter, current, notes);

  let authorId = origin.principal.userId;
  if (frontMatter.author !== undefined && frontMatter.author !== origin.principal.name) {
    const author = await store.team.userByName(frontMatter.author);
    if (author && !author.disabled) {
      authorId = author.id;
    } else {
      notes.push(`Author ${frontMatter.author} is not an active user of this library, so the take is written in the name of ${origin.principal.name}.`);
    }
  }
  if (frontMatter.state !== undefined && frontMatter.state !== 'draft') {
    notes.push(`The take was ${frontMatter.state} and is imported as a draft, which a reviewer must validate again.`);
  }

  const take = await takes.importDraft(origin, { stixId: current.stixId, body, authorId, pinnedReleaseId: pinned.release.id, source: file });
  return { file, imported: true, take, pinnedRelease: pinned.release, notes };
}

/**
 * Imports every `.md` file of `dir` as a draft, in file name order. A file that cannot be imported
 * is reported with the reason and leaves the other files unaffected.
 */
export async function importTakes(store: Store, takes: TakeService, origin: ActionOrigin, dir: string): Promise<ImportResult[]> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.md') && statSync(join(dir, name)).isFile())
    .sort();
  const results: ImportResult[] = [];
  for (const file of files) {
    try {
      results.push(await importFile(store, takes, origin, join(dir, file), file));
    } catch (error) {
      if (!(error instanceof TakeFileError || error instanceof AppError)) throw error;
      results.push({ file, imported: false, reason: reasonOf(error) });
    }
  }
  return results;
}

/** Prefixes an error of TakeService with the kind of problem, as TakeFileError messages begin with it. */
function reasonOf(error: TakeFileError | AppError): string {
  if (error instanceof TakeFileError) return error.message;
  if (error.status === 409) return `object already has an open take: ${error.message}`;
  if (error.status === 404) return `unknown object: ${error.message}`;
  if (error.status === 403) return `not allowed: ${error.message}`;
  return `rejected: ${error.message}`;
}
