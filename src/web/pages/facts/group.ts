/** Facts and tables of a group (`intrusion-set`), in attack.mitre.org's order. */
import { html, type SafeHtml } from '../../render/html.js';
import type { PageContext } from '../page-context.js';
import { aliasSection } from './aliases.js';
import { contributorsFact, factsSection } from './fact-list.js';
import { relatedSection, selectRelated } from './related.js';

export function renderGroupFacts(context: PageContext): SafeHtml {
  const facts = factsSection([contributorsFact(context.json)]);
  const associated = aliasSection(context, 'aliases', {
    id: 'associated-groups',
    title: 'Associated groups',
    empty: 'MITRE lists no other names for this group.',
  });
  const campaigns = relatedSection(context, 'campaigns', 'Campaigns', selectRelated(context, 'attributed-to', 'incoming', ['campaign']), {
    nameLabel: 'Campaign',
    descriptionLabel: 'Description',
    empty: 'No campaigns are attributed to this group in this release.',
  });
  const techniques = relatedSection(context, 'techniques-used', 'Techniques used', selectRelated(context, 'uses', 'outgoing', ['attack-pattern']), {
    nameLabel: 'Technique',
    descriptionLabel: 'Use',
    empty: 'No techniques are listed for this group in this release.',
  });
  const software = relatedSection(context, 'software', 'Software', selectRelated(context, 'uses', 'outgoing', ['malware', 'tool']), {
    nameLabel: 'Software',
    descriptionLabel: 'Description',
    empty: 'No software is listed for this group in this release.',
  });
  return html`${facts}${associated}${campaigns}${techniques}${software}`;
}
