/**
 * Relationships that an object gained and lost between two releases. MITRE
 * sometimes deletes a relationship and creates the same one under a new STIX
 * ID, so relationships are matched first by STIX ID and then by type,
 * direction and the object at the other end. Only relationships matched by
 * neither count as gained or lost.
 */

/** One relationship as seen from the compared object. */
export interface RelationshipEnd {
  /** STIX ID of the relationship. */
  relationshipId: string;
  relationshipType: string;
  /** "outgoing" when the compared object is the relationship's source. */
  direction: 'outgoing' | 'incoming';
  /** STIX ID of the object at the other end. */
  otherId: string;
}

/** The object at the other end of a relationship, as the page shows it. */
export interface OtherObject {
  stixId: string;
  type: string;
  attackId: string | null;
  name: string | null;
}

export interface RelationshipDelta extends RelationshipEnd {
  /** The other object, or undefined when no imported release contains it. */
  other: OtherObject | undefined;
}

/** A relationship that MITRE re-created under a new STIX ID. */
export interface RecreatedRelationship extends RelationshipDelta {
  previousRelationshipId: string;
}

export interface RelationshipComparison {
  gained: RelationshipDelta[];
  lost: RelationshipDelta[];
  recreated: RecreatedRelationship[];
  /** Number of relationships with the same STIX ID in both releases. */
  matchedById: number;
}

/** Finds the other object of a relationship in the release on the given side of the comparison. */
export type ResolveOther = (otherId: string, side: 'from' | 'to') => OtherObject | undefined;

/** The parts of a stored relationship that `relationshipEnds` reads. */
export interface RelationshipRecord {
  stixId: string;
  relationship: { relationshipType: string; sourceRef: string; targetRef: string } | null;
}

/** Turns stored relationships of the object `subjectId` into ends seen from that object, skipping records without relationship fields. */
export function relationshipEnds(subjectId: string, relationships: readonly RelationshipRecord[]): RelationshipEnd[] {
  const ends: RelationshipEnd[] = [];
  for (const record of relationships) {
    const fields = record.relationship;
    if (fields === null) continue;
    const outgoing = fields.sourceRef === subjectId;
    ends.push({
      relationshipId: record.stixId,
      relationshipType: fields.relationshipType,
      direction: outgoing ? 'outgoing' : 'incoming',
      otherId: outgoing ? fields.targetRef : fields.sourceRef,
    });
  }
  return ends;
}

function endKey(end: RelationshipEnd): string {
  return JSON.stringify([end.relationshipType, end.direction, end.otherId]);
}

function sortKey(delta: RelationshipDelta): string {
  return delta.other?.attackId ?? delta.other?.name ?? delta.otherId;
}

/** Sorts by relationship type, then by the other object's ATT&CK ID (T1059 before T1059.001 before T1106) or name. */
function compareDeltas(a: RelationshipDelta, b: RelationshipDelta): number {
  return a.relationshipType.localeCompare(b.relationshipType) || sortKey(a).localeCompare(sortKey(b), 'en', { numeric: true });
}

/** Compares the relationships of one object in two releases. */
export function compareRelationships(
  fromRelationships: readonly RelationshipEnd[],
  toRelationships: readonly RelationshipEnd[],
  resolve: ResolveOther,
): RelationshipComparison {
  const fromIds = new Set(fromRelationships.map((end) => end.relationshipId));
  const toIds = new Set(toRelationships.map((end) => end.relationshipId));
  const matchedById = toRelationships.filter((end) => fromIds.has(end.relationshipId)).length;

  // Relationships of the older release that have no same-ID partner, grouped by key. Repeated keys pair up in order.
  const unmatchedFrom = new Map<string, RelationshipEnd[]>();
  for (const end of fromRelationships) {
    if (toIds.has(end.relationshipId)) continue;
    const key = endKey(end);
    const group = unmatchedFrom.get(key);
    if (group) group.push(end);
    else unmatchedFrom.set(key, [end]);
  }

  const gained: RelationshipDelta[] = [];
  const recreated: RecreatedRelationship[] = [];
  for (const end of toRelationships) {
    if (fromIds.has(end.relationshipId)) continue;
    const previous = unmatchedFrom.get(endKey(end))?.shift();
    const delta = { ...end, other: resolve(end.otherId, 'to') };
    if (previous === undefined) gained.push(delta);
    else recreated.push({ ...delta, previousRelationshipId: previous.relationshipId });
  }

  const lost = [...unmatchedFrom.values()].flat().map((end) => ({ ...end, other: resolve(end.otherId, 'from') }));

  return {
    gained: gained.sort(compareDeltas),
    lost: lost.sort(compareDeltas),
    recreated: recreated.sort(compareDeltas),
    matchedById,
  };
}
