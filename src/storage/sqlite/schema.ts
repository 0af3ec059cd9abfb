/**
 * SQLite schema. Object versions are keyed by content hash, so releases that
 * share an unchanged object share its row. Raw bytes are keyed by their own
 * SHA-256, because the same content can be serialised differently (STIX 2.0
 * and 2.1 bundles) and each release must return its own bytes.
 */
export const SCHEMA_VERSION = 4;

/** The version that added the team tables; a version 3 database gains them in place. */
export const TEAM_SCHEMA_VERSION = 4;

/**
 * The objects of each release, as integers only. An object's STIX ID is reached through its version
 * (object_versions.stix_id). This keeps the table and its index, which have a row per object and
 * release, at about a quarter of the size they had with the STIX ID in each row. A release contains
 * one version of each object, because the bundle reader rejects two different objects with one id.
 */
const RELEASE_OBJECTS_SQL = `CREATE TABLE release_objects (
  release_id INTEGER NOT NULL REFERENCES releases (id),
  version_id INTEGER NOT NULL REFERENCES object_versions (id),
  raw_id INTEGER NOT NULL REFERENCES raw_objects (id),
  in_domain INTEGER NOT NULL,
  warning_set_id INTEGER REFERENCES warning_sets (id),
  PRIMARY KEY (release_id, version_id)
) WITHOUT ROWID;
CREATE INDEX release_objects_version_id ON release_objects (version_id, release_id);`;

export const SCHEMA_SQL = `
CREATE TABLE releases (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL,
  version TEXT NOT NULL,
  version_major INTEGER NOT NULL,
  version_minor INTEGER NOT NULL,
  bundle_sha256 TEXT NOT NULL UNIQUE,
  spec_version TEXT,
  source TEXT NOT NULL,
  bundle_bytes INTEGER NOT NULL,
  object_count INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (domain, version)
);

CREATE TABLE object_versions (
  id INTEGER PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  stix_id TEXT NOT NULL,
  type TEXT NOT NULL,
  attack_id TEXT,
  name TEXT,
  created TEXT,
  modified TEXT,
  version TEXT,
  deprecated INTEGER NOT NULL,
  revoked INTEGER NOT NULL,
  is_subtechnique INTEGER NOT NULL,
  domains TEXT NOT NULL,
  relationship_type TEXT,
  source_ref TEXT,
  target_ref TEXT
);
CREATE INDEX object_versions_stix_id ON object_versions (stix_id);
CREATE INDEX object_versions_attack_id ON object_versions (attack_id) WHERE attack_id IS NOT NULL;
CREATE INDEX object_versions_source_ref ON object_versions (source_ref) WHERE source_ref IS NOT NULL;
CREATE INDEX object_versions_target_ref ON object_versions (target_ref) WHERE target_ref IS NOT NULL;

-- Raw bytes of new objects are concatenated in import order and stored in packs of about 64 KiB,
-- each compressed with raw deflate (RFC 1951). Deflating packs is about 3 times faster than
-- deflating each object alone and compresses about twice as well (measured on Enterprise 18.1).
CREATE TABLE raw_packs (
  id INTEGER PRIMARY KEY,
  bytes BLOB NOT NULL
);

CREATE TABLE raw_objects (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  version_id INTEGER NOT NULL REFERENCES object_versions (id),
  pack_id INTEGER NOT NULL REFERENCES raw_packs (id),
  pack_offset INTEGER NOT NULL,
  length INTEGER NOT NULL
);

-- Most objects of a release carry the same warnings (every STIX 2.0 object lacks spec_version),
-- so each distinct list is stored once.
CREATE TABLE warning_sets (
  id INTEGER PRIMARY KEY,
  warnings TEXT NOT NULL UNIQUE
);

${RELEASE_OBJECTS_SQL}

CREATE TABLE embedded_refs (
  version_id INTEGER NOT NULL REFERENCES object_versions (id),
  field TEXT NOT NULL,
  target_ref TEXT NOT NULL
);
CREATE INDEX embedded_refs_target ON embedded_refs (target_ref);

CREATE TABLE kill_chain_phases (
  version_id INTEGER NOT NULL REFERENCES object_versions (id),
  kill_chain_name TEXT NOT NULL,
  phase_name TEXT NOT NULL
);
CREATE INDEX kill_chain_phases_phase ON kill_chain_phases (phase_name);

-- Full-text index of the non-relationship object versions, one row per object_versions row
-- (rowid = object_versions.id), written in the release's transaction so that search never sees
-- half a release. unicode61 folds case and, with remove_diacritics 2, strips accents.
-- aliases holds aliases and x_mitre_aliases, one per line.
CREATE VIRTUAL TABLE search_index USING fts5(
  attack_id, name, aliases, stix_id, description,
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/**
 * The team's tables: accounts, sessions, API tokens, takes and the audit log.
 * Secrets are stored only as hashes. The audit log is append-only: triggers
 * reject every UPDATE and DELETE, and its rows name actors by id and name
 * without foreign keys, so an entry outlives any change to the user.
 */
export const TEAM_SCHEMA_SQL = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('analyst', 'reviewer', 'admin')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('analyst', 'reviewer', 'admin')),
  label TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users (id),
  last_used_at TEXT,
  revoked_at TEXT,
  -- NULL: the token never expires.
  expires_at TEXT
);

-- change_seq is a library-wide counter set on every insert and update, so MAX(change_seq)
-- tells page caches that some take changed.
CREATE TABLE takes (
  id INTEGER PRIMARY KEY,
  stix_id TEXT NOT NULL,
  attack_id TEXT,
  body TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'published', 'stale', 'withdrawn')),
  author_id INTEGER NOT NULL REFERENCES users (id),
  -- The user who last changed body; a reviewer cannot publish text they wrote.
  editor_id INTEGER NOT NULL REFERENCES users (id),
  pinned_content_hash TEXT NOT NULL,
  pinned_release_id INTEGER NOT NULL REFERENCES releases (id),
  reviewer_id INTEGER REFERENCES users (id),
  validated_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  revision INTEGER NOT NULL,
  change_seq INTEGER NOT NULL
);
-- One take per object, apart from withdrawn ones.
CREATE UNIQUE INDEX takes_open_per_object ON takes (stix_id) WHERE state <> 'withdrawn';
CREATE INDEX takes_stix_id ON takes (stix_id);
CREATE INDEX takes_state ON takes (state);
CREATE INDEX takes_change_seq ON takes (change_seq);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor_id INTEGER,
  actor_name TEXT NOT NULL,
  channel TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  before_state TEXT,
  after_state TEXT,
  address TEXT
);
CREATE INDEX audit_log_actor ON audit_log (actor_name);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/**
 * Upgrades a version 3 database: release_objects loses its stix_id column and the index on it,
 * object_versions gains an index on stix_id, and the team tables are added.
 */
export const UPGRADE_FROM_3_SQL = `
CREATE TABLE release_objects_v3 AS SELECT release_id, version_id, raw_id, in_domain, warning_set_id FROM release_objects;
DROP TABLE release_objects;
${RELEASE_OBJECTS_SQL}
INSERT INTO release_objects SELECT * FROM release_objects_v3;
DROP TABLE release_objects_v3;
CREATE INDEX object_versions_stix_id ON object_versions (stix_id);
${TEAM_SCHEMA_SQL}`;
