/** Names, colors and object types of the changelog's categories and sections. */
import type { Category, Section } from './schema.js';

export const CATEGORY_LABELS: Record<Category, string> = {
  additions: 'New objects',
  deletions: 'Deleted objects',
  revocations: 'Revocations',
  deprecations: 'Deprecations',
  major: 'Major version changes',
  minor: 'Minor version changes',
  other: 'Other version changes',
  patches: 'Patches',
  unchanged: 'Unchanged',
};

/** Colors of the categories in the chart and the Navigator layer; the layer needs `#rrggbb`. */
export const CATEGORY_COLORS: Record<Category, string> = {
  additions: '#2e7d32',
  deletions: '#c62828',
  revocations: '#6a1b9a',
  deprecations: '#8d6e63',
  major: '#ef6c00',
  minor: '#fbc02d',
  other: '#0288d1',
  patches: '#90caf9',
  unchanged: '#e0e0e0',
};

export interface SectionInfo {
  label: string;
  types: readonly string[];
}

export const SECTION_INFO: Record<Section, SectionInfo> = {
  techniques: { label: 'Techniques', types: ['attack-pattern'] },
  tactics: { label: 'Tactics', types: ['x-mitre-tactic'] },
  software: { label: 'Software', types: ['malware', 'tool'] },
  groups: { label: 'Groups', types: ['intrusion-set'] },
  campaigns: { label: 'Campaigns', types: ['campaign'] },
  assets: { label: 'Assets', types: ['x-mitre-asset'] },
  mitigations: { label: 'Mitigations', types: ['course-of-action'] },
  datasources: { label: 'Data Sources', types: ['x-mitre-data-source'] },
  datacomponents: { label: 'Data Components', types: ['x-mitre-data-component'] },
  detectionstrategies: { label: 'Detection Strategies', types: ['x-mitre-detection-strategy'] },
  analytics: { label: 'Analytics', types: ['x-mitre-analytic'] },
};

/** Every STIX type a changelog covers. */
export const CHANGELOG_TYPES: readonly string[] = Object.values(SECTION_INFO).flatMap((info) => info.types);

const SECTION_BY_TYPE = new Map<string, Section>(
  Object.entries(SECTION_INFO).flatMap(([section, info]) => info.types.map((type) => [type, section as Section] as const)),
);

export function sectionOfType(type: string): Section | undefined {
  return SECTION_BY_TYPE.get(type);
}
