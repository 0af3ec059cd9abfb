/**
 * Facts and tables of an analytic (`x-mitre-analytic`, ATT&CK 18 and later).
 * An analytic has no relationships: it names data components in
 * `x_mitre_log_source_references`, and detection strategies name it in their
 * `x_mitre_analytic_refs`.
 */
import { externalReferences, objectList, stringField } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderInlineText } from '../../render/markdown.js';
import { objectLink, section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { detectedList, loadDetectedTechniques } from './detected-techniques.js';
import { factsSection, platformsFact } from './fact-list.js';
import { resolveObjects, resolvedLink } from './resolve.js';
import { compareSnapshots, simpleTable } from './tables.js';

async function detectionStrategiesSection(context: PageContext): Promise<SafeHtml> {
  const referrers = await context.store.referrers(context.object.stixId, context.release.id, 'x_mitre_analytic_refs');
  const strategies = referrers.filter((object) => object.type === 'x-mitre-detection-strategy').sort(compareSnapshots);
  const detected = await loadDetectedTechniques(context, strategies);
  const rows = strategies.map((strategy) => [
    strategy.attackId ?? '',
    objectLink(strategy, strategy.stixId),
    detectedList(detected, strategy.stixId),
  ]);
  return section(
    'detection-strategies',
    'Detection strategies',
    simpleTable(['ID', 'Detection strategy', 'Techniques detected'], rows, 'No detection strategy includes this analytic in this release.'),
  );
}

/** `x_mitre_log_source_references` entries `{x_mitre_data_component_ref, name, channel}`. */
async function logSourcesSection(context: PageContext): Promise<SafeHtml> {
  const entries = objectList(context.json, 'x_mitre_log_source_references');
  const componentIds = entries.flatMap((entry) => stringField(entry, 'x_mitre_data_component_ref') ?? []);
  const resolved = await resolveObjects(context, componentIds);
  const rows = entries.map((entry) => {
    const componentId = stringField(entry, 'x_mitre_data_component_ref');
    return [
      componentId === undefined ? html`<span class="empty">none given</span>` : resolvedLink(resolved, componentId),
      html`<code>${stringField(entry, 'name') ?? ''}</code>`,
      stringField(entry, 'channel') ?? '',
    ];
  });
  return section('log-sources', 'Log sources', simpleTable(['Data component', 'Name', 'Channel'], rows, 'MITRE lists no log sources for this analytic.'));
}

/** `x_mitre_mutable_elements` entries `{field, description}`: the parts of the analytic meant to be tuned. */
function mutableElementsSection(context: PageContext): SafeHtml {
  const references = externalReferences(context.json);
  const rows = objectList(context.json, 'x_mitre_mutable_elements').map((entry) => {
    const description = stringField(entry, 'description');
    return [
      html`<code>${stringField(entry, 'field') ?? ''}</code>`,
      description === undefined ? '' : renderInlineText(description, references, context.citations),
    ];
  });
  return section('mutable-elements', 'Mutable elements', simpleTable(['Field', 'Description'], rows, 'MITRE lists no mutable elements for this analytic.'));
}

export async function renderAnalyticFacts(context: PageContext): Promise<SafeHtml> {
  const facts = factsSection([platformsFact(context.json)]);
  const strategies = await detectionStrategiesSection(context);
  const logSources = await logSourcesSection(context);
  const mutableElements = mutableElementsSection(context);
  return html`${facts}${strategies}${logSources}${mutableElements}`;
}
