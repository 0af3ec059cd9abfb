/** Facts and tables of software (`malware` or `tool`), in attack.mitre.org's order. */
import { html, type SafeHtml } from '../../render/html.js';
import type { PageContext } from '../page-context.js';
import { aliasSection } from './aliases.js';
import { contributorsFact, factsSection, platformsFact } from './fact-list.js';
import { relatedSection, selectRelated } from './related.js';

const SOFTWARE_KINDS: Record<string, string> = { malware: 'Malware', tool: 'Tool' };

export function renderSoftwareFacts(context: PageContext): SafeHtml {
  const facts = factsSection([
    ['Type', SOFTWARE_KINDS[context.object.type] ?? context.object.type],
    platformsFact(context.json),
    contributorsFact(context.json),
  ]);
  const associated = aliasSection(context, 'x_mitre_aliases', {
    id: 'associated-software',
    title: 'Associated software',
    empty: 'MITRE lists no other names for this software.',
  });
  const techniques = relatedSection(context, 'techniques-used', 'Techniques used', selectRelated(context, 'uses', 'outgoing', ['attack-pattern']), {
    nameLabel: 'Technique',
    descriptionLabel: 'Use',
    empty: 'No techniques are listed for this software in this release.',
  });
  const groups = relatedSection(context, 'groups', 'Groups that use this software', selectRelated(context, 'uses', 'incoming', ['intrusion-set']), {
    nameLabel: 'Group',
    descriptionLabel: 'Description',
    empty: 'No groups are listed as using this software in this release.',
  });
  const campaigns = relatedSection(context, 'campaigns', 'Campaigns', selectRelated(context, 'uses', 'incoming', ['campaign']), {
    nameLabel: 'Campaign',
    descriptionLabel: 'Description',
    empty: 'No campaigns are listed as using this software in this release.',
  });
  return html`${facts}${associated}${techniques}${groups}${campaigns}`;
}
