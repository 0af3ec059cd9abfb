/**
 * The take editor: the take's Markdown beside MITRE's definition of the object
 * version it is pinned to, with a preview. Without JavaScript the "Preview"
 * button posts the form and renders this page again. With it, site.js updates
 * the preview while the author types. Users who may not edit the take see it
 * read-only, with the reason.
 */
import type { Config } from '../../../config.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import { MAX_TAKE_LENGTH } from '../../../takes/take-service.js';
import { html, type SafeHtml } from '../../render/html.js';
import { displayName } from '../components.js';
import { renderLayout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { renderDefinition } from '../sections/definition.js';
import { renderReferences } from '../sections/source.js';
import { newTakePath, reviewPath, TAKES_PATH, takePath } from './take-links.js';
import {
  actionButton,
  pinnedComparisonPath,
  releaseLabel,
  renderMessages,
  renderTakePreview,
  takeFacts,
  versionLink,
  type PageMessages,
} from './take-parts.js';
import { editorActions, mayReview, type EditorActions, type TakeViewer } from './take-permissions.js';

/** The id of the editor's form, which the "Replace the newer version" button names in its `form` attribute. */
const EDITOR_FORM_ID = 'take-editor-form';

/** One change of a take, from its audit log entry. */
export interface TakeChange {
  auditId: number;
  actorName: string;
  at: string;
  /** Audit action, such as `take.edit`. */
  action: string;
}

/** The saved take when the author's form was based on an older revision. */
export interface NewerVersion {
  /** The revision the author's form was read at, which the main form keeps sending. */
  readRevision: number;
  /** The latest change of the take's text: its last edit, or its creation. */
  textSaved: TakeChange | undefined;
  /** The latest change of the take of any kind. */
  latest: TakeChange | undefined;
}

export interface EditorPageInput {
  config: Config;
  /** The hidden `_csrf` field of the signed-in session. */
  csrf: SafeHtml;
  viewer: TakeViewer;
  /** The take being edited, as saved now, or undefined on the page that writes a new take. */
  take: TakeRecord | undefined;
  /** The object version the take is pinned to, or for a new take the current version it will be pinned to. */
  pinned: ObjectSnapshot | undefined;
  current: ObjectSnapshot | undefined;
  /** Page context of `pinned` (or of `current` when the pinned version is gone), for MITRE's definition. */
  definition: PageContext | undefined;
  /** The text in the text box: the stored body, or what the author posted. */
  body: string;
  messages: PageMessages;
  /** Set when the posted form was based on an older revision than the saved take. */
  newer?: NewerVersion | undefined;
  /** A problem with the text itself, shown next to the text box. */
  bodyError?: string | undefined;
  /** Fields that differ between the pinned version and the current one, or undefined when they are the same or one is missing. */
  changedFields?: readonly string[] | undefined;
}

const CHANGE_VERBS: Record<string, string> = {
  'take.create': 'wrote the take',
  'take.edit': 'saved changes',
  'take.submit': 'submitted it for review',
  'take.publish': 'published it',
  'take.repin': 're-pinned it',
  'take.withdraw': 'withdrew it',
  'take.stale': 'marked it stale after an import',
};

function changeTime(change: TakeChange): SafeHtml {
  return html`<time datetime="${change.at}">${change.at}</time>`;
}

function markdownHelp(): SafeHtml {
  return html`<details class="take-markdown-help">
    <summary>Markdown the take can use</summary>
    <ul>
      <li>Paragraphs, <code>**bold**</code>, <code>*italic*</code>, <code>~~strikethrough~~</code>, <code>\`code\`</code>,
        code blocks, lists, quotes, horizontal rules and tables.</li>
      <li>Headings, shown two levels smaller, because they sit below the page's section headings.</li>
      <li>Links as <code>[text](https://...)</code> to <code>http:</code>, <code>https:</code> and <code>mailto:</code>
        addresses. A link with any other scheme shows as text without a link, and bare addresses are not turned into links.</li>
      <li><strong>Images are not shown:</strong> a Markdown image (<code>![alt](url)</code>) is left out, alt text included.
        Link to the image instead.</li>
      <li>HTML tags <code>a</code>, <code>b</code>, <code>br</code>, <code>code</code>, <code>del</code>, <code>em</code>,
        <code>i</code>, <code>s</code>, <code>strong</code>, <code>sub</code>, <code>sup</code> and <code>u</code>, and the
        block tags <code>p</code>, <code>pre</code>, <code>ul</code>, <code>ol</code>, <code>li</code>, <code>blockquote</code>,
        <code>hr</code>, <code>table</code>, <code>thead</code>, <code>tbody</code>, <code>tr</code>, <code>th</code>,
        <code>td</code> and <code>h1</code> to <code>h6</code>. Their attributes are removed, except <code>href</code> and
        <code>title</code> on links, <code>start</code> on lists and <code>colspan</code> and <code>rowspan</code> on table
        cells. Any other tag shows as the typed text.</li>
    </ul>
  </details>`;
}

function editorForm(input: EditorPageInput): SafeHtml {
  const { take, csrf, body } = input;
  const action = take ? takePath(take.id) : TAKES_PATH;
  // After a conflict the form keeps the revision the author read, so saving it again is still a conflict.
  const revision = input.newer?.readRevision ?? take?.revision;
  // The preview endpoint resolves citations against the take's pinned version, or the new take's object.
  const hidden = take
    ? html`<input type="hidden" name="revision" value="${revision}"><input type="hidden" name="take" value="${take.id}">`
    : html`<input type="hidden" name="object" value="${input.current?.stixId ?? ''}">`;
  const returnsToDraft =
    take && (take.state === 'published' || take.state === 'submitted')
      ? html`<p class="note">Saving changes returns the take to draft: it needs to be submitted and validated again${
          take.state === 'published' ? ', and readers see the pending notice until then' : ''
        }.</p>`
      : '';
  const describedBy = input.bodyError ? 'take-body-help take-body-error' : 'take-body-help';
  const bodyError = input.bodyError ? html`<p id="take-body-error" class="take-field-error">${input.bodyError}</p>` : '';
  return html`<form id="${EDITOR_FORM_ID}" class="take-editor" method="post" action="${action}" data-take-editor data-preview-url="${TAKES_PATH}/preview">
    ${csrf}${hidden}
    <label for="take-body">Take in Markdown</label>
    <p id="take-body-help" class="note">Cite the object's references as <code>(Citation: Source Name)</code>; they are numbered
      together with MITRE's citations on the object page. Images are not shown. At most ${MAX_TAKE_LENGTH} characters.</p>
    ${markdownHelp()}
    ${bodyError}
    <textarea id="take-body" name="body" rows="18" maxlength="${MAX_TAKE_LENGTH}" aria-describedby="${describedBy}"${
      input.bodyError ? html` aria-invalid="true"` : ''
    } required>${body}</textarea>
    ${returnsToDraft}
    <div class="take-editor-buttons">
      <button type="submit" name="intent" value="save">${take ? 'Save changes' : 'Save draft'}</button>
      <button type="submit" name="intent" value="preview">Preview</button>
    </div>
  </form>`;
}

function previewSection(input: EditorPageInput): SafeHtml {
  return html`<section class="take-preview" aria-labelledby="take-preview-heading">
    <h2 id="take-preview-heading">Preview</h2>
    <p id="take-preview-status" class="note" role="status">Shows the take as readers will see it once it is published.</p>
    <div id="take-preview-output">${renderTakePreview(input.body, input.pinned ?? input.current)}</div>
  </section>`;
}

/** Renders text the user posted and cannot save, read-only, so that it can be copied. */
function unsavedText(input: EditorPageInput, take: TakeRecord): SafeHtml {
  if (input.body === take.body || input.body.trim() === '') return html``;
  return html`<h3>Your text, not saved</h3>
    <p>Copy it before you leave this page.</p>
    <label for="take-unsaved-markdown">Your text (read-only)</label>
    <textarea id="take-unsaved-markdown" class="take-readonly" rows="10" readonly>${input.body}</textarea>`;
}

/** The take for a user who may not edit it: as readers will see it, its Markdown, and text the user posted that was not saved. */
function readOnlyBody(input: EditorPageInput, take: TakeRecord): SafeHtml {
  return html`<section class="take-preview" aria-labelledby="take-saved-heading">
      <h2 id="take-saved-heading">The take, as readers will see it</h2>
      ${renderTakePreview(take.body, input.pinned ?? input.current)}
      <details><summary>Markdown of the take</summary><pre class="take-markdown">${take.body}</pre></details>
      ${unsavedText(input, take)}
    </section>`;
}

function takeActions(input: EditorPageInput, take: TakeRecord, actions: EditorActions): SafeHtml {
  // While the author's text conflicts with a newer version, these buttons would act on a version the author has not read.
  const resolving = input.newer !== undefined;
  const reasons = [...actions.reasons];
  if (resolving && (actions.submit || actions.withdraw)) {
    reasons.push('Submit and withdraw are offered again after you replace the newer version with your text, or load it.');
  }
  const buttons: SafeHtml[] = [];
  if (actions.submit && !resolving) buttons.push(actionButton(input.csrf, take, 'submit', 'Submit for review'));
  if (actions.withdraw && !resolving) buttons.push(actionButton(input.csrf, take, 'withdraw', 'Withdraw take'));
  const row = buttons.length > 0 ? html`<div class="take-action-row">${buttons}</div>` : '';
  const notOffered = reasons.length > 0 ? html`<p class="note take-not-offered">${reasons.join(' ')}</p>` : '';
  const review = mayReview(input.viewer)
    ? html`<p><a href="${reviewPath(take.id)}">Review this take</a>: publication check, comparison with the current version, re-pin and publish.</p>`
    : '';
  if (row === '' && notOffered === '' && review === '') return html``;
  return html`<section class="take-actions" aria-labelledby="take-actions-heading">
    <h2 id="take-actions-heading">Actions</h2>
    ${row}${notOffered}${review}
  </section>`;
}

/** Tells the take's readers on the team that the object changed after the take was pinned, with the comparison. */
function versionChangedNotice(input: EditorPageInput, take: TakeRecord): SafeHtml {
  const { pinned, current, changedFields } = input;
  if (!pinned || !current || !changedFields) return html``;
  const fields = changedFields.map((field, index) => html`${index > 0 ? ', ' : ''}<code>${field}</code>`);
  const comparison = pinnedComparisonPath(pinned, current);
  const compareLink = comparison
    ? html`<a href="${comparison}">Compare ${releaseLabel(pinned.release)} with ${releaseLabel(current.release)}</a>, field by field,
        with the relationships gained and lost. `
    : '';
  const repin = mayReview(input.viewer)
    ? html`After reading what changed and updating the take where needed, <a href="${reviewPath(take.id)}#repin">re-pin it on the review page</a>.`
    : html`A reviewer re-pins the take to the current version after reading what changed; meanwhile you can update the text.`;
  return html`<div id="take-version-changed" class="notice take-version-changed">
    <p><strong>The object changed after this take was pinned.</strong> The take is pinned to
      ${versionLink(pinned, pinned.contentHash, pinned.release)}; the current version is
      ${versionLink(current, current.contentHash, current.release)}. Changed fields: ${fields}.</p>
    <p>${compareLink}${repin}</p>
  </div>`;
}

function newerVersionSection(input: EditorPageInput, take: TakeRecord, actions: EditorActions): SafeHtml {
  const { newer } = input;
  if (!newer) return html``;
  const { textSaved, latest } = newer;
  const savedBy = textSaved
    ? html`<strong>${textSaved.actorName}</strong> saved its text on ${changeTime(textSaved)}.`
    : html`The audit log does not say who saved its text.`;
  const latestChange =
    latest && latest.auditId !== textSaved?.auditId
      ? html` The latest change: ${latest.actorName} ${CHANGE_VERBS[latest.action] ?? latest.action} on ${changeTime(latest)}.`
      : '';
  const replace = actions.edit
    ? html`<button type="submit" form="${EDITOR_FORM_ID}" name="replace_revision" value="${take.revision}">Replace the newer version with my text</button>`
    : html`<p>You cannot replace the newer version: ${actions.reasons.length > 0 ? actions.reasons.join(' ') : `the take is ${take.state}.`}</p>`;
  return html`<section id="newer-version" class="take-newer" aria-labelledby="newer-version-heading">
    <h2 id="newer-version-heading">Someone changed the take while you were editing</h2>
    <p>Your form was based on revision ${newer.readRevision}; the take is now at revision ${take.revision}. ${savedBy}${latestChange}</p>
    ${actions.edit
      ? html`<p>Your text is kept in the box below, not saved. "Save changes" keeps failing while the form is based on
          revision ${newer.readRevision}, so nothing replaces the newer version by accident. Either merge the two texts in the box and
          replace the newer version, or load the newer version and drop your text.</p>`
      : html`<p>Your text is kept in the box below, not saved. Copy it if you need it.</p>`}
    <div class="take-action-row">${replace}
      <a href="${takePath(take.id)}">Load the newer version</a> <span class="note">(drops your text in the box)</span></div>
    <h3>The newer version, as readers will see it</h3>
    ${renderTakePreview(take.body, input.pinned ?? input.current, 'newer-')}
    <label for="take-newer-markdown">Markdown of the newer version (read-only)</label>
    <textarea id="take-newer-markdown" class="take-readonly" rows="10" readonly>${take.body}</textarea>
  </section>`;
}

function definitionNote(input: EditorPageInput): SafeHtml {
  const { take, pinned, current } = input;
  if (!take) {
    return current
      ? html`<p class="note">The take will be pinned to this version: ${versionLink(current, current.contentHash, current.release)}.</p>`
      : html``;
  }
  if (!pinned) {
    return html`<p class="notice">The version this take is pinned to (content hash ${take.pinnedContentHash}) is no longer in the library; the definition below is the current version.</p>`;
  }
  const changed = current && current.contentHash !== take.pinnedContentHash;
  return html`<p class="note">As pinned: ${versionLink(pinned, take.pinnedContentHash, pinned.release)}.${
    changed ? html` The object has changed since: <a href="#take-version-changed">what changed</a>.` : ''
  }</p>`;
}

function withdrawnBody(input: EditorPageInput, take: TakeRecord): SafeHtml {
  return html`<p class="notice">This take is withdrawn and cannot be edited.
    <a href="${newTakePath(take.stixId)}">Write a new take on this object</a>.</p>
    ${previewSection(input)}${unsavedText(input, take)}`;
}

function editorPane(input: EditorPageInput, actions: EditorActions | undefined): SafeHtml {
  const { take } = input;
  if (!take) return html`${editorForm(input)}${previewSection(input)}`;
  if (take.state === 'withdrawn') return withdrawnBody(input, take);
  if (actions?.edit) return html`${editorForm(input)}${previewSection(input)}`;
  return readOnlyBody(input, take);
}

export function renderEditorPage(input: EditorPageInput): string {
  const { take, config } = input;
  const object = input.current ?? input.pinned;
  const name = object ? displayName(object) : (take?.attackId ?? take?.stixId ?? 'unknown object');
  const title = take ? `Take ${take.id} on ${name}` : `Write a take on ${name}`;
  const actions = take ? editorActions(input.viewer, take) : undefined;
  const facts = take ? takeFacts(take, input.pinned, input.current) : '';
  const changed = take ? versionChangedNotice(input, take) : '';
  const newer = take && actions ? newerVersionSection(input, take, actions) : '';
  const actionSection = take && actions ? takeActions(input, take, actions) : '';
  // The definition renders after the preview, but the preview numbers its citations on its own.
  const definition = input.definition ? html`${renderDefinition(input.definition)}${renderReferences(input.definition)}` : '';

  const body = html`<p class="type-label"><a href="${TAKES_PATH}">Analyst takes</a></p>
    <h1>${title}</h1>
    ${renderMessages(input.messages)}
    ${facts}
    ${changed}
    ${newer}
    ${actionSection}
    <div class="take-editor-layout">
      <div class="take-editor-pane">${editorPane(input, actions)}</div>
      <div class="take-definition-pane">${definitionNote(input)}${definition}</div>
    </div>`;
  return renderLayout({ title, config, body });
}
