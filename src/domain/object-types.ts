/**
 * The STIX object types that ATT&CK releases 12 to 18 contain, and how the
 * library names and addresses each one. Paths follow attack.mitre.org.
 */
export const ATTACK_TYPES = [
  'attack-pattern',
  'x-mitre-tactic',
  'course-of-action',
  'intrusion-set',
  'malware',
  'tool',
  'campaign',
  'x-mitre-data-source',
  'x-mitre-data-component',
  'x-mitre-detection-strategy',
  'x-mitre-analytic',
  'x-mitre-asset',
  'x-mitre-matrix',
  'x-mitre-collection',
  'identity',
  'marking-definition',
  'relationship',
] as const;

export type AttackType = (typeof ATTACK_TYPES)[number];

export function isAttackType(type: string): type is AttackType {
  return (ATTACK_TYPES as readonly string[]).includes(type);
}

export const DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'] as const;
export type Domain = (typeof DOMAINS)[number];

export function isDomain(value: string): value is Domain {
  return (DOMAINS as readonly string[]).includes(value);
}

export const DOMAIN_LABELS: Record<Domain, string> = {
  'enterprise-attack': 'Enterprise',
  'mobile-attack': 'Mobile',
  'ics-attack': 'ICS',
};

/** A section of the site: its URL segment, its label and the STIX types it shows. */
export interface PageKind {
  segment: string;
  label: string;
  plural: string;
  types: readonly AttackType[];
}

export const PAGE_KINDS: readonly PageKind[] = [
  { segment: 'techniques', label: 'Technique', plural: 'Techniques', types: ['attack-pattern'] },
  { segment: 'tactics', label: 'Tactic', plural: 'Tactics', types: ['x-mitre-tactic'] },
  { segment: 'mitigations', label: 'Mitigation', plural: 'Mitigations', types: ['course-of-action'] },
  { segment: 'groups', label: 'Group', plural: 'Groups', types: ['intrusion-set'] },
  { segment: 'software', label: 'Software', plural: 'Software', types: ['malware', 'tool'] },
  { segment: 'campaigns', label: 'Campaign', plural: 'Campaigns', types: ['campaign'] },
  { segment: 'datasources', label: 'Data Source', plural: 'Data Sources', types: ['x-mitre-data-source'] },
  { segment: 'datacomponents', label: 'Data Component', plural: 'Data Components', types: ['x-mitre-data-component'] },
  { segment: 'detectionstrategies', label: 'Detection Strategy', plural: 'Detection Strategies', types: ['x-mitre-detection-strategy'] },
  { segment: 'analytics', label: 'Analytic', plural: 'Analytics', types: ['x-mitre-analytic'] },
  { segment: 'assets', label: 'Asset', plural: 'Assets', types: ['x-mitre-asset'] },
];

const TYPE_LABELS: Record<string, string> = {
  'attack-pattern': 'Technique',
  'x-mitre-tactic': 'Tactic',
  'course-of-action': 'Mitigation',
  'intrusion-set': 'Group',
  malware: 'Software (malware)',
  tool: 'Software (tool)',
  campaign: 'Campaign',
  'x-mitre-data-source': 'Data Source',
  'x-mitre-data-component': 'Data Component',
  'x-mitre-detection-strategy': 'Detection Strategy',
  'x-mitre-analytic': 'Analytic',
  'x-mitre-asset': 'Asset',
  'x-mitre-matrix': 'Matrix',
  'x-mitre-collection': 'Collection',
  identity: 'Identity',
  'marking-definition': 'Marking Definition',
  relationship: 'Relationship',
};

/** Returns the human label of a STIX type; unknown types are shown as they are spelled. */
export function typeLabel(type: string, isSubtechnique = false): string {
  if (type === 'attack-pattern' && isSubtechnique) return 'Sub-technique';
  return TYPE_LABELS[type] ?? type;
}

export function pageKindForSegment(segment: string): PageKind | undefined {
  return PAGE_KINDS.find((kind) => kind.segment === segment);
}

export function pageKindForType(type: string): PageKind | undefined {
  return PAGE_KINDS.find((kind) => (kind.types as readonly string[]).includes(type));
}
