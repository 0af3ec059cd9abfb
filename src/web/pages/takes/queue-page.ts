/** The list of takes for signed-in users, filtered by state, object and author. */
import type { Config } from '../../../config.js';
import type { ReleaseInfo } from '../../../storage/store.js';
import { TAKE_STATES, type TakeRecord, type TakeState } from '../../../storage/team-store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderLayout } from '../layout.js';
import { reviewPath, TAKES_PATH, takePath } from './take-links.js';
import { releaseLabel, takeObjectPath } from './take-parts.js';
import { takeStateTag } from './take-state.js';

/** The `state` query value that lists every take that is not withdrawn; it is the default. */
export const OPEN_STATES_FILTER = 'open';
/** The `state` query value that lists takes in every state. */
export const ANY_STATE_FILTER = 'any';

export interface QueueFilter {
  /** A take state, `open` or `any`. */
  state: string;
  /** ATT&CK ID or STIX ID as typed, or empty. */
  object: string;
  mine: boolean;
}

export interface QueuePageInput {
  config: Config;
  takes: readonly TakeRecord[];
  filter: QueueFilter;
  releases: readonly ReleaseInfo[];
  canReview: boolean;
  /** Reason the filter could not be applied as requested, if any. */
  problem?: string;
}

function stateOptions(selected: string): SafeHtml[] {
  const choices: [string, string][] = [
    [OPEN_STATES_FILTER, 'Not withdrawn'],
    [ANY_STATE_FILTER, 'Any state'],
    ...TAKE_STATES.map((state): [string, string] => [state, state[0]!.toUpperCase() + state.slice(1)]),
  ];
  return choices.map(([value, label]) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`);
}

function filterForm(filter: QueueFilter): SafeHtml {
  return html`<form class="take-filters" method="get" action="${TAKES_PATH}">
    <label for="take-filter-state">State</label>
    <select id="take-filter-state" name="state">${stateOptions(filter.state)}</select>
    <label for="take-filter-object">Object</label>
    <input id="take-filter-object" name="object" value="${filter.object}" placeholder="T1059.001 or STIX ID">
    <input type="checkbox" id="take-filter-mine" name="mine" value="1"${filter.mine ? html` checked` : ''}>
    <label for="take-filter-mine">Only my takes</label>
    <button type="submit">Filter</button>
  </form>`;
}

function newTakeForm(): SafeHtml {
  return html`<form class="take-filters" method="get" action="${TAKES_PATH}/new">
    <label for="take-new-object">Write a take on</label>
    <input id="take-new-object" name="object" placeholder="T1059.001 or STIX ID" required>
    <button type="submit">Open the editor</button>
  </form>`;
}

function takeRow(take: TakeRecord, releases: readonly ReleaseInfo[], canReview: boolean): SafeHtml {
  const release = releases.find((candidate) => candidate.id === take.pinnedReleaseId);
  const review = canReview ? html` · <a href="${reviewPath(take.id)}">Review<span class="visually-hidden"> take ${take.id}</span></a>` : '';
  return html`<tr>
    <td><a href="${takePath(take.id)}">Take ${take.id}</a></td>
    <td><a href="${takeObjectPath(take)}">${take.attackId ?? take.stixId}</a></td>
    <td>${takeStateTag(take.state)}</td>
    <td>${take.authorName}</td>
    <td>${take.reviewerName ?? ''}</td>
    <td>${releaseLabel(release)}</td>
    <td><time datetime="${take.updatedAt}">${take.updatedAt}</time></td>
    <td><a href="${takePath(take.id)}">Open<span class="visually-hidden"> take ${take.id}</span></a>${review}</td>
  </tr>`;
}

export function renderQueuePage(input: QueuePageInput): string {
  const { takes, filter } = input;
  const problem = input.problem ? html`<div class="notice take-error" role="alert">${input.problem}</div>` : '';
  const table =
    takes.length === 0
      ? html`<p class="empty">No take matches this filter.</p>`
      : html`<table class="take-queue">
          <caption>${takes.length} take(s), most recently changed first</caption>
          <thead><tr><th scope="col">Take</th><th scope="col">Object</th><th scope="col">State</th><th scope="col">Author</th>
            <th scope="col">Reviewer</th><th scope="col">Pinned release</th><th scope="col">Last change</th><th scope="col">Links</th></tr></thead>
          <tbody>${takes.map((take) => takeRow(take, input.releases, input.canReview))}</tbody>
        </table>`;
  const body = html`<h1>Analyst takes</h1>
    <p>To write a take, open an object's page and follow "Write a take" in its Analyst take section, or name the object here.</p>
    ${newTakeForm()}
    ${filterForm(filter)}${problem}${table}`;
  return renderLayout({ title: 'Analyst takes', config: input.config, body });
}

/** Tests whether a `state` query value names one take state. */
export function isTakeState(value: string): value is TakeState {
  return (TAKE_STATES as readonly string[]).includes(value);
}
