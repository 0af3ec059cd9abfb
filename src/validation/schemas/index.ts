/**
 * Schemas of every STIX type that ATT&CK releases 12 to 18 contain, looked up by type.
 *
 * The registry contains `z.compile` clones: zod generates a validator function for each
 * schema, which checks a valid object several times faster than the generic parser.
 * An invalid object falls back to the generic parser, so its issues are the same.
 */
import { z } from 'zod';
import type { AttackType } from '../../domain/object-types.js';
import type { TypeSchemas } from '../common.js';
import { ADVERSARY_SCHEMAS } from './adversaries.js';
import { CORE_SCHEMAS, UNKNOWN_TYPE_SCHEMA } from './core.js';
import { DEFENSE_SCHEMAS } from './defenses.js';
import { TECHNIQUE_SCHEMAS } from './techniques.js';

export { RELATIONSHIP_TYPES } from './core.js';

/**
 * The schemas as written, before compilation. Typed as a record of every ATT&CK type,
 * so adding a type to ATTACK_TYPES without a schema fails to compile.
 */
export const UNCOMPILED_SCHEMAS: Readonly<Record<AttackType, TypeSchemas>> = {
  ...TECHNIQUE_SCHEMAS,
  ...ADVERSARY_SCHEMAS,
  ...DEFENSE_SCHEMAS,
  ...CORE_SCHEMAS,
};

function compilePair(pair: TypeSchemas): TypeSchemas {
  // z.compile returns the schema unchanged when it cannot compile it, which keeps the
  // results right but slower. A test compiles every schema in strict mode to catch that.
  const stix20 = z.compile(pair.stix20);
  const stix21 = pair.stix21 === pair.stix20 ? stix20 : z.compile(pair.stix21);
  return { stix20, stix21 };
}

const COMPILED_SCHEMAS: ReadonlyMap<string, TypeSchemas> = new Map(
  Object.entries(UNCOMPILED_SCHEMAS).map(([type, pair]) => [type, compilePair(pair)]),
);

/** Schema for objects of a type outside ATT&CK, compiled like the others. */
export const COMPILED_UNKNOWN_TYPE_SCHEMA: z.ZodType = z.compile(UNKNOWN_TYPE_SCHEMA);

/** Returns the compiled schemas of an ATT&CK type, or undefined for a type outside ATT&CK. */
export function schemasForType(type: string): TypeSchemas | undefined {
  return COMPILED_SCHEMAS.get(type);
}
