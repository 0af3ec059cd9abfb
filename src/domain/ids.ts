/**
 * Identifiers of ATT&CK objects. A STIX ID (`attack-pattern--<uuid>`) names one
 * object across releases; an ATT&CK ID (`T1059.001`) is its human name and is not
 * unique across types, so the two are kept as distinct types.
 */
export type StixId = string & { readonly __brand: 'StixId' };
export type AttackId = string & { readonly __brand: 'AttackId' };

/** STIX 2.x identifier: `<type>--<UUID>`, as the STIX 2.1 specification (section 2.9) defines it. */
const STIX_ID_PATTERN = /^([a-z0-9][a-z0-9-]*[a-z0-9])--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export function isStixId(value: string): value is StixId {
  return STIX_ID_PATTERN.test(value);
}

/** Returns the type part of a STIX ID, or undefined when the value is not a STIX ID. */
export function stixIdType(value: string): string | undefined {
  return STIX_ID_PATTERN.exec(value)?.[1];
}

export function toStixId(value: string): StixId {
  if (!isStixId(value)) throw new Error(`invalid STIX ID "${value}": expected <type>--<UUID>`);
  return value;
}

export function toAttackId(value: string): AttackId {
  return value as AttackId;
}
