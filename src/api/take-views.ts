/** JSON shapes of takes, publication checks and audit entries in API responses. */
import { stixIdType } from '../domain/ids.js';
import type { ReleaseInfo } from '../storage/store.js';
import type { AuditRecord, TakeRecord } from '../storage/team-store.js';
import type { PublishCheck } from '../takes/publish-check.js';
import { objectPath, releaseKey } from '../web/links.js';
import { CitationRegistry } from '../web/render/citations.js';
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
 * Shapes a take as the API returns it. `releases` maps release ids to releases, for the pinned
 * version. The body is left out when `showBody` is false. The Markdown is also rendered to sanitised
 * HTML, with `(Citation: ...)` markers left as text because a take has no reference list.
 */
export function takeView(take: TakeRecord, releases: ReadonlyMap<number, ReleaseInfo>, showBody: boolean) {
  const type = stixIdType(take.stixId) ?? '';
  const body = showBody ? { body: take.body, bodyHtml: renderDescription(take.body, [], new CitationRegistry()).value } : {};
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

export function auditView(entry: AuditRecord) {
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
