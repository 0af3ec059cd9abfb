/**
 * Facts and tables of a detection strategy (`x-mitre-detection-strategy`, ATT&CK
 * 18 and later): the techniques it detects and the analytics it groups, which
 * it names in `x_mitre_analytic_refs` rather than through relationships.
 */
import { externalReferences, stringField, stringList } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderInlineText } from '../../render/markdown.js';
import { commaList, section } from '../components.js';
import { parseSnapshot, type PageContext } from '../page-context.js';
import { relatedSection, selectRelated } from './related.js';
import { resolveObjects, resolvedLink, resolvedSnapshot } from './resolve.js';
import { simpleTable } from './tables.js';

/** Analytics in MITRE's order, with platforms and description. */
async function analyticsSection(context: PageContext): Promise<SafeHtml> {
  const analyticIds = [...new Set(stringList(context.json, 'x_mitre_analytic_refs'))];
  const resolved = await resolveObjects(context, analyticIds);
  const rows = analyticIds.map((id) => {
    const analytic = resolvedSnapshot(resolved, id);
    const json = analytic === undefined ? undefined : parseSnapshot(analytic);
    const description = json === undefined ? undefined : stringField(json, 'description');
    return [
      analytic?.attackId ?? '',
      resolvedLink(resolved, id),
      json === undefined ? '' : commaList(stringList(json, 'x_mitre_platforms')),
      json === undefined || description === undefined ? '' : renderInlineText(description, externalReferences(json), context.citations),
    ];
  });
  return section(
    'analytics',
    'Analytics',
    simpleTable(['ID', 'Analytic', 'Platforms', 'Description'], rows, 'This detection strategy lists no analytics in this release.'),
  );
}

export async function renderDetectionStrategyFacts(context: PageContext): Promise<SafeHtml> {
  const techniques = relatedSection(context, 'techniques-detected', 'Techniques detected', selectRelated(context, 'detects', 'outgoing', ['attack-pattern']), {
    nameLabel: 'Technique',
    empty: 'This detection strategy detects no techniques in this release.',
  });
  return html`${techniques}${await analyticsSection(context)}`;
}
