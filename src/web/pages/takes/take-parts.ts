/** Building blocks shared by the take pages: the take's facts, messages, action buttons and the Markdown preview. */
import { stixIdType } from '../../../domain/ids.js';
import { externalReferences } from '../../../domain/stix-object.js';
import type { ObjectSnapshot, ReleaseInfo } from '../../../storage/store.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import { objectPath, pinnedPath } from '../../links.js';
import { CitationRegistry, type CitedReference } from '../../render/citations.js';
import { html, safeUrl, trusted, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { displayName, factList } from '../components.js';
import { parseSnapshot } from '../page-context.js';
import { shortHash } from '../sections/change-history.js';
import { takeActionPath } from './take-links.js';
import { takeStateTag } from './take-state.js';

/** Feedback shown at the top of a take page: what the last action did, or why it failed. */
export interface PageMessages {
  notice?: string;
  error?: string;
}

export function renderMessages(messages: PageMessages): SafeHtml {
  const error = messages.error ? html`<div class="notice take-error" role="alert"><strong>Not done:</strong> ${messages.error}</div>` : '';
  const notice = messages.notice ? html`<div class="notice take-done" role="status"><strong>Done:</strong> ${messages.notice}</div>` : '';
  return html`${error}${notice}`;
}

export function releaseLabel(release: ReleaseInfo | undefined): string {
  return release ? `${release.domain} ${release.version}` : 'a release no longer in the library';
}

/** Name of the object a take is on: `ID: Name` of the snapshot when known, else the take's ATT&CK ID or STIX ID. */
export function takeObjectName(take: TakeRecord, object: ObjectSnapshot | undefined): string {
  return object ? displayName(object) : (take.attackId ?? take.stixId);
}

/** Path of the object page of a take's object; the type comes from the STIX ID when no snapshot is at hand. */
export function takeObjectPath(take: TakeRecord): string {
  return objectPath({ stixId: take.stixId, attackId: take.attackId, type: stixIdType(take.stixId) ?? '' });
}

/** Renders the release and short content hash of a version, linked to that version's page when the snapshot is known. */
export function versionLink(snapshot: ObjectSnapshot | undefined, contentHash: string, release: ReleaseInfo | undefined): SafeHtml {
  const label = html`${releaseLabel(release)}, content hash ${shortHash(contentHash)}`;
  return snapshot && release ? html`<a href="${pinnedPath(snapshot, release)}">${label}</a>` : label;
}

export function takeFacts(take: TakeRecord, pinned: ObjectSnapshot | undefined, current: ObjectSnapshot | undefined): SafeHtml {
  const currentVersion = current ? versionLink(current, current.contentHash, current.release) : 'no imported release contains the object';
  return factList([
    ['State', takeStateTag(take.state)],
    ['Object', html`<a href="${takeObjectPath(take)}">${takeObjectName(take, current ?? pinned)}</a> <code>${take.stixId}</code>`],
    ['Author', take.authorName],
    ['Pinned to', versionLink(pinned, take.pinnedContentHash, pinned?.release)],
    ['Current version', currentVersion],
    ['Validated by', take.reviewerName ?? 'nobody yet'],
    ['Validated at', take.validatedAt ? html`<time datetime="${take.validatedAt}">${take.validatedAt}</time>` : 'not validated'],
    ['Last change', html`<time datetime="${take.updatedAt}">${take.updatedAt}</time>, revision ${take.revision}`],
  ]);
}

/**
 * Renders a form with one button that posts a take action. The revision goes along so that the action
 * fails, changing nothing, when someone else changed the take since this page was rendered.
 */
export function actionButton(csrf: SafeHtml, take: TakeRecord, action: string, label: string, extra: SafeHtml | string = ''): SafeHtml {
  return html`<form class="take-action" method="post" action="${takeActionPath(take.id, action)}">
    ${csrf}<input type="hidden" name="revision" value="${take.revision}">
    ${extra}<button type="submit">${label}</button>
  </form>`;
}

const PREVIEW_ANCHOR_PREFIX = 'preview-';

/**
 * Gives the preview's citation anchors their own ids. The sanitiser removes every `id` attribute and
 * the citation markup is added after it, so the only ids in the preview are `cite-N-U`, and the only
 * links to `#ref-N` are citation links or links the author wrote to that fragment.
 */
function prefixCitationAnchors(markup: string): string {
  return markup
    .replace(/ id="(cite-\d+-\d+)"/g, ` id="${PREVIEW_ANCHOR_PREFIX}$1"`)
    .replace(/ href="#(ref-\d+)"/g, ` href="#${PREVIEW_ANCHOR_PREFIX}$1"`);
}

function previewReferences(entries: readonly CitedReference[]): SafeHtml {
  if (entries.length === 0) return html``;
  const items = entries.map((entry) => {
    const url = safeUrl(entry.url);
    // A URL with another scheme (javascript:, data:) is shown as text, never linked.
    let link = entry.url ? html`<br><code>${entry.url}</code>` : html``;
    if (url) link = html`<br><a href="${url}" rel="noopener noreferrer">${url}</a>`;
    return html`<li id="${PREVIEW_ANCHOR_PREFIX}ref-${entry.number}" value="${entry.number}"><strong>${entry.sourceName}</strong>${
      entry.description ? html`. ${entry.description}` : ''
    }${link}</li>`;
  });
  return html`<p class="note">References the take cites:</p><ol class="references take-preview-references">${items}</ol>`;
}

/**
 * Renders take Markdown for the editor's preview, sanitised as on the object page. Citations resolve
 * against the object version's references and are numbered from 1 with their own anchors, because the
 * editor page shows MITRE's definition with its own numbering beside the preview.
 */
export function renderTakePreview(body: string, object: ObjectSnapshot | undefined): SafeHtml {
  if (body.trim() === '') return html`<p class="empty">Nothing to preview yet: write the take in the text box.</p>`;
  const registry = new CitationRegistry();
  const references = object ? externalReferences(parseSnapshot(object)) : [];
  const rendered = renderDescription(body, references, registry);
  return html`<div class="take-body">${trusted(prefixCitationAnchors(rendered.value))}</div>${previewReferences(registry.entries())}`;
}
