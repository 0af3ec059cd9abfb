/** The Atom feed of a domain's imported releases, newest first, each with its change counts against the previous one. */
import { Feed } from 'feed';
import { CATEGORY_LABELS } from './categories.js';
import { domainTitle } from './markdown.js';
import { changelogPath, changesPath, feedPath } from './paths.js';
import { CATEGORIES } from './schema.js';
import type { ReleaseStep } from './series.js';

/** Entry date: the release's latest `modified`, else its import time. */
function stepDate(step: ReleaseStep): Date {
  const modified = step.latestModified === null ? Number.NaN : Date.parse(step.latestModified);
  return Number.isNaN(modified) ? new Date(step.release.importedAt) : new Date(modified);
}

function summaryText(step: ReleaseStep): string {
  if (!step.counts || !step.previous) return `Release ${step.release.version} is the oldest imported release of ${step.release.domain}, so there is nothing to compare it with.`;
  const counts = step.counts.byCategory;
  const parts = CATEGORIES.filter((category) => counts[category] > 0).map((category) => `${CATEGORY_LABELS[category]}: ${counts[category]}`);
  return `Changes from ${step.previous.version} to ${step.release.version}. ${parts.join(', ')}.`;
}

/**
 * Renders the feed. `baseUrl` (scheme and host, no trailing slash) makes the
 * links absolute, as Atom readers need.
 */
export function renderChangesFeed(domain: string, steps: readonly ReleaseStep[], baseUrl: string): string {
  const newestFirst = [...steps].reverse();
  const newest = newestFirst[0];
  const feed = new Feed({
    id: `${baseUrl}${feedPath(domain)}`,
    title: `${domainTitle(domain)} releases`,
    description: `Imported releases of ${domain} and what changed in each.`,
    link: `${baseUrl}${changesPath(domain)}`,
    feedLinks: { atom: `${baseUrl}${feedPath(domain)}` },
    updated: newest ? stepDate(newest) : new Date(0),
    generator: 'Glexia',
    copyright: 'ATT&CK content is \u00a9 The MITRE Corporation.',
  });
  for (const step of newestFirst) {
    const link = step.previous
      ? `${baseUrl}${changelogPath(domain, step.previous.version, step.release.version)}`
      : `${baseUrl}${changesPath(domain)}`;
    feed.addItem({
      title: `${domainTitle(domain)} ${step.release.version}`,
      id: `${baseUrl}${changesPath(domain)}#release-${step.release.version}`,
      link,
      date: stepDate(step),
      description: summaryText(step),
    });
  }
  return feed.atom1();
}
