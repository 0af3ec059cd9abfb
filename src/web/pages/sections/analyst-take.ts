/**
 * The team's analyst take. Readers see its text only when a reviewer published
 * it for the object version the page shows. Otherwise they see a pending notice
 * that points to MITRE's definition. Signed-in users also see the take's state
 * and links to write, edit or review it. What readers see depends only on the
 * stored take and the page's object, because the page cache keys anonymous
 * pages by URL alone.
 */
import { mayPerform } from '../../../accounts/permissions.js';
import { externalReferences } from '../../../domain/stix-object.js';
import type { ReleaseInfo } from '../../../storage/store.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import { pinnedPath } from '../../links.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { section } from '../components.js';
import type { PageContext, PageViewer } from '../page-context.js';
import { newTakePath, reviewPath, takePath } from '../takes/take-links.js';
import { editorActions } from '../takes/take-permissions.js';
import { takeStateLabel } from '../takes/take-state.js';
import { shortHash } from './change-history.js';

const DEFINITION_LINK = html`<a href="#definition">MITRE's official definition</a>`;

function releaseOf(context: PageContext, releaseId: number): ReleaseInfo | undefined {
  return context.releases.find((release) => release.id === releaseId);
}

function releaseLabel(release: ReleaseInfo | undefined): string {
  return release ? `${release.domain} ${release.version}` : 'a release no longer in the library';
}

/** Whether readers may see the take's text on this page: published, and validated against the version shown. */
function isShownToReaders(context: PageContext, take: TakeRecord | undefined): take is TakeRecord {
  return take !== undefined && take.state === 'published' && take.pinnedContentHash === context.object.contentHash;
}

function provenance(context: PageContext, take: TakeRecord): SafeHtml {
  const release = releaseOf(context, take.pinnedReleaseId);
  const hash = shortHash(take.pinnedContentHash);
  const version = release ? html`<a href="${pinnedPath(context.object, release)}">${releaseLabel(release)}, content hash ${hash}</a>` : html`${releaseLabel(release)}, content hash ${hash}`;
  // 2026-12-04T23:02:59.031Z reads as 2026-12-04 23:02 UTC.
  const validated = take.validatedAt
    ? html` on <time datetime="${take.validatedAt}">${take.validatedAt.slice(0, 16).replace('T', ' ')} UTC</time>`
    : '';
  const edited = take.editorId === take.authorId ? '' : html`, last edited by <strong>${take.editorName}</strong>`;
  return html`<p class="take-provenance">Written by <strong>${take.authorName}</strong>${edited}.
    Validated by <strong>${take.reviewerName ?? 'an unknown reviewer'}</strong>${validated}
    against ${version}.</p>`;
}

function publishedTake(context: PageContext, take: TakeRecord): SafeHtml {
  // Rendered before the definition with the page's registry, so the take's citations and MITRE's share one numbering.
  const body = renderDescription(take.body, externalReferences(context.json), context.citations);
  return html`<div class="take-published">
    <div class="take-body">${body}</div>
    ${provenance(context, take)}
  </div>`;
}

function pendingNotice(context: PageContext, take: TakeRecord | undefined): SafeHtml {
  if (take === undefined) {
    return html`<p class="take-pending">No validated analyst summary exists for this object yet.
      Read ${DEFINITION_LINK} below.</p>`;
  }
  const pinnedRelease = releaseOf(context, take.pinnedReleaseId);
  if (take.state === 'published') {
    // Only on pages of another release: the published take was validated against a different version of the object.
    const validatedVersion = pinnedRelease
      ? html`<a href="${pinnedPath(context.object, pinnedRelease)}">the version in ${releaseLabel(pinnedRelease)}</a>`
      : html`another version`;
    return html`<p class="take-pending">The team's analyst summary was validated against ${validatedVersion},
      not against the version this page shows. Read ${DEFINITION_LINK} of this version below.</p>`;
  }
  if (take.state === 'stale') {
    return html`<p class="take-pending"><strong>Pending validation.</strong> The team's analyst summary was validated against
      the version in ${releaseLabel(pinnedRelease)}, and the object has changed since. Until a reviewer validates the summary
      against the current version, read ${DEFINITION_LINK} below.</p>`;
  }
  return html`<p class="take-pending"><strong>Pending validation.</strong> The team's analyst summary of this object
    has not been validated by a reviewer yet. Until it is, read ${DEFINITION_LINK} below.</p>`;
}

function teamPanel(context: PageContext, viewer: PageViewer): SafeHtml {
  const { take, object } = context;
  const { role } = viewer.principal;
  if (take === undefined) {
    // Takes are written on objects; the service rejects takes on relationships.
    if (object.type === 'relationship' || !mayPerform(role, 'take.write')) return html``;
    return html`<div class="take-team-panel">
      <p><span class="take-team-label">Team:</span> nobody has written a take on this object yet.
        <a href="${newTakePath(object.stixId)}">Write a take</a></p>
    </div>`;
  }
  // Users who may not edit the take open it read-only.
  const verb = editorActions(viewer.principal, take).edit ? 'Edit' : 'Open';
  const links = [html`<a href="${takePath(take.id)}">${verb} take ${take.id}</a>`];
  if (mayPerform(role, 'take.review')) links.push(html`<a href="${reviewPath(take.id)}">Review take ${take.id}</a>`);
  const pinnedRelease = releaseOf(context, take.pinnedReleaseId);
  return html`<div class="take-team-panel">
    <p><span class="take-team-label">Team:</span> take ${take.id} by ${take.authorName} is
      <strong class="take-state take-state-${take.state}">${takeStateLabel(take.state)}</strong>,
      pinned to ${releaseLabel(pinnedRelease)} (content hash ${shortHash(take.pinnedContentHash)}).
      ${links.map((link, index) => html`${index > 0 ? ' · ' : ''}${link}`)} · <a href="/takes">All takes</a></p>
  </div>`;
}

export function renderAnalystTake(context: PageContext): SafeHtml {
  // The take panel is for signed-in users only, so it never reaches the page cache.
  const panel = context.viewer ? teamPanel(context, context.viewer) : '';
  const { take } = context;
  const content = isShownToReaders(context, take) ? publishedTake(context, take) : pendingNotice(context, take);
  return section('analyst-take', 'Analyst take', html`${content}${panel}`);
}
