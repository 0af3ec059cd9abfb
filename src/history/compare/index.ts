/** Comparison of one ATT&CK object between two releases: its fields, lists, prose, references and relationships. */
export { compareObjects } from './object-comparison.js';
export type {
  FieldChange,
  FieldStatus,
  JsonChange,
  ListChange,
  ObjectComparison,
  ReferencesChange,
  ScalarChange,
  TextChange,
} from './object-comparison.js';
export { diffLists, type ListDiff } from './list-diff.js';
export { diffReferences, type ReferenceChange, type ReferenceDiff } from './reference-diff.js';
export { diffText, type TextDiffPart } from './text-diff.js';
export { compareRelationships, relationshipEnds } from './relationship-comparison.js';
export type {
  OtherObject,
  RecreatedRelationship,
  RelationshipComparison,
  RelationshipDelta,
  RelationshipEnd,
  RelationshipRecord,
  ResolveOther,
} from './relationship-comparison.js';
export { defaultPair, findSnapshot, preferredPerVersion, releaseName, type SelectableSnapshot } from './release-selection.js';
