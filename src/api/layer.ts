/**
 * An ATT&CK Navigator layer (layer format 4.5) of the techniques one group, software, campaign
 * or mitigation is linked to, in the shape of the changelog layer.
 */
import { stringField } from '../domain/stix-object.js';
import { DOMAIN_LABELS, isDomain, typeLabel } from '../domain/object-types.js';
import { parseVersion } from '../domain/versions.js';
import { BadRequestError } from '../errors.js';
import type { NavigatorLayer, NavigatorTechnique } from '../history/changelog/layer.js';
import type { ObjectSnapshot, Store } from '../storage/store.js';
import { parseSnapshot } from '../web/pages/page-context.js';
import { releaseKey } from '../web/links.js';

/** The relationship that links each supported type to techniques, with the object as its source. */
const LAYER_RELATIONSHIPS: Record<string, string> = {
  'intrusion-set': 'uses',
  malware: 'uses',
  tool: 'uses',
  campaign: 'uses',
  'course-of-action': 'mitigates',
};

/** Navigator version whose layer format is 4.5, as in the changelog layer. */
const NAVIGATOR_VERSION = '5.1.0';

/** A technique entry with a score; parents added only to expand their sub-techniques have none. */
export interface ScoredTechnique extends NavigatorTechnique {
  score?: number;
}

export type ObjectLayer = Omit<NavigatorLayer, 'techniques'> & { techniques: ScoredTechnique[] };

function displayName(object: ObjectSnapshot): string {
  const name = object.name ?? object.stixId;
  return object.attackId ? `${object.attackId} ${name}` : name;
}

/**
 * Builds the layer from the object's relationships in its snapshot's release. Revoked and
 * deprecated relationships are left out because ATT&CK no longer asserts them. A technique named
 * by several relationships gets one entry with their descriptions joined.
 */
export async function buildObjectLayer(store: Store, object: ObjectSnapshot): Promise<ObjectLayer> {
  const relationshipType = LAYER_RELATIONSHIPS[object.type];
  if (relationshipType === undefined) {
    const supported = Object.keys(LAYER_RELATIONSHIPS).join(', ');
    throw new BadRequestError(
      `${displayName(object)} is a ${object.type}; layers exist only for ${supported}. Request the layer of a group, software, campaign or mitigation.`,
    );
  }

  const release = object.release;
  const relationships = (await store.relationshipsOf(object.stixId, release.id)).filter(
    (relationship) =>
      relationship.relationship?.relationshipType === relationshipType &&
      relationship.relationship.sourceRef === object.stixId &&
      relationship.relationship.targetRef.startsWith('attack-pattern--') &&
      !relationship.revoked &&
      !relationship.deprecated,
  );
  const targetIds = relationships.map((relationship) => relationship.relationship?.targetRef ?? '');
  const targets = await store.objectsIn(release.id, targetIds);

  const byId = new Map<string, ScoredTechnique>();
  for (const relationship of relationships) {
    const technique = targets.get(relationship.relationship?.targetRef ?? '');
    // Navigator addresses techniques by ATT&CK ID, so a target outside the release cannot be shown.
    if (!technique?.attackId) continue;
    const description = stringField(parseSnapshot(relationship), 'description') ?? '';
    const known = byId.get(technique.attackId);
    if (known) {
      known.comment = [known.comment, description].filter(Boolean).join('\n\n');
      continue;
    }
    byId.set(technique.attackId, { techniqueID: technique.attackId, score: 1, color: '', comment: description, enabled: true });
  }

  // Parents of listed sub-techniques show them expanded; a parent that is not itself linked gets no score.
  for (const techniqueId of [...byId.keys()]) {
    const parentId = techniqueId.includes('.') ? techniqueId.split('.')[0] : undefined;
    if (parentId === undefined) continue;
    let parent = byId.get(parentId);
    if (!parent) {
      parent = { techniqueID: parentId, color: '', comment: '', enabled: true };
      byId.set(parentId, parent);
    }
    parent.showSubtechniques = true;
  }

  const techniques = [...byId.values()].sort((a, b) => a.techniqueID.localeCompare(b.techniqueID, 'en'));
  const domainLabel = isDomain(release.domain) ? DOMAIN_LABELS[release.domain] : release.domain;
  const label = typeLabel(object.type).toLowerCase();
  const verb = relationshipType === 'uses' ? 'uses' : 'mitigates';
  return {
    name: `${displayName(object)} (${domainLabel} ${release.version})`,
    versions: { attack: String(parseVersion(release.version)?.major ?? release.version), navigator: NAVIGATOR_VERSION, layer: '4.5' },
    domain: release.domain,
    description: `Techniques that the ${label} ${displayName(object)} ${verb} in ATT&CK release ${releaseKey(release)}, scored 1, with each relationship's description as the comment.`,
    sorting: 0,
    layout: { layout: 'side', aggregateFunction: 'average', showID: true, showName: true, showAggregateScores: false, countUnscored: false, expandedSubtechniques: 'none' },
    hideDisabled: false,
    techniques,
    gradient: { colors: ['#ffffff', '#66b1ff'], minValue: 0, maxValue: 1 },
    legendItems: [],
    metadata: [
      { name: 'object', value: object.stixId },
      { name: 'release', value: releaseKey(release) },
    ],
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
