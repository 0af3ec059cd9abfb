/** Facts and tables of a technique or sub-technique (`attack-pattern`), in attack.mitre.org's order. */
import { html, type SafeHtml } from '../../render/html.js';
import type { PageContext } from '../page-context.js';
import { booleanFact, contributorsFact, factsSection, listFact, platformsFact } from './fact-list.js';
import { relatedSection, selectRelated } from './related.js';
import { commaJoined } from './tables.js';
import { detectionSection } from './technique-detection.js';
import { parentFact, subTechniquesSection } from './technique-hierarchy.js';
import { tacticLinks } from './technique-tactics.js';

const PROCEDURE_TYPES = ['intrusion-set', 'malware', 'tool', 'campaign'];

async function techniqueFactsSection(context: PageContext): Promise<SafeHtml> {
  const { json } = context;
  return factsSection([
    ['Tactics', commaJoined(await tacticLinks(context))],
    platformsFact(json),
    ['Sub-technique of', parentFact(context)],
    // Removed in ATT&CK 18, where detection strategies replace data sources.
    listFact('Data sources', json, 'x_mitre_data_sources'),
    listFact('Permissions required', json, 'x_mitre_permissions_required'),
    listFact('Effective permissions', json, 'x_mitre_effective_permissions'),
    listFact('Defenses bypassed', json, 'x_mitre_defense_bypassed'),
    listFact('System requirements', json, 'x_mitre_system_requirements'),
    booleanFact('Supports remote execution', json, 'x_mitre_remote_support'),
    booleanFact('Requires network', json, 'x_mitre_network_requirements'),
    listFact('Impact type', json, 'x_mitre_impact_type'),
    listFact('Tactic type', json, 'x_mitre_tactic_type'),
    contributorsFact(json),
  ]);
}

function procedureExamplesSection(context: PageContext): SafeHtml {
  return relatedSection(context, 'procedure-examples', 'Procedure examples', selectRelated(context, 'uses', 'incoming', PROCEDURE_TYPES), {
    nameLabel: 'Name',
    descriptionLabel: 'Description',
    empty: 'No procedure examples are listed for this technique in this release.',
  });
}

/** ICS techniques target assets; other domains have none, so they get no section unless the data has targets. */
function targetedAssetsSection(context: PageContext): SafeHtml {
  const targets = selectRelated(context, 'targets', 'outgoing', ['x-mitre-asset']);
  const relevant = context.release.domain === 'ics-attack' || targets.shown.length > 0 || targets.hiddenCount > 0;
  if (!relevant) return html``;
  return relatedSection(context, 'targeted-assets', 'Targeted assets', targets, {
    nameLabel: 'Asset',
    empty: 'No assets are listed as targets of this technique in this release.',
  });
}

function mitigationsSection(context: PageContext): SafeHtml {
  return relatedSection(context, 'mitigations', 'Mitigations', selectRelated(context, 'mitigates', 'incoming', ['course-of-action']), {
    nameLabel: 'Mitigation',
    descriptionLabel: 'Description',
    empty: 'No mitigations are listed for this technique in this release.',
  });
}

export async function renderTechniqueFacts(context: PageContext): Promise<SafeHtml> {
  const facts = await techniqueFactsSection(context);
  const subTechniques = await subTechniquesSection(context);
  const procedures = procedureExamplesSection(context);
  const assets = targetedAssetsSection(context);
  const mitigations = mitigationsSection(context);
  const detection = await detectionSection(context);
  return html`${facts}${subTechniques}${procedures}${assets}${mitigations}${detection}`;
}
