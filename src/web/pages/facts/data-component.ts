/**
 * Facts and tables of a data component (`x-mitre-data-component`). Before
 * ATT&CK 18 a component detects techniques through `detects` relationships.
 * From 18 on it lists log sources, and analytics name it in their log source
 * references.
 */
import { objectList, stringField, stringList } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { commaList, objectLink, section } from '../components.js';
import { parseSnapshot, type PageContext } from '../page-context.js';
import { contributorsFact, factsSection } from './fact-list.js';
import { relatedSection, selectRelated } from './related.js';
import { hasDetectionStrategies } from './release.js';
import { resolveObjects, resolvedLink } from './resolve.js';
import { compareSnapshots, simpleTable } from './tables.js';

async function dataSourceFact(context: PageContext): Promise<SafeHtml | undefined> {
  const sourceId = stringField(context.json, 'x_mitre_data_source_ref');
  if (sourceId === undefined) return undefined;
  return resolvedLink(await resolveObjects(context, [sourceId]), sourceId);
}

/** `x_mitre_log_sources` entries `{name, channel}`, added in ATT&CK 18. */
function logSourcesSection(context: PageContext): SafeHtml {
  const rows = objectList(context.json, 'x_mitre_log_sources').map((entry) => [
    html`<code>${stringField(entry, 'name') ?? ''}</code>`,
    stringField(entry, 'channel') ?? '',
  ]);
  return section('log-sources', 'Log sources', simpleTable(['Name', 'Channel'], rows, 'MITRE lists no log sources for this data component in this release.'));
}

async function analyticsSection(context: PageContext): Promise<SafeHtml> {
  const referrers = await context.store.referrers(
    context.object.stixId,
    context.release.id,
    'x_mitre_log_source_references.x_mitre_data_component_ref',
  );
  const rows = referrers
    .filter((object) => object.type === 'x-mitre-analytic')
    .sort(compareSnapshots)
    .map((analytic) => [
      analytic.attackId ?? '',
      objectLink(analytic, analytic.stixId),
      commaList(stringList(parseSnapshot(analytic), 'x_mitre_platforms')),
    ]);
  return section('analytics', 'Analytics', simpleTable(['ID', 'Analytic', 'Platforms'], rows, 'No analytics use this data component in this release.'));
}

export async function renderDataComponentFacts(context: PageContext): Promise<SafeHtml> {
  const strategyRelease = hasDetectionStrategies(context.release);
  const facts = factsSection([['Data source', await dataSourceFact(context)], contributorsFact(context.json)]);
  const hasLogSources = context.json.x_mitre_log_sources !== undefined;
  const logSources = strategyRelease || hasLogSources ? logSourcesSection(context) : html``;
  const analytics = strategyRelease ? await analyticsSection(context) : html``;

  const detects = selectRelated(context, 'detects', 'outgoing', ['attack-pattern']);
  const showDetects = !strategyRelease || detects.shown.length > 0 || detects.hiddenCount > 0;
  const techniques = showDetects
    ? relatedSection(context, 'techniques-detected', 'Techniques detected', detects, {
        nameLabel: 'Technique',
        descriptionLabel: 'Detects',
        empty: 'This data component detects no techniques in this release.',
      })
    : html``;
  return html`${facts}${logSources}${analytics}${techniques}`;
}
