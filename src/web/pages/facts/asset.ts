/** Facts and tables of an ICS asset (`x-mitre-asset`). */
import { externalReferences, objectList, stringField, stringList } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderInlineText } from '../../render/markdown.js';
import { commaList, section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { contributorsFact, factsSection, listFact, platformsFact } from './fact-list.js';
import { relatedSection, selectRelated } from './related.js';
import { simpleTable } from './tables.js';

/** `x_mitre_related_assets` entries: names of the asset in particular sectors, with a description that may cite the asset's references. */
function relatedAssetsSection(context: PageContext): SafeHtml {
  const references = externalReferences(context.json);
  const rows = objectList(context.json, 'x_mitre_related_assets').map((entry) => {
    const description = stringField(entry, 'description');
    return [
      stringField(entry, 'name') ?? '',
      commaList(stringList(entry, 'related_asset_sectors')),
      description === undefined ? '' : renderInlineText(description, references, context.citations),
    ];
  });
  return section('related-assets', 'Related assets', simpleTable(['Name', 'Sectors', 'Description'], rows, 'MITRE lists no related assets for this asset.'));
}

export function renderAssetFacts(context: PageContext): SafeHtml {
  const facts = factsSection([
    platformsFact(context.json),
    listFact('Sectors', context.json, 'x_mitre_sectors'),
    contributorsFact(context.json),
  ]);
  const related = relatedAssetsSection(context);
  const techniques = relatedSection(context, 'techniques', 'Techniques that target this asset', selectRelated(context, 'targets', 'incoming', ['attack-pattern']), {
    nameLabel: 'Technique',
    empty: 'No techniques target this asset in this release.',
  });
  return html`${facts}${related}${techniques}`;
}
