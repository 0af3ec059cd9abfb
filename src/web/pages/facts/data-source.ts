/** Facts and data components of a data source (`x-mitre-data-source`). */
import { html, type SafeHtml } from '../../render/html.js';
import { objectLink, section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { detectedList, loadDetectedTechniques } from './detected-techniques.js';
import { contributorsFact, factsSection, listFact, platformsFact } from './fact-list.js';
import { hasDetectionStrategies } from './release.js';
import { compareSnapshots, simpleTable } from './tables.js';

/**
 * Renders the data components that name this data source in
 * `x_mitre_data_source_ref`. Before ATT&CK 18 each component detects techniques
 * directly, so the table adds what each detects. From 18 on, detection goes
 * through the analytics listed on the component's page.
 */
async function dataComponentsSection(context: PageContext): Promise<SafeHtml> {
  const referrers = await context.store.referrers(context.object.stixId, context.release.id, 'x_mitre_data_source_ref');
  const components = referrers.filter((object) => object.type === 'x-mitre-data-component').sort(compareSnapshots);
  const empty = 'No data components belong to this data source in this release.';

  if (hasDetectionStrategies(context.release)) {
    const rows = components.map((component) => [component.attackId ?? '', objectLink(component, component.stixId, true, true)]);
    return section('data-components', 'Data components', simpleTable(['ID', 'Data component'], rows, empty));
  }
  // Data components have ATT&CK IDs only from ATT&CK 18 on.
  const detected = await loadDetectedTechniques(context, components);
  const rows = components.map((component) => [objectLink(component, component.stixId), detectedList(detected, component.stixId)]);
  return section('data-components', 'Data components', simpleTable(['Data component', 'Detects'], rows, empty));
}

export async function renderDataSourceFacts(context: PageContext): Promise<SafeHtml> {
  const facts = factsSection([
    platformsFact(context.json),
    listFact('Collection layers', context.json, 'x_mitre_collection_layers'),
    contributorsFact(context.json),
  ]);
  return html`${facts}${await dataComponentsSection(context)}`;
}
