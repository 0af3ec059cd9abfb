/** The Markdown changelog: a summary table, then headings per category and section, as MITRE's changelogs are laid out. */
import { DOMAIN_LABELS, isDomain } from '../../domain/object-types.js';
import { CATEGORY_LABELS, SECTION_INFO } from './categories.js';
import { groupEntries, labelOf, versionText, type EntryRow } from './grouping.js';
import { CATEGORIES, SECTIONS, type Changelog, type ChangelogEntry, type TacticRef } from './schema.js';

export interface MarkdownOptions {
  /** Prefix of links, such as `https://attack.example.org`; links are site paths without it. */
  linkBase?: string;
}

/** Escapes characters that Markdown would read as markup in names taken from the bundles. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, (char) => `\\${char}`);
}

export function domainTitle(domain: string): string {
  return isDomain(domain) ? `${DOMAIN_LABELS[domain]} ATT&CK` : domain;
}

function tacticList(tactics: readonly TacticRef[]): string {
  if (tactics.length === 0) return 'none';
  return tactics.map((tactic) => escapeMarkdown(tactic.tactic?.name ?? tactic.shortname)).join(', ');
}

function entryLine(entry: ChangelogEntry, linkBase: string): string {
  const parts = [`[${escapeMarkdown(labelOf(entry))}](${linkBase}${entry.path})`];
  const version = versionText(entry);
  if (version) parts.push(`(${version})`);
  if (entry.category === 'revocations') {
    const replacement = entry.replacement;
    parts.push(replacement ? `replaced by [${escapeMarkdown(labelOf(replacement))}](${linkBase}${replacement.path})` : 'replaced by: none given');
  }
  if (entry.tactics) parts.push(`tactics: ${tacticList(entry.tactics.old)} \u2192 ${tacticList(entry.tactics.new)}`);
  if (entry.category !== 'additions' && entry.category !== 'deletions') parts.push(`[compare](${linkBase}${entry.comparePath})`);
  return parts.join(' ');
}

function rowLines(row: EntryRow, linkBase: string): string[] {
  const head = row.entry
    ? `* ${entryLine(row.entry, linkBase)}`
    : `* *${escapeMarkdown(labelOf(row.context ?? { attackId: null, name: null, stixId: 'unknown parent' }))}* (parent technique)`;
  return [head, ...row.children.map((child) => `  * ${entryLine(child, linkBase)}`)];
}

function summaryTable(changelog: Changelog): string[] {
  const categories = CATEGORIES.filter((category) => category !== 'unchanged' || changelog.includesUnchanged);
  const lines = [
    `| Type | ${categories.map((category) => CATEGORY_LABELS[category]).join(' | ')} |`,
    `|---|${categories.map(() => '---:').join('|')}|`,
  ];
  for (const section of SECTIONS) {
    const counts = changelog.summary.bySection[section];
    lines.push(`| ${SECTION_INFO[section].label} | ${categories.map((category) => counts[category]).join(' | ')} |`);
  }
  lines.push(`| **Total** | ${categories.map((category) => `**${changelog.summary.byCategory[category]}**`).join(' | ')} |`);
  return lines;
}

export function renderChangelogMarkdown(changelog: Changelog, options: MarkdownOptions = {}): string {
  const linkBase = options.linkBase ?? '';
  const lines: string[] = [`# Changes to ${domainTitle(changelog.domain)} from ${changelog.from.version} to ${changelog.to.version}`, ''];

  lines.push('## Summary', '', ...summaryTable(changelog), '');
  if (changelog.summary.unchangedOmitted > 0) {
    lines.push(`${changelog.summary.unchangedOmitted} unchanged objects are not listed.`, '');
  }

  for (const group of groupEntries(changelog.entries)) {
    lines.push(`## ${CATEGORY_LABELS[group.category]}`, '');
    for (const section of group.sections) {
      lines.push(`### ${SECTION_INFO[section.section].label}`, '');
      for (const row of section.rows) lines.push(...rowLines(row, linkBase));
      lines.push('');
    }
  }

  if (changelog.tacticMoves.length > 0) {
    lines.push('## Techniques moved between tactics', '');
    for (const entry of changelog.tacticMoves) lines.push(`* ${entryLine(entry, linkBase)}`);
    lines.push('');
  }
  if (changelog.entries.length === 0) lines.push('No object changed between these releases.', '');
  return lines.join('\n');
}
