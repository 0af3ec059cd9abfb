/**
 * Takes as Markdown files: YAML front matter that names the object and the version the take is
 * pinned to, then the take's Markdown. `glexia takes export` writes them and `glexia takes import`
 * reads them back, as new drafts or as edits of the object's open take, so a team can keep its
 * takes in a repository or move them between libraries.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  /** Id of the take in the library that exported it. Ids differ between libraries, so import only reports it. */
  take_id: z.number({ error: 'expected the take number, such as 12' }).int().positive().nullish(),
  /** Revision of the take when it was exported; --update replaces only a take still at this revision. */
  revision: z.number({ error: 'expected the revision number, such as 3' }).int().positive().nullish(),
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

/**
 * Names the file of each take, by take id: `T1059.001.md` for the open take on an object, and
 * `T1059.001.withdrawn-12.md` for a withdrawn one. An object has at most one open take, and take ids
 * differ between libraries, so the open take's name leaves the id out and stays the same when files
 * go from one library to another and back. An object without an ATT&CK ID, or whose ATT&CK ID the
 * object of another take in `takes` shares (T1003 is a technique and a deprecated mitigation), is
 * named by its STIX ID.
 */
export function takeFileNames(takes: readonly Pick<TakeRecord, 'id' | 'attackId' | 'stixId' | 'state'>[]): Map<number, string> {
  const objectsByAttackId = new Map<string, Set<string>>();
  for (const take of takes) {
    if (take.attackId === null) continue;
    const objects = objectsByAttackId.get(take.attackId) ?? new Set<string>();
    objects.add(take.stixId);
    objectsByAttackId.set(take.attackId, objects);
  }

  const names = new Map<number, string>();
  for (const take of takes) {
    const shared = take.attackId !== null && (objectsByAttackId.get(take.attackId)?.size ?? 0) > 1;
    const base = take.attackId === null || shared ? take.stixId : take.attackId;
    names.set(take.id, take.state === 'withdrawn' ? `${base}.withdrawn-${take.id}.md` : `${base}.md`);
  }
  return names;
}

export function renderTakeFile(take: TakeRecord, pinnedRelease: ReleaseInfo | undefined): string {
  const frontMatter = {
    attack_id: take.attackId,
    stix_id: take.stixId,
    take_id: take.id,
    revision: take.revision,
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

/**
 * Brings a body to the form parseTakeFile returns: line feeds only, without leading blank lines or
 * trailing white space. Two bodies that are equal in this form make the same file.
 */
function normalizeBody(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/^(\s*\n)+/, '')
    .trimEnd();
}

/** Returns the code of a Node file system error, such as ENOENT, or the message of any other error. */
function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/** Lists the `.md` files directly in `dir` that are regular files, in name order. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && statSync(join(dir, name), { throwIfNoEntry: false })?.isFile() === true)
    .sort();
}

/**
 * Checks that the file carries the front matter of an exported take: it parses as a take file and
 * names stix_id, pinned_content_hash and state, as every export writes them. Export checks each file
 * before deleting it. A file that cannot be read is not a take file.
 */
function isExportedTakeFile(path: string): boolean {
  try {
    const { frontMatter } = parseTakeFile(readFileSync(path, 'utf8'));
    return frontMatter.stix_id !== undefined && frontMatter.pinned_content_hash !== undefined && frontMatter.state !== undefined;
  } catch {
    return false;
  }
}

export interface ExportedFile {
  file: string;
  take: TakeRecord;
}

export interface ExportResult {
  /** The directory written to, as an absolute path. */
  dir: string;
  /** The files written, in take id order. */
  files: ExportedFile[];
  /**
   * Take files in the directory that this export did not write: takes withdrawn since an earlier
   * export, or files named by an older version of the export. Deleted when `pruned` is true.
   */
  leftovers: string[];
  pruned: boolean;
}

/**
 * Creates `dir` and any missing parents, one level at a time. Node 20's `mkdirSync(dir, { recursive: true })`
 * loops forever on a path below /proc, where creating the first missing level fails with ENOENT.
 * `target` is the directory the export asked for, named in messages about its parents.
 */
function createDirectory(dir: string, target = dir): void {
  let existing;
  try {
    existing = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    // ENOTDIR: a parent is a file, which the recursion below reaches and reports.
    if (errorCode(error) !== 'ENOTDIR') {
      throw new Error(`cannot export takes to ${target}: cannot read ${dir} (${errorCode(error)}); check the path and its permissions`, { cause: error });
    }
  }
  if (existing?.isDirectory()) return;
  if (existing) {
    const what = dir === target ? 'it exists and is not a directory' : `${dir} is a file, not a directory`;
    throw new Error(`cannot export takes to ${target}: ${what}; name a directory`);
  }
  const parent = dirname(dir);
  if (parent !== dir) createDirectory(parent, target);
  try {
    mkdirSync(dir);
  } catch (error) {
    throw new Error(`cannot create the directory ${dir} (${errorCode(error)}); check the path and its permissions`, { cause: error });
  }
}

/**
 * Writes one file per take into `dir`, creating the directory if needed, and overwrites files of
 * the same name. Withdrawn takes are written only when `all` is set. Take files already in the
 * directory that this export did not write are returned as leftovers, and deleted when `prune` is
 * set. Other files are left alone.
 */
export async function exportTakes(
  store: Store,
  takes: TakeService,
  dir: string,
  options: { all: boolean; prune?: boolean },
): Promise<ExportResult> {
  const states = options.all ? TAKE_STATES : TAKE_STATES.filter((state) => state !== 'withdrawn');
  const records = (await takes.list({ states })).sort((a, b) => a.id - b.id);
  const releases = new Map((await store.listReleases()).map((release) => [release.id, release]));
  const names = takeFileNames(records);

  // resolve() drops a trailing slash, so a file named like the directory is found by createDirectory.
  const target = resolve(dir);
  createDirectory(target);
  const files = records.map((take) => {
    const file = names.get(take.id) ?? '';
    const path = join(target, file);
    try {
      writeFileSync(path, renderTakeFile(take, releases.get(take.pinnedReleaseId)), 'utf8');
    } catch (error) {
      throw new Error(`cannot write ${path} (${errorCode(error)}); check that it is not a directory and that the directory is writable`, {
        cause: error,
      });
    }
    return { file, take };
  });

  const written = new Set(files.map(({ file }) => file));
  const leftovers = markdownFiles(target).filter((file) => !written.has(file) && isExportedTakeFile(join(target, file)));
  const prune = options.prune === true;
  if (prune) {
    for (const file of leftovers) {
      try {
        unlinkSync(join(target, file));
      } catch (error) {
        throw new Error(`cannot delete ${join(target, file)} (${errorCode(error)}); check the directory's permissions`, { cause: error });
      }
    }
  }
  return { dir: target, files, leftovers, pruned: prune };
}

/** The outcome of importing one file. Only `failed` makes the import command exit with status 1. */
export type ImportResult =
  | { file: string; outcome: 'imported'; take: TakeRecord; pinnedRelease: ReleaseInfo; notes: string[] }
  | { file: string; outcome: 'updated'; take: TakeRecord; notes: string[] }
  | { file: string; outcome: 'unchanged'; take: TakeRecord; notes: string[] }
  | { file: string; outcome: 'skipped'; reason: string }
  | { file: string; outcome: 'failed'; reason: string };

export interface ImportOptions {
  /** Whether a file whose text differs from the object's open take replaces the take's text, which returns the take to draft. */
  update?: boolean;
  /**
   * Whether `update` also replaces a take that changed since the file was exported, or that the file
   * was not exported from. Without it such a file fails, so that no newer text is lost.
   */
  force?: boolean;
}

/** Types that an ATT&CK ID can name. Relationships, identities and marking definitions carry none. */
const ADDRESSABLE_TYPES = ATTACK_TYPES.filter((type) => type !== 'relationship' && type !== 'identity' && type !== 'marking-definition');

/**
 * Finds the object a file is about, by STIX ID, else by ATT&CK ID. An ATT&CK ID that names several
 * objects resolves to the only one that is neither deprecated nor revoked, as in the takes API.
 */
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
  if (rest.length === 0) return first;
  const active = objects.filter((object) => !object.deprecated && !object.revoked);
  if (active.length === 1 && active[0]) return active[0];

  const candidates = objects
    .map((object) => `${object.type} ${object.stixId} (${object.revoked ? 'revoked' : object.deprecated ? 'deprecated' : 'active'})`)
    .join(', ');
  throw new TakeFileError(`unknown object: ATT&CK ID ${attackId} names several objects (${candidates}); add stix_id to pick one.`);
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

/**
 * Compares the file with the object's open take. The same text leaves the take unchanged. Other
 * text raises a conflict, unless `update` is set, which edits the take through TakeService.edit.
 * Notes go to `notes`.
 */
async function applyToOpenTake(
  takes: TakeService,
  origin: ActionOrigin,
  file: { name: string; frontMatter: TakeFrontMatter; body: string },
  open: TakeRecord,
  options: ImportOptions,
  notes: string[],
): Promise<ImportResult> {
  const { frontMatter, body } = file;
  const label = open.attackId ?? open.stixId;
  if (normalizeBody(open.body) === body) return { file: file.name, outcome: 'unchanged', take: open, notes };
  if (options.update !== true) {
    throw new TakeFileError(
      `text differs from the open take: ${label} already has take ${open.id} (${open.state}) with other text; ` +
        "import with --update to replace the take's text with the file's, which returns the take to draft.",
    );
  }

  const exportedFrom = frontMatter.take_id === open.id && frontMatter.revision === open.revision;
  if (!exportedFrom && options.force !== true) {
    const source =
      frontMatter.take_id === open.id
        ? `take ${open.id} changed since this file was exported (file at revision ${frontMatter.revision ?? 'unknown'}, take now at ${open.revision}, last edited by ${open.editorName})`
        : `the file was exported from ${frontMatter.take_id ? `take ${frontMatter.take_id}` : 'another take'}, not from ${label}'s take ${open.id}`;
    throw new TakeFileError(
      `${source}; export again and merge the two texts, or import with --update --force to replace the take's text with the file's.`,
    );
  }

  const hash = frontMatter.pinned_content_hash;
  if (hash !== undefined && hash !== open.pinnedContentHash) {
    notes.push(
      `The file is pinned to content hash ${hash.slice(0, 12)}, and take ${open.id} keeps its pin (${open.pinnedContentHash.slice(0, 12)}); ` +
        'a reviewer can re-pin it on its review page.',
    );
  }
  if (open.state === 'published') {
    notes.push(`Take ${open.id} was published; as a draft again, readers see the pending notice until a reviewer publishes it again.`);
  }
  const take = await takes.edit(origin, open.id, open.revision, body);
  return { file: file.name, outcome: 'updated', take, notes };
}

async function importFile(
  store: Store,
  takes: TakeService,
  origin: ActionOrigin,
  path: string,
  file: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const notes: string[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TakeFileError(`cannot read the file: ${(error as Error).message}`);
  }
  const { frontMatter, body } = parseTakeFile(text);
  // Importing a withdrawn take would bring it back, or overwrite the text of the object's newer take.
  if (frontMatter.state === 'withdrawn') return { file, outcome: 'skipped', reason: 'the take is withdrawn, and withdrawn takes are not imported.' };
  if (body === '') throw new TakeFileError('empty body: write the take in Markdown below the front matter.');

  const current = await findFileObject(store, frontMatter, notes);
  const open = await takes.open(current.stixId);
  if (open) return applyToOpenTake(takes, origin, { name: file, frontMatter, body }, open, options, notes);
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
  return { file, outcome: 'imported', take, pinnedRelease: pinned.release, notes };
}

/** Lists the take files of the directory to import, with a message that names the path when it cannot be read. */
function filesToImport(dir: string): string[] {
  try {
    return markdownFiles(dir);
  } catch (error) {
    const code = errorCode(error);
    let problem = `it cannot be read (${code})`;
    if (code === 'ENOENT') problem = 'it does not exist';
    if (code === 'ENOTDIR') problem = 'it is not a directory';
    throw new Error(`cannot import takes from ${resolve(dir)}: ${problem}; name the directory that glexia takes export wrote`, { cause: error });
  }
}

/**
 * Imports every `.md` file of `dir`, in file name order. A file about an object without an open take
 * becomes a draft. A file about an object that has one is unchanged when its text equals the take's,
 * and otherwise fails, or with `update` edits the take. Files of withdrawn takes are skipped. A file
 * that cannot be imported is reported with the reason and leaves the other files unaffected.
 */
export async function importTakes(
  store: Store,
  takes: TakeService,
  origin: ActionOrigin,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const file of filesToImport(dir)) {
    try {
      results.push(await importFile(store, takes, origin, join(dir, file), file, options));
    } catch (error) {
      if (!(error instanceof TakeFileError || error instanceof AppError)) throw error;
      results.push({ file, outcome: 'failed', reason: reasonOf(error) });
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
