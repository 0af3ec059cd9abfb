/** Labels of take states on pages. Each state is spelled out in text, so no state is shown by colour alone. */
import type { TakeState } from '../../../storage/team-store.js';
import { html, type SafeHtml } from '../../render/html.js';

const STATE_LABELS: Record<TakeState, string> = {
  draft: 'draft',
  submitted: 'submitted for review',
  published: 'published',
  stale: 'stale (the object changed after validation)',
  withdrawn: 'withdrawn',
};

export function takeStateLabel(state: TakeState): string {
  return STATE_LABELS[state];
}

export function takeStateTag(state: TakeState): SafeHtml {
  return html`<span class="tag take-state take-state-${state}">${takeStateLabel(state)}</span>`;
}
