/** Building blocks shared by the take pages: the take's facts, messages, action buttons and the Markdown preview. */
import { stixIdType } from '../../../domain/ids.js';
import { externalReferences } from '../../../domain/stix-object.js';
import type { ObjectSnapshot, ReleaseInfo } from '../../../storage/store.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import { comparePath, objectPath, pinnedPath, releaseKey } from '../../links.js';
import { CitationRegistry, scanCitations, type CitedReference, type ExternalReference } from '../../render/citations.js';
import { html, safeUrl, trusted, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { displayName, factList } from '../components.js';
import { parseSnapshot } from '../page-context.js';
import { shortHash } from '../sections/change-history.js';
import { takeActionPath } from './take-links.js';
import { takeStateTag } from './take-state.js';

/** Feedback shown at the top of a take page: what the last action did, or why it failed. */
export interface PageMessages {
  notice?: string | SafeHtml;
  error?: string | SafeHtml;
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
    ['Validated at', take.validatedAt ? html`<time datetime="${take.validatedAt}">${take.validatedAt}</time>` : 'not yet'],
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

/** Prefix of the preview's citation anchors, which sit on a page beside MITRE's definition and its own anchors. */
export const PREVIEW_ANCHOR_PREFIX = 'preview-';

/**
 * Gives the preview's citation anchors their own ids. The sanitiser removes every `id` attribute and
 * the citation markup is added after it, so the only ids in the preview are `cite-N-U`, and the only
 * links to `#ref-N` are citation links or links the author wrote to that fragment.
 */
function prefixCitationAnchors(markup: string, prefix: string): string {
  return markup
    .replace(/ id="(cite-\d+-\d+)"/g, ` id="${prefix}$1"`)
    .replace(/ href="#(ref-\d+)"/g, ` href="#${prefix}$1"`);
}

function previewReferences(entries: readonly CitedReference[], prefix: string): SafeHtml {
  if (entries.length === 0) return html``;
  const items = entries.map((entry) => {
    const url = safeUrl(entry.url);
    // A URL with another scheme (javascript:, data:) is shown as text, never linked.
    let link = entry.url ? html`<br><code>${entry.url}</code>` : html``;
    if (url) link = html`<br><a href="${url}" rel="noopener noreferrer">${url}</a>`;
    return html`<li id="${prefix}ref-${entry.number}" value="${entry.number}"><strong>${entry.sourceName}</strong>${
      entry.description ? html`. ${entry.description}` : ''
    }${link}</li>`;
  });
  return html`<p class="note">References the take cites:</p><ol class="references take-preview-references">${items}</ol>`;
}

/**
 * Returns the source names of the take's citations that match none of the references, each once, in
 * order of first use. Names match as on the object page: exactly, or ignoring differences in white
 * space. The scan reads the raw Markdown, so a citation inside a code span is reported too, although
 * the page shows it as code on purpose.
 */
export function unknownCitations(body: string, references: readonly ExternalReference[]): string[] {
  const probe = new CitationRegistry();
  const unknown = new Set<string>();
  for (const span of scanCitations(body)) {
    if (probe.cite(span.sourceName, references) === undefined) unknown.add(span.sourceName);
  }
  return [...unknown];
}

/** A Markdown image, `![alt](url)`, which the sanitiser drops together with its alt text. */
const MARKDOWN_IMAGE = /!\[[^\]\n]*\]\(/;

/**
 * Renders the warnings about parts of the take that readers would not see as the author meant:
 * citations that match no reference of the object version, and Markdown images.
 */
export function renderTakeWarnings(body: string, object: ObjectSnapshot | undefined): SafeHtml {
  const references = object ? externalReferences(parseSnapshot(object)) : [];
  const unknown = unknownCitations(body, references);
  const warnings: SafeHtml[] = [];

  if (unknown.length > 0) {
    const cited = unknown.map((name, index) => html`${index > 0 ? ', ' : ''}<code>(Citation: ${name})</code>`);
    const count = unknown.length === 1 ? '1 citation matches' : `${unknown.length} citations match`;
    if (!object) {
      warnings.push(html`<p><strong>Unknown citations.</strong> No imported release contains the object, so no citation can be
        resolved, and readers would see ${cited} as plain text.</p>`);
    } else {
      // Entries with an external_id, such as "mitre-attack", name the object in a catalogue rather than cite a source.
      const sources = [...new Set(references.filter((reference) => reference.external_id === undefined).map((reference) => reference.source_name))];
      const names =
        sources.length === 0
          ? html`<p>This object version has no references to cite.</p>`
          : html`<details><summary>The ${sources.length} source names this take can cite</summary>
              <ul class="take-citable">${sources.map((name) => html`<li>${name}</li>`)}</ul></details>`;
      warnings.push(html`<p><strong>Unknown citations.</strong> ${count} no reference of ${displayName(object)} in
        ${releaseLabel(object.release)}, so readers would see ${unknown.length === 1 ? 'it' : 'them'} as plain text: ${cited}. Cite a source by the exact name of
        one of the object's references; the sources of MITRE's definition are in the <a href="#references">References</a>
        section of the pinned definition on this page.</p>${names}`);
    }
  }
  if (MARKDOWN_IMAGE.test(body)) {
    warnings.push(html`<p><strong>Images are not shown.</strong> Readers see nothing of a Markdown image
      (<code>![alt](url)</code>), not even its alt text. Link to the image instead: <code>[alt](https://...)</code>.</p>`);
  }
  return warnings.length === 0 ? html`` : html`<div class="notice take-warning">${warnings}</div>`;
}

/**
 * Renders take Markdown as readers will see it, sanitised as on the object page, after the warnings of
 * renderTakeWarnings. Citations resolve against the object version's references and are numbered from 1
 * with anchors that start with `anchorPrefix`, because the take pages show MITRE's definition with its
 * own numbering beside it.
 */
export function renderTakePreview(body: string, object: ObjectSnapshot | undefined, anchorPrefix = PREVIEW_ANCHOR_PREFIX): SafeHtml {
  if (body.trim() === '') return html`<p class="empty">Nothing to preview yet: write the take in the text box.</p>`;
  const registry = new CitationRegistry();
  const references = object ? externalReferences(parseSnapshot(object)) : [];
  const rendered = renderDescription(body, references, registry);
  return html`${renderTakeWarnings(body, object)}<div class="take-body">${trusted(prefixCitationAnchors(rendered.value, anchorPrefix))}</div>${previewReferences(
    registry.entries(),
    anchorPrefix,
  )}`;
}

/**
 * Path of the comparison page from the pinned version to the current one. Undefined when either is
 * missing, or when they are in different domains, because relationships live in each domain's bundle
 * and the comparison would list every relationship of the other domain as gained or lost.
 */
export function pinnedComparisonPath(pinned: ObjectSnapshot | undefined, current: ObjectSnapshot | undefined): string | undefined {
  if (!pinned || !current || pinned.release.domain !== current.release.domain) return undefined;
  return comparePath(current, releaseKey(pinned.release), releaseKey(current.release));
}
