/** Changelogs of a domain between two imported releases, and their formats. */
export { buildChangelog, compareEntries, type ChangelogOptions } from './build.js';
export { classifyChange, versionStep, type ComparableObject, type VersionStep } from './classify.js';
export { CATEGORY_COLORS, CATEGORY_LABELS, CHANGELOG_TYPES, SECTION_INFO } from './categories.js';
export { renderChangesFeed } from './feed.js';
export { renderNavigatorLayer, type NavigatorLayer, type NavigatorTechnique } from './layer.js';
export { renderChangelogMarkdown, type MarkdownOptions } from './markdown.js';
export { renderChangelogPage, renderChangesIndex, renderLookupNotFound } from './page.js';
export { changelogPath, changesPath, feedPath, parseRange } from './paths.js';
export { ReleaseLookupError, requireDomain, requireRelease } from './releases.js';
export * from './schema.js';
export { ChangeSeries, type ReleaseStep } from './series.js';
