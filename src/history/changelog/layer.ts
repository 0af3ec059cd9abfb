/**
 * An ATT&CK Navigator layer (layer format 4.5) that colors each changed
 * technique by its category, with a legend. Deleted techniques are left out
 * because the newer release's matrix, which the layer is drawn on, does not
 * contain them.
 */
import { parseVersion } from '../../domain/versions.js';
import { CATEGORY_COLORS, CATEGORY_LABELS } from './categories.js';
import { domainTitle } from './markdown.js';
import { labelOf, versionText } from './grouping.js';
import { CATEGORIES, type Category, type Changelog, type ChangelogEntry } from './schema.js';

export interface NavigatorTechnique {
  techniqueID: string;
  tactic?: string;
  color: string;
  comment: string;
  enabled: true;
  showSubtechniques?: boolean;
}

export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: '4.5' };
  domain: string;
  description: string;
  sorting: number;
  layout: { layout: 'side'; aggregateFunction: 'average'; showID: boolean; showName: boolean; showAggregateScores: boolean; countUnscored: boolean; expandedSubtechniques: 'none' };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

/** Navigator version whose layer format is 4.5. */
const NAVIGATOR_VERSION = '5.1.0';

function comment(entry: ChangelogEntry): string {
  const parts = [CATEGORY_LABELS[entry.category]];
  const version = versionText(entry);
  if (version) parts.push(version);
  if (entry.category === 'revocations') parts.push(entry.replacement ? `replaced by ${labelOf(entry.replacement)}` : 'replacement: none given');
  if (entry.tactics) {
    const names = (tactics: typeof entry.tactics.old) => tactics.map((tactic) => tactic.tactic?.name ?? tactic.shortname).join(', ') || 'none';
    parts.push(`tactics: ${names(entry.tactics.old)} \u2192 ${names(entry.tactics.new)}`);
  }
  return parts.join('; ');
}

export function renderNavigatorLayer(changelog: Changelog): NavigatorLayer {
  const techniqueEntries = changelog.entries.filter(
    (entry) => entry.section === 'techniques' && entry.category !== 'deletions' && entry.attackId !== null,
  );
  const techniques: NavigatorTechnique[] = techniqueEntries.map((entry) => ({
    techniqueID: entry.attackId as string,
    color: CATEGORY_COLORS[entry.category],
    comment: comment(entry),
    enabled: true,
  }));

  // Parents of listed sub-techniques show them expanded; a parent without an entry of its own gets no color.
  const byId = new Map(techniques.map((technique) => [technique.techniqueID, technique]));
  for (const entry of techniqueEntries) {
    const parentId = entry.isSubtechnique ? (entry.parent?.attackId ?? entry.attackId?.split('.')[0]) : undefined;
    if (!parentId) continue;
    let parent = byId.get(parentId);
    if (!parent) {
      parent = { techniqueID: parentId, color: '', comment: '', enabled: true };
      byId.set(parentId, parent);
      techniques.push(parent);
    }
    parent.showSubtechniques = true;
  }

  const present = new Set<Category>(techniqueEntries.map((entry) => entry.category));
  const deleted = changelog.summary.bySection.techniques.deletions;
  const description =
    `Techniques of ${domainTitle(changelog.domain)} colored by how they changed from release ${changelog.from.version} to ${changelog.to.version}.` +
    (deleted > 0 ? ` ${deleted} deleted techniques are not shown because release ${changelog.to.version} does not contain them.` : '');

  return {
    name: `${domainTitle(changelog.domain)} changes ${changelog.from.version} to ${changelog.to.version}`,
    versions: { attack: String(parseVersion(changelog.to.version)?.major ?? changelog.to.version), navigator: NAVIGATOR_VERSION, layer: '4.5' },
    domain: changelog.domain,
    description,
    sorting: 0,
    layout: { layout: 'side', aggregateFunction: 'average', showID: true, showName: true, showAggregateScores: false, countUnscored: false, expandedSubtechniques: 'none' },
    hideDisabled: false,
    techniques,
    // The layer colors techniques directly and has no scores, so the gradient is never used.
    gradient: { colors: ['#ffffff', '#ffffff'], minValue: 0, maxValue: 1 },
    legendItems: CATEGORIES.filter((category) => present.has(category)).map((category) => ({ label: CATEGORY_LABELS[category], color: CATEGORY_COLORS[category] })),
    metadata: [
      { name: 'from release', value: changelog.from.version },
      { name: 'to release', value: changelog.to.version },
    ],
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
