/**
 * Results of checking one STIX object against the ATT&CK data model.
 *
 * A fault makes the whole bundle unusable (the import is rejected); a warning
 * records a deviation that MITRE's own releases contain, and the object is kept.
 */
export const WARNING_KINDS = [
  'empty-relationship-description',
  'empty-detection',
  'legacy-source-name',
  'unknown-platform',
  'unknown-custom-field',
  'missing-spec-version',
  'unknown-type',
  'missing-field',
  'invalid-field',
] as const;

export type WarningKind = (typeof WARNING_KINDS)[number];

export interface ObjectWarning {
  kind: WarningKind;
  /** Dotted path of the field, for example `external_references[0].source_name`. */
  field: string;
  message: string;
}

export interface ObjectFault {
  /** Name of the field, or `''` when the value itself is not a JSON object. */
  field: string;
  message: string;
}

export interface ValidationContext {
  /** `spec_version` of the bundle itself: "2.0" for MITRE cti bundles, undefined for STIX 2.1 bundles. */
  bundleSpecVersion: string | undefined;
  /** Domain of the release being imported, such as `enterprise-attack`. */
  domain: string;
}

export interface ValidationResult {
  faults: ObjectFault[];
  warnings: ObjectWarning[];
}
