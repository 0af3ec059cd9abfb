/**
 * The page for a take whose object was given as an ATT&CK ID that names several objects, or as an
 * ID that names none. Opened from a link (`/takes/new?object=T1086`), it links the editor of each
 * object. Reached by posting a take, it is a form that keeps the text and sends it on to the editor
 * of the chosen object, or of a corrected ID, without saving it.
 */
import type { Config } from '../../../config.js';
import { typeLabel } from '../../../domain/object-types.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import { objectPath } from '../../links.js';
import { html, type SafeHtml } from '../../render/html.js';
import { displayName, statusTags } from '../components.js';
import { renderLayout } from '../layout.js';
import { newTakePath, TAKES_PATH } from './take-links.js';

export interface ObjectChoiceInput {
  config: Config;
  /** Message that names the problem: which objects the ID names, or that it names none. */
  message: string;
  /** The objects to choose from, or none when the ID names none. */
  objects: readonly ObjectSnapshot[];
  /** The object as typed, for the field that corrects it. */
  typed: string;
  /** Set when a take was posted: the page is then a form that carries the take's text. */
  posted?: { csrf: SafeHtml; body: string } | undefined;
}

function objectFacts(object: ObjectSnapshot): SafeHtml {
  return html`<span class="tag">${typeLabel(object.type, object.isSubtechnique)}</span>${statusTags(object)}
    <span class="tag">${object.release.domain} ${object.release.version}</span>`;
}

function choiceLinks(objects: readonly ObjectSnapshot[]): SafeHtml {
  const items = objects.map(
    (object) => html`<li><a href="${newTakePath(object.stixId)}">Write a take on ${displayName(object)}</a> ${objectFacts(object)}
      (<a href="${objectPath(object)}">object page</a>)</li>`,
  );
  return html`<ul class="results take-object-choices">${items}</ul>`;
}

function choiceForm(input: ObjectChoiceInput, posted: { csrf: SafeHtml; body: string }): SafeHtml {
  const objectField =
    input.objects.length > 0
      ? html`<fieldset class="take-object-choices">
          <legend>Object of the take</legend>
          ${input.objects.map(
            (object, index) => html`<div><input type="radio" id="take-object-${index + 1}" name="object" value="${object.stixId}" required>
              <label for="take-object-${index + 1}">${displayName(object)}</label> ${objectFacts(object)}</div>`,
          )}
        </fieldset>`
      : html`<label for="take-object">ATT&amp;CK ID or STIX ID of the object</label>
          <input id="take-object" name="object" value="${input.typed}" required>`;
  return html`<form class="take-editor" method="post" action="${TAKES_PATH}">
    ${posted.csrf}
    ${objectField}
    <label for="take-body">Take in Markdown</label>
    <textarea id="take-body" name="body" rows="12">${posted.body}</textarea>
    <p class="note">The take is not saved yet: the button opens the editor with this text, where you save it.</p>
    <div class="take-editor-buttons"><button type="submit" name="intent" value="preview">Open the editor with this text</button></div>
  </form>`;
}

export function renderObjectChoicePage(input: ObjectChoiceInput): string {
  const title = input.objects.length > 0 ? 'Choose the object of the take' : 'Object of the take not found';
  // A link that names several objects only requests a choice, but a posted take that was not saved is an error.
  const message = input.posted ? html`<div class="notice take-error" role="alert">${input.message}</div>` : html`<p>${input.message}</p>`;
  const choice = input.posted ? choiceForm(input, input.posted) : choiceLinks(input.objects);
  const body = html`<p class="type-label"><a href="${TAKES_PATH}">Analyst takes</a></p>
    <h1>${title}</h1>
    ${message}
    ${choice}`;
  return renderLayout({ title, config: input.config, body });
}
