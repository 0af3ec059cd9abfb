/**
 * An object page. Sections render in page order because the citation
 * registry numbers sources by first use, and the reference list must come
 * after every section that cites.
 */
import { html } from '../render/html.js';
import { renderTypeFacts } from './facts/index.js';
import { displayName } from './components.js';
import { renderLayout } from './layout.js';
import type { PageContext } from './page-context.js';
import { renderAnalystTake } from './sections/analyst-take.js';
import { renderChangeHistory } from './sections/change-history.js';
import { renderDefinition } from './sections/definition.js';
import { renderGuidance } from './sections/guidance.js';
import { renderHeading } from './sections/heading.js';
import { renderRelationshipExplorer } from './sections/relationship-explorer.js';
import { renderReleaseSwitcher } from './sections/release-switcher.js';
import { renderAttribution, renderRawSource, renderReferences } from './sections/source.js';
import { renderStatusNotice } from './sections/status-notice.js';

export async function renderObjectPage(context: PageContext): Promise<string> {
  const heading = renderHeading(context);
  const switcher = renderReleaseSwitcher(context);
  const status = await renderStatusNotice(context);
  const take = renderAnalystTake(context);
  const definition = renderDefinition(context);
  // A revoked object is a stub pointing at its replacement; empty tables would suggest that nothing addresses it.
  const facts = context.object.revoked ? '' : await renderTypeFacts(context);
  const guidance = renderGuidance(context);
  const explorer = renderRelationshipExplorer(context);
  const history = renderChangeHistory(context);
  const raw = renderRawSource(context);
  const references = renderReferences(context);
  const attribution = renderAttribution();

  return renderLayout({
    title: context.pinned ? `${displayName(context.object)} (${context.release.domain} ${context.release.version})` : displayName(context.object),
    config: context.config,
    body: html`<article class="object-page" data-stix-id="${context.object.stixId}">
      ${heading}${switcher}${status}${take}${definition}${facts}${guidance}${explorer}${history}${raw}${references}${attribution}
    </article>`,
  });
}
