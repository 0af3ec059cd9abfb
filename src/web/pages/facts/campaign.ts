/** Facts and tables of a campaign, in attack.mitre.org's order. */
import { externalReferences, stringField } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderInlineText } from '../../render/markdown.js';
import type { PageContext } from '../page-context.js';
import { aliasSection } from './aliases.js';
import { contributorsFact, factsSection } from './fact-list.js';
import { relatedSection, selectRelated } from './related.js';

const MONTH_YEAR = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000;

/**
 * Formats a `first_seen` or `last_seen` value as month and year.
 * The values look like midnight on the first of a month in a local time zone,
 * converted to UTC. In Enterprise 15.1 and 18.1 and ICS 18.1 they run from 22:00
 * on the day before to 08:00 on the first. APT41 DUST in Enterprise 18.1 has
 * last_seen 2024-06-30T22:00Z, which its description calls July 2024. Adding
 * 12 hours before taking the UTC month recovers the intended month for any
 * offset within 12 hours of UTC.
 */
function formatSeenMonth(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  return MONTH_YEAR.format(new Date(time + TWELVE_HOURS_MS));
}

/** Renders a `first_seen` or `last_seen` date with the citation MITRE gives for it. */
function seenFact(context: PageContext, dateKey: string, citationKey: string): SafeHtml | undefined {
  const value = stringField(context.json, dateKey);
  if (value === undefined) return undefined;
  const citation = stringField(context.json, citationKey);
  const cited = citation === undefined ? '' : renderInlineText(citation, externalReferences(context.json), context.citations);
  return html`<time datetime="${value}">${formatSeenMonth(value)}</time> ${cited}`;
}

export function renderCampaignFacts(context: PageContext): SafeHtml {
  const facts = factsSection([
    ['First seen', seenFact(context, 'first_seen', 'x_mitre_first_seen_citation')],
    ['Last seen', seenFact(context, 'last_seen', 'x_mitre_last_seen_citation')],
    contributorsFact(context.json),
  ]);
  const associated = aliasSection(context, 'aliases', {
    id: 'associated-campaigns',
    title: 'Associated campaigns',
    empty: 'MITRE lists no other names for this campaign.',
  });
  const groups = relatedSection(context, 'groups', 'Groups', selectRelated(context, 'attributed-to', 'outgoing', ['intrusion-set']), {
    nameLabel: 'Group',
    descriptionLabel: 'Description',
    empty: 'This campaign is attributed to no group in this release.',
  });
  const techniques = relatedSection(context, 'techniques-used', 'Techniques used', selectRelated(context, 'uses', 'outgoing', ['attack-pattern']), {
    nameLabel: 'Technique',
    descriptionLabel: 'Use',
    empty: 'No techniques are listed for this campaign in this release.',
  });
  const software = relatedSection(context, 'software', 'Software', selectRelated(context, 'uses', 'outgoing', ['malware', 'tool']), {
    nameLabel: 'Software',
    descriptionLabel: 'Description',
    empty: 'No software is listed for this campaign in this release.',
  });
  return html`${facts}${associated}${groups}${techniques}${software}`;
}
