/** HTML pages of changelogs: one changelog, a domain's list of releases, and the page for an unknown domain or release. */
import type { Config } from '../../config.js';
import type { ReleaseInfo } from '../../storage/store.js';
import { renderLayout } from '../../web/pages/layout.js';
import { html, type SafeHtml } from '../../web/render/html.js';
import { CATEGORY_LABELS, SECTION_INFO } from './categories.js';
import { renderChangeChart } from './chart.js';
import { groupEntries, labelOf, versionText, type EntryRow } from './grouping.js';
import { domainTitle } from './markdown.js';
import { changelogPath, changesPath, feedPath } from './paths.js';
import type { ReleaseLookupError } from './releases.js';
import { CATEGORIES, SECTIONS, type Changelog, type ChangelogEntry, type TacticRef } from './schema.js';
import type { ReleaseStep } from './series.js';

function tacticNames(tactics: readonly TacticRef[]): SafeHtml {
  if (tactics.length === 0) return html`none`;
  return html`${tactics.map((tactic, index) => html`${index > 0 ? ', ' : ''}${
    tactic.tactic ? html`<a href="${tactic.tactic.path}">${tactic.tactic.name ?? tactic.shortname}</a>` : tactic.shortname
  }`)}`;
}

function entryItem(entry: ChangelogEntry, children: readonly ChangelogEntry[]): SafeHtml {
  const version = versionText(entry);
  const replacement =
    entry.category === 'revocations'
      ? entry.replacement
        ? html` replaced by <a href="${entry.replacement.path}">${labelOf(entry.replacement)}</a>`
        : html` <span class="tag">replacement: none given</span>`
      : '';
  const tactics = entry.tactics ? html` <span class="note">tactics: ${tacticNames(entry.tactics.old)} \u2192 ${tacticNames(entry.tactics.new)}</span>` : '';
  const compare = entry.category === 'additions' || entry.category === 'deletions' ? '' : html` <a href="${entry.comparePath}">compare</a>`;
  const nested = children.length > 0 ? html`<ul>${children.map((child) => entryItem(child, []))}</ul>` : '';
  return html`<li><a href="${entry.path}">${labelOf(entry)}</a>${version ? html` <span class="tag">${version}</span>` : ''}${replacement}${tactics}${compare}${nested}</li>`;
}

function rowItem(row: EntryRow): SafeHtml {
  if (row.entry) return entryItem(row.entry, row.children);
  const parent = row.context;
  const label = parent ? html`<a href="${parent.path}"><em>${labelOf(parent)}</em></a>` : html`<em>unknown parent</em>`;
  return html`<li>${label} <span class="note">(parent technique)</span><ul>${row.children.map((child) => entryItem(child, []))}</ul></li>`;
}

function summaryTable(changelog: Changelog): SafeHtml {
  const categories = CATEGORIES.filter((category) => category !== 'unchanged' || changelog.includesUnchanged);
  const rows = SECTIONS.map((section) => {
    const counts = changelog.summary.bySection[section];
    return html`<tr><th scope="row">${SECTION_INFO[section].label}</th>${categories.map((category) => html`<td>${counts[category]}</td>`)}</tr>`;
  });
  return html`<div class="matrix" tabindex="0" role="region" aria-label="Summary of changes"><table class="changelog-summary">
    <thead><tr><th>Type</th>${categories.map((category) => html`<th><a href="#${category}">${CATEGORY_LABELS[category]}</a></th>`)}</tr></thead>
    <tbody>${rows}</tbody>
    <tfoot><tr><th scope="row">Total</th>${categories.map((category) => html`<td><strong>${changelog.summary.byCategory[category]}</strong></td>`)}</tr></tfoot>
  </table></div>`;
}

export interface ChangelogPageOptions {
  config: Config;
  changelog: Changelog;
  /** Steps of the domain's imported releases for the chart. */
  steps: readonly ReleaseStep[];
}

export function renderChangelogPage({ config, changelog, steps }: ChangelogPageOptions): string {
  const { domain, from, to } = changelog;
  const title = `${domainTitle(domain)} changes from ${from.version} to ${to.version}`;
  const formatLink = (format: string, label: string) => html`<a href="${changelogPath(domain, from.version, to.version, { format })}">${label}</a>`;
  const unchangedLink = changelog.includesUnchanged
    ? html`<a href="${changelogPath(domain, from.version, to.version)}">hide unchanged objects</a>`
    : html`<a href="${changelogPath(domain, from.version, to.version, { unchanged: '1' })}">list the ${changelog.summary.unchangedOmitted} unchanged objects</a>`;

  const groups = groupEntries(changelog.entries).map(
    (group) => html`<section class="page-section" id="${group.category}">
      <h2>${CATEGORY_LABELS[group.category]} (${group.count})</h2>
      ${group.sections.map((section) => html`<h3>${SECTION_INFO[section.section].label} (${section.count})</h3><ul>${section.rows.map(rowItem)}</ul>`)}
    </section>`,
  );
  const moves =
    changelog.tacticMoves.length === 0
      ? ''
      : html`<section class="page-section" id="tactic-moves"><h2>Techniques moved between tactics (${changelog.tacticMoves.length})</h2>
        <ul>${changelog.tacticMoves.map((entry) => entryItem(entry, []))}</ul></section>`;

  const body = html`<h1>${title}</h1>
    <p>Objects of ${domain} matched by STIX ID between the imported releases ${from.version} and ${to.version}.
      <a href="${changesPath(domain)}">All releases of ${domain}</a>.</p>
    <p>Download: ${formatLink('md', 'Markdown')} \u00b7 ${formatLink('json', 'JSON')} \u00b7 ${formatLink('layer', 'ATT&CK Navigator layer')} \u00b7 ${unchangedLink}</p>
    <section class="page-section" id="summary"><h2>Summary</h2>${summaryTable(changelog)}</section>
    <section class="page-section" id="chart"><h2>Changes across imported releases</h2>
      ${renderChangeChart(steps, { pairPath: (step) => changelogPath(domain, step.previous?.version ?? '', step.release.version) })}
    </section>
    ${groups}${moves}
    ${changelog.entries.length === 0 ? html`<p class="empty">No object changed between these releases.</p>` : ''}`;
  return renderLayout({ title, config, body });
}

export function renderChangesIndex(config: Config, domain: string, steps: readonly ReleaseStep[]): string {
  const rows = [...steps].reverse().map((step) => {
    const counts = step.counts;
    const changed = counts ? counts.total - counts.byCategory.unchanged : undefined;
    const link = step.previous
      ? html`<a href="${changelogPath(domain, step.previous.version, step.release.version)}">changes from ${step.previous.version}</a>`
      : html`<span class="note">oldest imported release</span>`;
    return html`<tr><td>${step.release.version}</td><td>${link}</td><td>${changed ?? ''}</td><td>${counts?.byCategory.additions ?? ''}</td><td>${step.release.importedAt}</td></tr>`;
  });
  const oldest = steps[0];
  const newest = steps[steps.length - 1];
  const whole =
    oldest && newest && oldest !== newest
      ? html`<p><a href="${changelogPath(domain, oldest.release.version, newest.release.version)}">All changes from ${oldest.release.version} to ${newest.release.version}</a></p>`
      : '';
  const body = html`<h1>${domainTitle(domain)} releases and their changes</h1>
    <p>Each imported release of <code>${domain}</code> with a changelog against the previous imported release.
      <a href="${feedPath(domain)}">Atom feed of releases</a>.</p>
    ${whole}
    <section class="page-section" id="chart"><h2>Changes across imported releases</h2>
      ${renderChangeChart(steps, { pairPath: (step) => changelogPath(domain, step.previous?.version ?? '', step.release.version) })}
    </section>
    <table class="release-list"><thead><tr><th>Release</th><th>Changelog</th><th>Changed objects</th><th>New objects</th><th>Imported</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
  return renderLayout({ title: `${domainTitle(domain)} changes`, config, body });
}

/** Renders the 404 page for a domain or release that is not imported, listing the ones that are. */
export function renderLookupNotFound(config: Config, error: ReleaseLookupError, domain: string | undefined, releases: readonly ReleaseInfo[]): string {
  const available =
    domain === undefined
      ? error.available.map((value) => html`<li><a href="${changesPath(value)}">${value}</a></li>`)
      : releases.map((release) => html`<li>${release.version}</li>`);
  const heading = domain === undefined ? 'Imported domains' : `Imported releases of ${domain}`;
  const body = html`<h1>Not found</h1><p>${error.message}</p>
    ${available.length > 0 ? html`<h2>${heading}</h2><ul>${available}</ul>` : html`<p><a href="/">Go to the list of releases</a></p>`}
    ${domain === undefined ? '' : html`<p><a href="${changesPath(domain)}">Changelogs of ${domain}</a></p>`}`;
  return renderLayout({ title: 'Not found', config, body });
}
