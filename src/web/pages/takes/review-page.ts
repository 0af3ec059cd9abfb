/**
 * The reviewer's page for one take. It shows the publication check with its
 * reasons and the current version's schema errors, and the field-by-field
 * comparison from the pinned version to the current one when they differ.
 * Then come the take as readers would see it, MITRE's definition as pinned,
 * and the re-pin and publish buttons. The take renders before the definition
 * with the same citation registry, so its citations are numbered as on the
 * object page.
 */
import type { Config } from '../../../config.js';
import { externalReferences } from '../../../domain/stix-object.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import type { PublishCheck } from '../../../takes/publish-check.js';
import type { TakeView } from '../../../takes/take-service.js';
import { comparePath, releaseKey } from '../../links.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { changeSections } from '../compare/field-changes.js';
import { section } from '../components.js';
import { renderLayout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { renderDefinition } from '../sections/definition.js';
import { shortHash } from '../sections/change-history.js';
import { renderReferences } from '../sections/source.js';
import { TAKES_PATH, takePath } from './take-links.js';
import { actionButton, releaseLabel, renderMessages, takeFacts, takeObjectName, type PageMessages } from './take-parts.js';

export interface ReviewPageInput {
  config: Config;
  csrf: SafeHtml;
  view: TakeView;
  check: PublishCheck;
  /** Page context of the pinned version, or of the current one when the pinned version is gone. */
  definition: PageContext | undefined;
  messages: PageMessages;
}

function versionColumn(snapshot: ObjectSnapshot | undefined, contentHash: string | undefined, schemaErrors: number | undefined): SafeHtml[] {
  if (!snapshot || !contentHash) return [html`not in the library`, html``, html``, html``, html``];
  const validation = schemaErrors === undefined ? 'not checked' : schemaErrors === 0 ? 'passes' : `${schemaErrors} error(s)`;
  return [
    html`${releaseLabel(snapshot.release)}`,
    html`${snapshot.version ?? 'none given'}`,
    html`${snapshot.modified ?? 'none given'}`,
    shortHash(contentHash),
    html`${validation}`,
  ];
}

function versionsTable(view: TakeView, check: PublishCheck): SafeHtml {
  const labels = ['Release', 'Object version', 'Modified', 'Content hash', 'Schema validation'];
  // The check validates the current version only; the pinned one passed when its release was imported.
  const pinned = versionColumn(view.pinned, check.pinnedContentHash, undefined);
  const current = versionColumn(view.current, check.currentContentHash, check.schemaErrors.length);
  const rows = labels.map((label, index) => html`<tr><th scope="row">${label}</th><td>${pinned[index]}</td><td>${current[index]}</td></tr>`);
  return html`<table class="take-versions">
    <caption>The version the take is pinned to and the object's current version</caption>
    <thead><tr><th scope="col">Fact</th><th scope="col">Pinned version</th><th scope="col">Current version</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function checkSection(view: TakeView, check: PublishCheck): SafeHtml {
  const verdict = check.publishable
    ? html`<p class="take-check take-check-ok"><strong>Publishable.</strong> The take is pinned to the object's current version,
        and that version passes schema validation.</p>`
    : html`<div class="take-check take-check-blocked"><p><strong>Not publishable.</strong></p>
        <ul class="take-check-reasons">${check.reasons.map((reason) => html`<li>${reason}</li>`)}</ul></div>`;
  const schema =
    check.schemaErrors.length === 0
      ? html`<p>The current version passes schema validation.</p>`
      : html`<h3>Schema validation errors of the current version</h3>
        <ul class="take-schema-errors">${check.schemaErrors.map((error) => html`<li><code>${error.field}</code>: ${error.message}</li>`)}</ul>`;
  const stateNote =
    view.take.state === 'submitted' ? '' : html`<p class="note">Only a submitted take can be published; this take is ${view.take.state}.</p>`;
  return section(
    'publish-check',
    'Publication check',
    html`${verdict}${stateNote}${versionsTable(view, check)}${schema}<p><a href="#take-decision">Go to the decision</a></p>`,
  );
}

function repinForm(csrf: SafeHtml, take: TakeRecord, current: ObjectSnapshot | undefined): SafeHtml {
  const confirm = html`<p><input type="checkbox" id="repin-confirm" name="confirm" value="yes" required>
    <label for="repin-confirm">I have read what changed, and the take holds for the current version${current ? ` in ${releaseLabel(current.release)}` : ''}.</label></p>`;
  return actionButton(csrf, take, 'repin', 'Re-pin to the current version', confirm);
}

function comparisonSection(input: ReviewPageInput): SafeHtml {
  const { view, check, csrf } = input;
  const { pinned, current, take } = view;
  if (!check.comparison || !pinned || !current) return html``;
  const fullComparison =
    pinned.release.domain === current.release.domain
      ? html`<p><a href="${comparePath(current, releaseKey(pinned.release), releaseKey(current.release))}">Full comparison page, with relationships gained and lost</a></p>`
      : '';
  const repin =
    take.state === 'published' || take.state === 'withdrawn'
      ? html`<p class="note">A ${take.state} take cannot be re-pinned.</p>`
      : html`<p>After reading the changes and updating the take where needed, re-pin it to the current version.
          ${take.state === 'stale' ? 'A stale take goes back to submitted, ready to publish.' : ''}</p>${repinForm(csrf, take, current)}`;
  return html`<section id="pinned-vs-current" class="page-section take-comparison">
      <h2>What changed from the pinned version to the current one</h2>
      <p>From ${releaseLabel(pinned.release)} (content hash ${shortHash(pinned.contentHash)}) to ${releaseLabel(current.release)}
        (content hash ${shortHash(current.contentHash)}), field by field.</p>
      ${fullComparison}
    </section>
    ${changeSections(check.comparison)}
    <section id="repin" class="page-section"><h2>Re-pin</h2>${repin}</section>`;
}

function takeSection(input: ReviewPageInput): SafeHtml {
  const { take } = input.view;
  const references = input.definition ? externalReferences(input.definition.json) : [];
  const body = input.definition
    ? renderDescription(take.body, references, input.definition.citations)
    : html`<pre>${take.body}</pre>`;
  return section(
    'take-under-review',
    'The take, as readers would see it',
    html`<div class="take-body">${body}</div><p><a href="${takePath(take.id)}">Edit the take</a></p>`,
  );
}

function decisionSection(input: ReviewPageInput): SafeHtml {
  const { take } = input.view;
  const validate = html`<form class="take-action" method="post" action="${takePath(take.id)}/validate">
    ${input.csrf}<button type="submit">Run and record the check</button>
  </form>`;
  return section(
    'take-decision',
    'Decision',
    html`<p>Publishing shows the take to readers beside MITRE's definition, with your name as reviewer and the pinned release
      and content hash. The server runs the publication check again when you publish.</p>
      <div class="take-action-row">${validate}${actionButton(input.csrf, take, 'publish', 'Publish the take')}</div>`,
  );
}

export function renderReviewPage(input: ReviewPageInput): string {
  const { view, config } = input;
  const title = `Review take ${view.take.id} on ${takeObjectName(view.take, view.current ?? view.pinned)}`;
  // Page order: the take renders before the definition so that citation numbers follow first use.
  const check = checkSection(view, input.check);
  const comparison = comparisonSection(input);
  const take = takeSection(input);
  const definition = input.definition ? renderDefinition(input.definition) : '';
  const decision = decisionSection(input);
  const references = input.definition ? renderReferences(input.definition) : '';

  const body = html`<p class="type-label"><a href="${TAKES_PATH}">Analyst takes</a></p>
    <h1>${title}</h1>
    ${renderMessages(input.messages)}
    ${takeFacts(view.take, view.pinned, view.current)}
    ${check}${comparison}${take}${definition}${decision}${references}`;
  return renderLayout({ title, config, body });
}
