/**
 * The facts and tables that attack.mitre.org shows for each ATT&CK object
 * type, rendered after the object's description. Types that have none
 * (identity, marking-definition, relationship, collection and types this
 * library does not know) render nothing.
 */
import { html, type SafeHtml } from '../../render/html.js';
import type { PageContext } from '../page-context.js';
import { renderAnalyticFacts } from './analytic.js';
import { renderAssetFacts } from './asset.js';
import { renderCampaignFacts } from './campaign.js';
import { renderDataComponentFacts } from './data-component.js';
import { renderDataSourceFacts } from './data-source.js';
import { renderDetectionStrategyFacts } from './detection-strategy.js';
import { renderGroupFacts } from './group.js';
import { renderMatrixFacts } from './matrix.js';
import { renderMitigationFacts } from './mitigation.js';
import { renderSoftwareFacts } from './software.js';
import { renderTacticFacts } from './tactic.js';
import { renderTechniqueFacts } from './technique.js';

type FactsRenderer = (context: PageContext) => SafeHtml | Promise<SafeHtml>;

const RENDERERS: Record<string, FactsRenderer> = {
  'attack-pattern': renderTechniqueFacts,
  'intrusion-set': renderGroupFacts,
  malware: renderSoftwareFacts,
  tool: renderSoftwareFacts,
  campaign: renderCampaignFacts,
  'course-of-action': renderMitigationFacts,
  'x-mitre-tactic': renderTacticFacts,
  'x-mitre-data-source': renderDataSourceFacts,
  'x-mitre-data-component': renderDataComponentFacts,
  'x-mitre-detection-strategy': renderDetectionStrategyFacts,
  'x-mitre-analytic': renderAnalyticFacts,
  'x-mitre-asset': renderAssetFacts,
  'x-mitre-matrix': renderMatrixFacts,
};

export async function renderTypeFacts(context: PageContext): Promise<SafeHtml> {
  const render = Object.hasOwn(RENDERERS, context.object.type) ? RENDERERS[context.object.type] : undefined;
  return render === undefined ? html`` : render(context);
}
