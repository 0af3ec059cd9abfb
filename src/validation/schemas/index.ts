/**
 * Schemas of every STIX type that ATT&CK releases 12 to 18 contain, looked up by type.
 */
import type { AttackType } from '../../domain/object-types.js';
import type { TypeSchemas } from '../common.js';
import { ADVERSARY_SCHEMAS } from './adversaries.js';
import { CORE_SCHEMAS } from './core.js';
import { DEFENSE_SCHEMAS } from './defenses.js';
import { TECHNIQUE_SCHEMAS } from './techniques.js';

export { RELATIONSHIP_TYPES, UNKNOWN_TYPE_SCHEMA } from './core.js';

// Typed as a record of every ATT&CK type, so adding a type to ATTACK_TYPES without a
// schema fails to compile.
const SCHEMAS: Record<AttackType, TypeSchemas> = {
  ...TECHNIQUE_SCHEMAS,
  ...ADVERSARY_SCHEMAS,
  ...DEFENSE_SCHEMAS,
  ...CORE_SCHEMAS,
};

import { z } from 'zod';
function compilePair(pair: TypeSchemas): TypeSchemas {
  const stix20 = z.compile(pair.stix20, { strict: true });
  const stix21 = pair.stix21 === pair.stix20 ? stix20 : z.compile(pair.stix21, { strict: true });
  return { stix20, stix21 };
}
const SCHEMAS_BY_TYPE: ReadonlyMap<string, TypeSchemas> = new Map(Object.entries(SCHEMAS).map(([t, p]) => [t, compilePair(p)]));

/** Returns the schemas of an ATT&CK type, or undefined for a type outside ATT&CK. */
export function schemasForType(type: string): TypeSchemas | undefined {
  return SCHEMAS_BY_TYPE.get(type);
}
