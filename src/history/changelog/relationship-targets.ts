/**
 * Targets of `subtechnique-of` and `revoked-by` relationships in one release.
 *
 * The Store has no query for relationships of one type, so this picks the
 * cheaper of two existing queries. On Enterprise 18.1, `relationshipsOf` costs
 * about 13 ms per object and loading every relationship of the release with
 * `objectsOfType` about 400 ms (measured on a 2-core development machine).
 * More than `BULK_THRESHOLD` lookups therefore load them all once.
 * TODO: replace both with a Store query returning the source and target of a
 * release's relationships of given types, without their bytes.
 */
import type { ReleaseInfo, Store } from '../../storage/store.js';

const BULK_THRESHOLD = 30;

export type LookupRelationshipType = 'subtechnique-of' | 'revoked-by';

export class RelationshipTargets {
  private bulk: Map<string, string> | undefined;
  private readonly perObject = new Map<string, Map<string, string>>();

  constructor(
    private readonly store: Store,
    private readonly release: ReleaseInfo,
    /** Lookups the caller expects to make; decides between the two queries. */
    private readonly expectedLookups: number,
  ) {}

  /** Returns the target of the source's first relationship of this type in the release, if any. */
  async target(sourceId: string, relationshipType: LookupRelationshipType): Promise<string | undefined> {
    if (this.expectedLookups > BULK_THRESHOLD) {
      this.bulk ??= await this.loadAll();
      return this.bulk.get(key(sourceId, relationshipType));
    }
    let targets = this.perObject.get(sourceId);
    if (!targets) {
      targets = new Map();
      for (const relationship of await this.store.relationshipsOf(sourceId, this.release.id)) {
        const fields = relationship.relationship;
        if (fields && fields.sourceRef === sourceId && !targets.has(fields.relationshipType)) {
          targets.set(fields.relationshipType, fields.targetRef);
        }
      }
      this.perObject.set(sourceId, targets);
    }
    return targets.get(relationshipType);
  }

  private async loadAll(): Promise<Map<string, string>> {
    const targets = new Map<string, string>();
    for (const relationship of await this.store.objectsOfType(this.release.id, ['relationship'])) {
      const fields = relationship.relationship;
      if (!fields || (fields.relationshipType !== 'subtechnique-of' && fields.relationshipType !== 'revoked-by')) continue;
      const lookupKey = key(fields.sourceRef, fields.relationshipType);
      if (!targets.has(lookupKey)) targets.set(lookupKey, fields.targetRef);
    }
    return targets;
  }
}

function key(sourceId: string, relationshipType: string): string {
  return `${relationshipType} ${sourceId}`;
}
