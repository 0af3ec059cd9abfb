/**
 * The storage interface. Everything outside `src/storage/` talks to the
 * database only through `Store`, so a second backend (PostgreSQL) can be added
 * beside `sqlite/` without touching the importer or the web layer. Methods are
 * asynchronous because network databases are.
 */
import type { ObjectWarning } from '../validation/types.js';
import type { TeamStore } from './team-store.js';

export interface ReleaseInfo {
  id: number;
  domain: string;
  version: string;
  bundleSha256: string;
  /** `spec_version` of the bundle: "2.0" for STIX 2.0, null for STIX 2.1 bundles, which carry it per object. */
  specVersion: string | null;
  /** Path or URL the bundle was read from. */
  source: string;
  bundleBytes: number;
  objectCount: number;
  /** When this library imported the bundle, as an ISO 8601 timestamp. */
  importedAt: string;
}

/** The indexed facts of one object version, taken from its source JSON. */
export interface ObjectMeta {
  stixId: string;
  type: string;
  attackId: string | null;
  name: string | null;
  created: string | null;
  modified: string | null;
  /** `x_mitre_version`, such as "1.10". */
  version: string | null;
  deprecated: boolean;
  revoked: boolean;
  isSubtechnique: boolean;
  domains: string[];
  /** SHA-256 of the object's canonical JSON without `spec_version`. */
  contentHash: string;
}

export interface RelationshipFields {
  relationshipType: string;
  sourceRef: string;
  targetRef: string;
}

/** An object as it stood in one release. */
export interface ObjectSnapshot extends ObjectMeta {
  release: ReleaseInfo;
  /** SHA-256 of `raw`. */
  rawHash: string;
  /** The object's exact bytes in the release's bundle. */
  raw: Buffer;
  warnings: ObjectWarning[];
  /** Whether the release's domain is one of the object's `x_mitre_domains`. */
  inDomain: boolean;
  relationship: RelationshipFields | null;
}

/** One object of a bundle, ready to store. */
export interface NewObject extends ObjectMeta {
  raw: Uint8Array;
  rawHash: string;
  warnings: ObjectWarning[];
  inDomain: boolean;
  relationship: RelationshipFields | null;
  /** STIX IDs the object names in `*_ref`/`*_refs` fields, except authorship and marking refs. */
  embeddedRefs: { field: string; targetRef: string }[];
  /** `kill_chain_phases` entries. */
  killChainPhases: { killChainName: string; phaseName: string }[];
}

export interface NewRelease {
  domain: string;
  version: string;
  bundleSha256: string;
  specVersion: string | null;
  source: string;
  bundleBytes: number;
  objects: NewObject[];
}

export interface StoredRelease {
  release: ReleaseInfo;
  /** Object versions this release added to the library. */
  newVersions: number;
  /** Object versions the library already held from an earlier release. */
  existingVersions: number;
  /** Ids of the published takes that the release turned stale, because it changed their object's current version. */
  staleTakeIds: number[];
}

/** Whether an object is active, deprecated (`x_mitre_deprecated`) or revoked (`revoked`, which wins over deprecated). */
export type ObjectStatus = 'active' | 'deprecated' | 'revoked';

/** Conditions a search result must meet, all of them. */
export interface SearchFilters {
  /** A domain among the current snapshot's `x_mitre_domains`. */
  domain?: string;
  /** STIX types; any type except relationships when absent. */
  types?: readonly string[];
  /** Statuses the current snapshot may have. */
  statuses: readonly ObjectStatus[];
  /** Only objects that this release contains; the text must match their version in it. */
  releaseId?: number;
}

/** A full-text query: every word must occur in the object's indexed text, in any order. */
export interface SearchTerms {
  /** Words as the user typed them; each backend tokenizes and quotes them itself. */
  words: readonly string[];
  /** Whether the last word also matches the words it begins (search as you type). */
  prefixLast: boolean;
}

/** An object found by a search, in its current snapshot. */
export interface SearchHit {
  object: ObjectSnapshot;
  /** `aliases` and `x_mitre_aliases` of the current snapshot. */
  aliases: string[];
  /** Full-text relevance, higher is better; 0 for objects found by an identifier. */
  score: number;
}

export interface Store {
  /** Accounts, sessions, tokens, takes and the audit log, in the same database. */
  readonly team: TeamStore;

  /**
   * Writes a release and all its objects in one transaction: all or nothing. In the same
   * transaction, each published take whose object's current content hash the release changes
   * becomes stale, with an audit entry.
   */
  importRelease(release: NewRelease): Promise<StoredRelease>;

  findReleaseByBundle(bundleSha256: string): Promise<ReleaseInfo | undefined>;
  /** A number that changes whenever a release is imported (the newest release id), for caches; 0 when empty. */
  libraryVersion(): Promise<number>;
  /**
   * A string that changes whenever a release is imported or a take changes, for page caches:
   * the library version and the takes revision, such as "42/7". One query, because it runs per request.
   */
  contentVersion(): Promise<string>;
  /**
   * Content hashes by raw hash for the objects of the domain's newest imported release. The
   * content hash is a function of the raw bytes, so an import can reuse it for unchanged objects.
   */
  contentHashesByRaw(domain: string): Promise<Map<string, string>>;
  findRelease(domain: string, version: string): Promise<ReleaseInfo | undefined>;
  /** Releases ordered by domain, then by version, oldest first. */
  listReleases(): Promise<ReleaseInfo[]>;
  countObjectsByType(releaseId: number): Promise<Record<string, number>>;

  /** The object in the newest release holding it, preferring a release of one of its own domains. */
  currentSnapshot(stixId: string): Promise<ObjectSnapshot | undefined>;
  snapshot(stixId: string, releaseId: number): Promise<ObjectSnapshot | undefined>;
  /** Current snapshots of every object with this ATT&CK ID among the given types. */
  findByAttackId(attackId: string, types: readonly string[]): Promise<ObjectSnapshot[]>;
  /** Snapshots in one release of objects with this ATT&CK ID among the given types. */
  findByAttackIdInRelease(releaseId: number, attackId: string, types: readonly string[]): Promise<ObjectSnapshot[]>;
  /** The object in every release that holds it, oldest release first. */
  history(stixId: string): Promise<ObjectSnapshot[]>;

  /** Relationships of a release whose source or target is the object. */
  relationshipsOf(stixId: string, releaseId: number): Promise<ObjectSnapshot[]>;
  /** The given objects as they stand in a release; IDs the release lacks are left out. */
  objectsIn(releaseId: number, stixIds: readonly string[]): Promise<Map<string, ObjectSnapshot>>;
  /** Current snapshots of objects in any release, for references a release cannot resolve. */
  currentSnapshots(stixIds: readonly string[]): Promise<Map<string, ObjectSnapshot>>;
  /** Objects of a release that name `stixId` in an embedded reference field. */
  referrers(stixId: string, releaseId: number, field?: string): Promise<ObjectSnapshot[]>;
  /** Objects of a release, of the given types, with a kill-chain phase of this name. */
  objectsInPhase(releaseId: number, phaseName: string, types: readonly string[]): Promise<ObjectSnapshot[]>;
  objectsOfType(releaseId: number, types: readonly string[]): Promise<ObjectSnapshot[]>;

  /** Current snapshots of objects (not relationships) whose ATT&CK ID equals `text` or whose name contains it, case-insensitively. */
  searchObjects(text: string, limit: number): Promise<ObjectSnapshot[]>;

  /** Objects whose indexed attack ID, name, aliases, STIX ID or description contain the terms, unordered. */
  searchText(terms: SearchTerms, filters: SearchFilters): Promise<SearchHit[]>;
  /** Objects with this ATT&CK ID (case-insensitive) or STIX ID in any release. */
  searchIdentifier(identifier: { attackId?: string; stixId?: string }, filters: SearchFilters): Promise<SearchHit[]>;
  /**
   * Description excerpts of the current snapshots, with the words of `terms` between U+E000 and
   * U+E001 where the current version contains them.
   */
  searchSnippets(stixIds: readonly string[], terms: SearchTerms): Promise<Map<string, string>>;
  /** Names and aliases of the current snapshots of all objects except relationships, without repeats. */
  searchVocabulary(): Promise<string[]>;

  close(): Promise<void>;
}
