/**
 * The detection section of a technique. Before ATT&CK 18 it is the Markdown
 * text `x_mitre_detection` and the data components with a `detects`
 * relationship to the technique. From 18 on it is the detection strategies that
 * detect it, each with its analytics. The section shows whichever the release has.
 */
import { externalReferences, stringField, stringList } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderDescription } from '../../render/markdown.js';
import { objectLink, relationshipDescription, section } from '../components.js';
import { parseSnapshot, type PageContext, type RelationshipView } from '../page-context.js';
import { hasDetectionStrategies } from './release.js';
import { hiddenNote, selectRelated, type RelatedSelection } from './related.js';
import { resolveObjects, resolvedLink, resolvedSnapshot, type ResolvedObjects } from './resolve.js';
import { bulletList, simpleTable } from './tables.js';

function otherRef(view: RelationshipView, key: string): string | undefined {
  return view.other ? stringField(parseSnapshot(view.other), key) : undefined;
}

function otherRefs(view: RelationshipView, key: string): string[] {
  return view.other ? stringList(parseSnapshot(view.other), key) : [];
}

function detectionText(context: PageContext): SafeHtml {
  const text = stringField(context.json, 'x_mitre_detection')?.trim();
  if (!text) return html``;
  return html`<div class="description">${renderDescription(text, externalReferences(context.json), context.citations)}</div>`;
}

function analyticItem(resolved: ResolvedObjects, analyticId: string): SafeHtml {
  const analytic = resolvedSnapshot(resolved, analyticId);
  const platforms = analytic ? stringList(parseSnapshot(analytic), 'x_mitre_platforms').join(', ') : '';
  return html`${resolvedLink(resolved, analyticId)}${platforms ? ` (${platforms})` : ''}`;
}

async function strategyTable(context: PageContext, strategies: RelatedSelection): Promise<SafeHtml> {
  const resolved = await resolveObjects(context, strategies.shown.flatMap((view) => otherRefs(view, 'x_mitre_analytic_refs')));
  const rows = strategies.shown.map((view) => [
    view.other?.attackId ?? '',
    objectLink(view.other, view.otherId, view.otherInRelease, true),
    bulletList(otherRefs(view, 'x_mitre_analytic_refs').map((id) => analyticItem(resolved, id))),
  ]);
  return html`<h3>Detection strategies</h3>
    ${simpleTable(['ID', 'Detection strategy', 'Analytics'], rows, 'No detection strategies detect this technique in this release.')}
    ${hiddenNote(strategies.hiddenCount)}`;
}

interface ComponentRow {
  view: RelationshipView;
  sourceId: string | undefined;
  sourceAttackId: string | undefined;
}

/** Orders rows by data source ID, then by component name. Components without a data source come last. */
function compareComponentRows(a: ComponentRow, b: ComponentRow): number {
  if (a.sourceAttackId === undefined || b.sourceAttackId === undefined) {
    if (a.sourceAttackId !== b.sourceAttackId) return a.sourceAttackId === undefined ? 1 : -1;
  } else {
    const bySource = a.sourceAttackId.localeCompare(b.sourceAttackId, 'en', { numeric: true });
    if (bySource !== 0) return bySource;
  }
  return (a.view.other?.name ?? a.view.otherId).localeCompare(b.view.other?.name ?? b.view.otherId, 'en');
}

/** Renders the data components with the data source each belongs to (`x_mitre_data_source_ref`), sorted by data source. */
async function componentTable(context: PageContext, components: RelatedSelection): Promise<SafeHtml> {
  const sourceIds = components.shown.map((view) => otherRef(view, 'x_mitre_data_source_ref'));
  const resolved = await resolveObjects(context, sourceIds.filter((id): id is string => id !== undefined));

  const componentRows: ComponentRow[] = components.shown.map((view, index) => {
    const sourceId = sourceIds[index];
    const sourceAttackId = sourceId === undefined ? undefined : (resolvedSnapshot(resolved, sourceId)?.attackId ?? undefined);
    return { view, sourceId, sourceAttackId };
  });
  const rows = componentRows.sort(compareComponentRows).map(({ view, sourceId, sourceAttackId }) => [
    sourceAttackId ?? '',
    sourceId === undefined ? html`<span class="empty">none given</span>` : resolvedLink(resolved, sourceId),
    objectLink(view.other, view.otherId, view.otherInRelease),
    relationshipDescription(context, view),
  ]);
  return html`<h3>Data components</h3>
    ${simpleTable(['ID', 'Data source', 'Data component', 'Detects'], rows, 'No data components detect this technique in this release.')}
    ${hiddenNote(components.hiddenCount)}`;
}

export async function detectionSection(context: PageContext): Promise<SafeHtml> {
  const strategies = selectRelated(context, 'detects', 'incoming', ['x-mitre-detection-strategy']);
  const components = selectRelated(context, 'detects', 'incoming', ['x-mitre-data-component']);
  const strategyRelease = hasDetectionStrategies(context.release);
  const showStrategies = strategyRelease || strategies.shown.length > 0;
  const showComponents = !strategyRelease || components.shown.length > 0;

  return section(
    'detection',
    'Detection',
    html`${detectionText(context)}
    ${showStrategies ? await strategyTable(context, strategies) : ''}
    ${showComponents ? await componentTable(context, components) : ''}`,
  );
}
