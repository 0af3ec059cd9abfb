/** MITRE's official definition, with numbered citations, and the link to the same entry on attack.mitre.org. */
import { attackReference, externalReferences, stringField } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { section } from '../components.js';
import type { PageContext } from '../page-context.js';

/** Only links to MITRE's own site are shown as "the same entry on attack.mitre.org". */
const ATTACK_SITE = /^https:\/\/attack\.mitre\.org\//;

function attackSiteLink(context: PageContext): SafeHtml {
  const url = attackReference(context.json)?.url;
  if (!url || !ATTACK_SITE.test(url)) {
    return html`<p class="attack-link empty">MITRE gives no attack.mitre.org address for this object.</p>`;
  }
  return html`<p class="attack-link"><a href="${url}" rel="noopener noreferrer">View this entry on attack.mitre.org</a></p>`;
}

export function renderDefinition(context: PageContext): SafeHtml {
  const description = stringField(context.json, 'description');
  const body =
    description && description.trim() !== ''
      ? renderDescription(description, externalReferences(context.json), context.citations)
      : html`<p class="empty">MITRE gives no description for this object in this release.</p>`;
  return section(
    'definition',
    "MITRE's official definition",
    html`<p class="definition-name"><strong>${context.object.name ?? ''}</strong></p>
    <div class="description">${body}</div>
    ${attackSiteLink(context)}`,
  );
}
