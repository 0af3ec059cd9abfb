/** Type label, `ID: Name` title and the badges under it. */
import { DOMAIN_LABELS, isDomain, typeLabel } from '../../../domain/object-types.js';
import { stringList } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { displayName } from '../components.js';
import type { PageContext } from '../page-context.js';

function badge(label: string, value: string | null | undefined): SafeHtml {
  if (value === null || value === undefined || value === '') return html``;
  return html`<li><span class="badge-label">${label}</span>${value}</li>`;
}

function domainNames(domains: readonly string[]): string {
  return domains.map((domain) => (isDomain(domain) ? DOMAIN_LABELS[domain] : domain)).join(', ');
}

export function renderHeading(context: PageContext): SafeHtml {
  const { object } = context;
  const domains = stringList(context.json, 'x_mitre_domains');
  return html`<p class="type-label">${typeLabel(object.type, object.isSubtechnique)}</p>
  <h1>${displayName(object)}</h1>
  <ul class="badges" aria-label="Object facts">
    ${badge('Domains', domainNames(domains.length > 0 ? domains : [context.release.domain]))}
    ${badge('ATT&CK ID', object.attackId)}
    ${badge('Type', object.type)}
    ${badge('Version', object.version)}
    ${badge('Created', object.created)}
    ${badge('Modified', object.modified)}
  </ul>`;
}
