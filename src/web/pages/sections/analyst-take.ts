/** The team's analyst take. Until a take has been validated against this object version, readers see a pending notice. */
import { html, type SafeHtml } from '../../render/html.js';
import { section } from '../components.js';

export function renderAnalystTake(): SafeHtml {
  return section(
    'analyst-take',
    'Analyst take',
    html`<p class="take-pending">No validated analyst summary exists for this object yet.
      Read <a href="#definition">MITRE's official definition</a> below.</p>`,
  );
}
