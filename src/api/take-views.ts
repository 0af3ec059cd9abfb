/** JSON shapes of takes, publication checks and audit entries in API responses. */
import { stixIdType } from '../domain/ids.js';
import { externalReferences } from '../domain/stix-object.js';
import type { ReleaseInfo, Store } from '../storage/store.js';
import type { AuditRecord, TakeRecord } from '../storage/team-store.js';
import type { PublishCheck } from '../takes/publish-check.js';
import { objectPath, releaseKey } from '../web/links.js';
import { parseSnapshot } from '../web/pages/page-context.js';
import { CitationRegistry, scanCitations, type ExternalReference } from '../web/render/citations.js';
import { renderDescription } from '../web/render/markdown.js';
import { API_PREFIX, apiObjectPath } from './views.js';

export function apiTakePath(id: number): string {
  return `${API_PREFIX}/takes/${id}`;
}

/** An object version named by release and content hash; `release` is null when the library no longer contains it. */
function versionView(release: ReleaseInfo | undefined, contentHash: string | undefined) {
  return {
    release: release ? releaseKey(release) : null,
    domain: release?.domain ?? null,
    version: release?.version ?? null,
    contentHash: contentHash ?? null,
  };
}

/**
 * Returns the `external_references` of the object version a take is pinned to, which its
 * `(Citation: Name)` markers cite. Returns an empty list when the library no longer contains that version.
 */
export async function pinnedReferences(store: Store, take: TakeRecord): Promise<ExternalReference[]> {
  const pinned = await store.snapshot(take.stixId, take.pinnedReleaseId);
  return pinned ? externalReferences(parseSnapshot(pinned)) : [];
}

/** A reference that a take cites, numbered in the order of first citation as `bodyHtml` shows it. */
export interface TakeReferenceView {
  number: number;
  sourceName: string;
  url: string | null;
  description: string | null;
}

/**
 * Renders take Markdown to sanitised HTML, each `(Citation: Name)` that names one of `references`
 * becoming a link `[N]` to `#ref-N`. Also returns the cited references in number order, and the
 * cited names that match no reference (those stay as text). The names come from a scan of the raw
 * text, so a citation inside a code span that matches no reference is listed too.
 */
function renderTakeBody(body: string, references: readonly ExternalReference[]) {
  const registry = new CitationRegistry();
  const bodyHtml = renderDescription(body, references, registry).value;
  const cited: TakeReferenceView[] = registry.entries().map((entry) => ({
    number: entry.number,
    sourceName: entry.sourceName,
    url: entry.url ?? null,
    description: entry.description ?? null,
  }));
  const unknown = scanCitations(body)
    .map((span) => span.sourceName)
    .filter((name) => new CitationRegistry().cite(name, references) === undefined);
  return { bodyHtml, references: cited, unknownCitations: [...new Set(unknown)] };
}

/** Returns the fields of a take view that carry its text, as takeView describes them. */
function bodyFields(body: string, showBody: boolean, references: readonly ExternalReference[] | undefined) {
  if (!showBody) return {};
  if (references === undefined) return { body, bodyHtml: renderDescription(body, [], new CitationRegistry()).value };
  return { body, ...renderTakeBody(body, references) };
}

/**
 * Shapes a take as the API returns it. `releases` maps release ids to releases, for the pinned
 * version. The body is left out when `showBody` is false; otherwise the Markdown is also rendered
 * to sanitised HTML. With `references`, the external references of the pinned object version (see
 * pinnedReferences), citations become numbered links and the view lists the cited references and
 * the unknown citation names. Without it, citations stay as text and both lists are left out.
 */
export function takeView(
  take: TakeRecord,
  releases: ReadonlyMap<number, ReleaseInfo>,
  showBody: boolean,
  references?: readonly ExternalReference[],
) {
  const type = stixIdType(take.stixId) ?? '';
  const body = bodyFields(take.body, showBody, references);
  return {
    id: take.id,
    object: {
      stixId: take.stixId,
      attackId: take.attackId,
      type,
      links: { self: apiObjectPath(take.stixId), page: objectPath({ stixId: take.stixId, type, attackId: take.attackId }) },
    },
    state: take.state,
    ...body,
    author: take.authorName,
    editor: take.editorName,
    reviewer: take.reviewerName,
    validatedAt: take.validatedAt,
    pinned: versionView(releases.get(take.pinnedReleaseId), take.pinnedContentHash),
    revision: take.revision,
    createdAt: take.createdAt,
    updatedAt: take.updatedAt,
    links: { self: apiTakePath(take.id) },
  };
}

/** Shapes the publication check: whether the take can be published and why not, with the pinned and current versions. */
export function publishCheckView(check: PublishCheck) {
  return {
    publishable: check.publishable,
    reasons: check.reasons,
    schemaErrors: check.schemaErrors,
    pinned: versionView(check.pinnedRelease, check.pinnedContentHash),
    current: check.currentContentHash === undefined ? null : versionView(check.currentRelease, check.currentContentHash),
    // Field by field, from the pinned version to the current one. It is null when they are the same version.
    comparison: check.comparison ?? null,
  };
}

/** An audit log entry as the API returns it; `actor` is the user name at the time of the action, or "system" for imports. */
export interface AuditEntryView {
  id: number;
  at: string;
  actor: string;
  actorId: number | null;
  channel: AuditRecord['channel'];
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
  address: string | null;
}

/** Shapes one audit log entry as `GET /api/v1/audit` returns it, in JSON and in JSON lines alike. */
export function auditView(entry: AuditRecord): AuditEntryView {
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actorName,
    actorId: entry.actorId,
    channel: entry.channel,
    action: entry.action,
    subject: entry.subject,
    before: entry.before,
    after: entry.after,
    address: entry.address,
  };
}
