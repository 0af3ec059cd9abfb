/**
 * The take editor: the take's Markdown beside MITRE's definition of the object
 * version it is pinned to, with a preview. Without JavaScript the "Preview"
 * button posts the form and renders this page again. With it, site.js updates
 * the preview while the author types.
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
import { actionButton, releaseLabel, renderMessages, renderTakePreview, takeFacts, versionLink, type PageMessages } from './take-parts.js';

export interface EditorPageInput {
  config: Config;
  /** The hidden `_csrf` field of the signed-in session. */
  csrf: SafeHtml;
  /** The take being edited; undefined on the page that writes a new take. */
  take: TakeRecord | undefined;
  /** The object version the take is pinned to, or for a new take the current version it will be pinned to. */
  pinned: ObjectSnapshot | undefined;
  current: ObjectSnapshot | undefined;
  /** Page context of `pinned` (or of `current` when the pinned version is gone), for MITRE's definition. */
  definition: PageContext | undefined;
  /** The text in the text box: the stored body, or what the author posted. */
  body: string;
  messages: PageMessages;
  /** Whether to link the review page; the service still checks the role when a review action is posted. */
  canReview: boolean;
}

function editorForm(input: EditorPageInput): SafeHtml {
  const { take, csrf, body } = input;
  const action = take ? takePath(take.id) : TAKES_PATH;
  // The preview endpoint resolves citations against the take's pinned version, or the new take's object.
  const hidden = take
    ? html`<input type="hidden" name="revision" value="${take.revision}"><input type="hidden" name="take" value="${take.id}">`
    : html`<input type="hidden" name="object" value="${input.current?.stixId ?? ''}">`;
  const returnsToDraft =
    take && (take.state === 'published' || take.state === 'submitted')
      ? html`<p class="note">Saving changes returns the take to draft: it needs to be submitted and validated again${
          take.state === 'published' ? ', and readers see the pending notice until then' : ''
        }.</p>`
      : '';
  return html`<form class="take-editor" method="post" action="${action}" data-take-editor data-preview-url="${TAKES_PATH}/preview">
    ${csrf}${hidden}
    <label for="take-body">Take in Markdown</label>
    <p id="take-body-help" class="note">Cite the object's references as <code>(Citation: Source Name)</code>; they are numbered
      together with MITRE's citations on the object page. HTML other than simple formatting is shown as text. At most ${MAX_TAKE_LENGTH} characters.</p>
    <textarea id="take-body" name="body" rows="18" maxlength="${MAX_TAKE_LENGTH}" aria-describedby="take-body-help" required>${body}</textarea>
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

function takeActions(input: EditorPageInput, take: TakeRecord): SafeHtml {
  const buttons: SafeHtml[] = [];
  if (take.state === 'draft' || take.state === 'stale') buttons.push(actionButton(input.csrf, take, 'submit', 'Submit for review'));
  if (take.state !== 'withdrawn') buttons.push(actionButton(input.csrf, take, 'withdraw', 'Withdraw take'));
  const review = input.canReview ? html`<p><a href="${reviewPath(take.id)}">Review this take</a>: publication check, comparison with the current version, re-pin and publish.</p>` : '';
  return html`<section class="take-actions" aria-labelledby="take-actions-heading">
    <h2 id="take-actions-heading">Actions</h2>
    <div class="take-action-row">${buttons}</div>
    ${review}
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
  return html`<p class="note">As pinned: ${versionLink(pinned, take.pinnedContentHash, pinned.release)}.</p>${
    changed
      ? html`<p class="notice">The object has changed since: the current version is in ${releaseLabel(current.release)}. A reviewer compares the two and re-pins the take.</p>`
      : ''
  }`;
}

function withdrawnBody(input: EditorPageInput, take: TakeRecord): SafeHtml {
  return html`<p class="notice">This take is withdrawn and cannot be edited.
    <a href="${newTakePath(take.stixId)}">Write a new take on this object</a>.</p>
    ${previewSection(input)}`;
}

export function renderEditorPage(input: EditorPageInput): string {
  const { take, config } = input;
  const object = input.current ?? input.pinned;
  const name = object ? displayName(object) : (take?.attackId ?? take?.stixId ?? 'unknown object');
  const title = take ? `Take ${take.id} on ${name}` : `Write a take on ${name}`;
  const facts = take ? takeFacts(take, input.pinned, input.current) : '';
  const actions = take ? takeActions(input, take) : '';
  const editor = take?.state === 'withdrawn' ? withdrawnBody(input, take) : html`${editorForm(input)}${previewSection(input)}`;
  // The definition renders after the preview, but the preview numbers its citations on its own.
  const definition = input.definition ? html`${renderDefinition(input.definition)}${renderReferences(input.definition)}` : '';

  const body = html`<p class="type-label"><a href="${TAKES_PATH}">Analyst takes</a></p>
    <h1>${title}</h1>
    ${renderMessages(input.messages)}
    ${facts}
    ${actions}
    <div class="take-editor-layout">
      <div class="take-editor-pane">${editor}</div>
      <div class="take-definition-pane">${definitionNote(input)}${definition}</div>
    </div>`;
  return renderLayout({ title, config, body });
}
