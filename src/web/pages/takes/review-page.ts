/**
 * The reviewer's page for one take. It shows the publication check with its
 * reasons and the current version's schema errors, and the field-by-field
 * comparison from the pinned version to the current one when they differ,
 * with the re-pin form. Then come the take as readers would see it, MITRE's
 * definition as pinned, and the decision: the publish button when the
 * reviewer may publish the take now, else the reasons. The take renders
 * before the definition with the same citation registry, so its citations
 * are numbered as on the object page.
 */
import type { Config } from '../../../config.js';
import { externalReferences } from '../../../domain/stix-object.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import type { TakeRecord } from '../../../storage/team-store.js';
import type { PublishCheck } from '../../../takes/publish-check.js';
import type { TakeView } from '../../../takes/take-service.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { changeSections } from '../compare/field-changes.js';
import { section } from '../components.js';
import { renderLayout } from '../layout.js';
import type { PageContext } from '../page-context.js';
import { renderDefinition } from '../sections/definition.js';
import { shortHash } from '../sections/change-history.js';
import { renderReferences } from '../sections/source.js';
import { takeActionPath, TAKES_PATH, takePath } from './take-links.js';
import {
  actionButton,
  pinnedComparisonPath,
  releaseLabel,
  renderMessages,
  renderTakeWarnings,
  takeFacts,
  takeObjectName,
  type PageMessages,
} from './take-parts.js';
import { reviewActions, type ReviewActions, type TakeViewer } from './take-permissions.js';

export interface ReviewPageInput {
  config: Config;
  csrf: SafeHtml;
  view: TakeView;
  check: PublishCheck;
  /** Page context of the pinned version, or of the current one when the pinned version is gone. */
  definition: PageContext | undefined;
  messages: PageMessages;
  viewer: TakeViewer;
  /** The `takes.allowSelfPublish` setting: whether a reviewer may publish a take they wrote. */
  allowSelfPublish: boolean;
}

/** Id of the re-pin section, which the publication check and the decision link to when the take needs re-pinning. */
export const REPIN_ANCHOR = 'repin';

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

function checkSection(view: TakeView, check: PublishCheck, actions: ReviewActions): SafeHtml {
  const verdict = check.publishable
    ? html`<p class="take-check take-check-ok"><strong>The source check passes.</strong> The take is pinned to the object's current version,
        and that version passes schema validation. Whether you can publish it now is under the decision below.</p>`
    : html`<div class="take-check take-check-blocked"><p><strong>The source check fails.</strong></p>
        <ul class="take-check-reasons">${check.reasons.map((reason) => html`<li>${reason}</li>`)}</ul></div>`;
  const schema =
    check.schemaErrors.length === 0
      ? html`<p>The current version passes schema validation.</p>`
      : html`<h3>Schema validation errors of the current version</h3>
        <ul class="take-schema-errors">${check.schemaErrors.map((error) => html`<li><code>${error.field}</code>: ${error.message}</li>`)}</ul>`;
  const stateNote =
    view.take.state === 'submitted' ? '' : html`<p class="note">Only a submitted take can be published; this take is ${view.take.state}.</p>`;
  const repin = actions.repin ? html`<a href="#${REPIN_ANCHOR}">Go to Re-pin</a> · ` : '';
  return section(
    'publish-check',
    'Publication check',
    html`${verdict}${stateNote}${versionsTable(view, check)}${schema}<p>${repin}<a href="#take-decision">Go to the decision</a></p>`,
  );
}

function repinForm(csrf: SafeHtml, take: TakeRecord, current: ObjectSnapshot | undefined): SafeHtml {
  const confirm = html`<p><input type="checkbox" id="repin-confirm" name="confirm" value="yes" required>
    <label for="repin-confirm">I have read what changed, and the take holds for the current version${current ? ` in ${releaseLabel(current.release)}` : ''}.</label></p>`;
  return actionButton(csrf, take, 'repin', 'Re-pin to the current version', confirm);
}

function comparisonSection(input: ReviewPageInput): SafeHtml {
  const { view, check } = input;
  const { pinned, current } = view;
  if (!check.comparison || !pinned || !current) return html``;
  const comparison = pinnedComparisonPath(pinned, current);
  const fullComparison = comparison ? html`<p><a href="${comparison}">Full comparison page, with relationships gained and lost</a></p>` : '';
  return html`<section id="pinned-vs-current" class="page-section take-comparison">
      <h2>What changed from the pinned version to the current one</h2>
      <p>From ${releaseLabel(pinned.release)} (content hash ${shortHash(pinned.contentHash)}) to ${releaseLabel(current.release)}
        (content hash ${shortHash(current.contentHash)}), field by field.</p>
      ${fullComparison}
    </section>
    ${changeSections(check.comparison)}`;
}

/** The re-pin form, shown while the take is pinned to a version other than the object's current one. */
function repinSection(input: ReviewPageInput, actions: ReviewActions): SafeHtml {
  const { take, current } = input.view;
  if (!actions.needsRepin) return html``;
  const repin = actions.repin
    ? html`<p>After reading the changes and updating the take where needed, re-pin it to the current version.
        ${take.state === 'stale' ? 'A stale take goes back to submitted, ready to publish.' : ''}</p>${repinForm(input.csrf, take, current)}`
    : html`<p class="note">A ${take.state} take cannot be re-pinned.</p>`;
  return section(REPIN_ANCHOR, 'Re-pin', repin);
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
    html`${renderTakeWarnings(take.body, input.view.pinned ?? input.view.current)}<div class="take-body">${body}</div>
      <p><a href="${takePath(take.id)}">Edit the take</a></p>`,
  );
}

function decisionSection(input: ReviewPageInput, actions: ReviewActions): SafeHtml {
  const { take } = input.view;
  const record = html`<form class="take-action" method="post" action="${takeActionPath(take.id, 'validate')}">
    ${input.csrf}<button type="submit">Record the publication check in the audit log</button>
  </form>`;
  const repinLink = actions.repin ? html` <a href="#${REPIN_ANCHOR}">Go to Re-pin</a>.` : '';
  const publish = actions.publish
    ? actionButton(input.csrf, take, 'publish', 'Publish the take')
    : html`<p class="take-not-offered"><strong>Publishing is not offered:</strong> ${actions.publishReasons.join(' ')}${repinLink}</p>`;
  return section(
    'take-decision',
    'Decision',
    html`<p>Publishing shows the take to readers beside MITRE's definition, with your name as reviewer and the pinned release
      and content hash. The server runs the publication check again when you publish.</p>
      ${publish}
      <p>Recording the check runs the publication check again and writes its result to the audit log under your name.
        It changes nothing on the take.</p>
      <div class="take-action-row">${record}</div>`,
  );
}

export function renderReviewPage(input: ReviewPageInput): string {
  const { view, config } = input;
  const title = `Review take ${view.take.id} on ${takeObjectName(view.take, view.current ?? view.pinned)}`;
  const actions = reviewActions(input.viewer, view.take, input.check, input.allowSelfPublish);
  // Page order: the take renders before the definition so that citation numbers follow first use.
  const check = checkSection(view, input.check, actions);
  const comparison = comparisonSection(input);
  const repin = repinSection(input, actions);
  const take = takeSection(input);
  const definition = input.definition ? renderDefinition(input.definition) : '';
  const decision = decisionSection(input, actions);
  const references = input.definition ? renderReferences(input.definition) : '';

  const body = html`<p class="type-label"><a href="${TAKES_PATH}">Analyst takes</a></p>
    <h1>${title}</h1>
    ${renderMessages(input.messages)}
    ${takeFacts(view.take, view.pinned, view.current)}
    ${check}${comparison}${repin}${take}${definition}${decision}${references}`;
  return renderLayout({ title, config, body });
}
