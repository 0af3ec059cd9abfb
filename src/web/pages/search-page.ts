/** The search page: a filter form that works without JavaScript, and the ranked results. */
import type { Config } from '../../config.js';
import { DOMAIN_LABELS, DOMAINS, PAGE_KINDS, typeLabel } from '../../domain/object-types.js';
import { compareVersions } from '../../domain/versions.js';
import { STATUSES, type SearchOutcome, type SearchResult } from '../../search/search-service.js';
import type { ReleaseInfo } from '../../storage/store.js';
import { html, joinHtml, type SafeHtml } from '../render/html.js';
import { objectPath, releaseKey } from '../links.js';
import { statusTags } from './components.js';
import { renderLayout } from './layout.js';

const MATCH_START = '\uE000';
const MATCH_END = '\uE001';

/** Renders a snippet with its matched words in `<mark>`; everything else is escaped. */
function snippetHtml(snippet: string): SafeHtml {
  const parts: SafeHtml[] = [];
  for (const [index, piece] of snippet.split(MATCH_START).entries()) {
    if (index === 0) {
      parts.push(html`${piece.replaceAll(MATCH_END, '')}`);
      continue;
    }
    const end = piece.indexOf(MATCH_END);
    const marked = end === -1 ? piece : piece.slice(0, end);
    const rest = end === -1 ? '' : piece.slice(end + 1).replaceAll(MATCH_END, '');
    parts.push(html`<mark>${marked}</mark>${rest}`);
  }
  return joinHtml(parts);
}

function option(value: string, label: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

function filterForm(outcome: SearchOutcome, releases: readonly ReleaseInfo[]): SafeHtml {
  const { filters } = outcome;
  const statusBoxes = STATUSES.map(
    (status) => html`<label><input type="checkbox" name="status" value="${status}"${
      filters.statuses.includes(status) ? html` checked` : ''
    }> ${status}</label>`,
  );
  // Enterprise, Mobile, then ICS, each newest first.
  const domainOrder = (domain: string) => (DOMAINS as readonly string[]).indexOf(domain);
  const ordered = [...releases].sort((a, b) => domainOrder(a.domain) - domainOrder(b.domain) || compareVersions(b.version, a.version));
  const releaseOptions = ordered.map((release) => option(releaseKey(release), releaseKey(release), filters.release));
  return html`<form class="search-filters" action="/search" method="get">
    <p><label for="search-query">Search</label>
      <input id="search-query" name="q" type="search" value="${outcome.query}" maxlength="200">
      <button type="submit">Search</button></p>
    <p><label>Domain <select name="domain">${option('', 'Any domain', filters.domain)}${DOMAINS.map((domain) =>
      option(domain, DOMAIN_LABELS[domain], filters.domain),
    )}</select></label>
      <label>Type <select name="type">${option('', 'Any type', filters.type)}${PAGE_KINDS.map((kind) =>
        option(kind.segment, kind.plural, filters.type),
      )}</select></label>
      <label>Release <select name="release">${option('', 'Any release', filters.release)}${releaseOptions}</select></label></p>
    <fieldset><legend>Status</legend>${statusBoxes}</fieldset>
  </form>`;
}

function resultRow(result: SearchResult): SafeHtml {
  const { object } = result;
  return html`<tr>
    <td>${object.attackId ? html`<a href="${objectPath(object)}">${object.attackId}</a>` : ''}</td>
    <td><a href="${objectPath(object)}">${object.name ?? object.stixId}</a>${statusTags(object)}</td>
    <td>${typeLabel(object.type, object.isSubtechnique)}</td>
    <td>${object.domains.join(', ')}</td>
    <td>${result.status}</td>
    <td class="snippet">${snippetHtml(result.snippet)}</td>
  </tr>`;
}

function resultTable(results: readonly SearchResult[]): SafeHtml {
  return html`<table class="search-results">
    <thead><tr><th>ID</th><th>Name</th><th>Type</th><th>Domains</th><th>Status</th><th>Description</th></tr></thead>
    <tbody>${results.map(resultRow)}</tbody>
  </table>`;
}

/** Links to the previous and next pages of results, keeping the query and filters. */
function pageLinks(outcome: SearchOutcome): SafeHtml {
  const hasPrevious = outcome.page > 1;
  const hasNext = outcome.offset + outcome.results.length < outcome.total;
  if (!hasPrevious && !hasNext) return html``;
  const link = (page: number, label: string) => {
    const parameters = new URLSearchParams({ q: outcome.query });
    const { domain, type, release, statuses } = outcome.filters;
    if (domain) parameters.set('domain', domain);
    if (type) parameters.set('type', type);
    if (release) parameters.set('release', release);
    parameters.set('status', statuses.join(','));
    parameters.set('page', String(page));
    return html`<a href="/search?${parameters.toString()}">${label}</a>`;
  };
  return html`<nav class="search-pages" aria-label="Result pages">
    ${hasPrevious ? link(outcome.page - 1, 'Previous results') : ''}
    ${hasPrevious && hasNext ? ' · ' : ''}${hasNext ? link(outcome.page + 1, 'More results') : ''}
  </nav>`;
}

export function renderSearchPage(config: Config, outcome: SearchOutcome, releases: readonly ReleaseInfo[]): string {
  const shown = outcome.results.length;
  const range = html`, showing ${outcome.offset + 1} to ${outcome.offset + shown}`;
  const summary =
    outcome.total === 0
      ? ''
      : html`<p class="search-summary">${outcome.total} result(s)${
          shown < outcome.total ? range : ''
        } for \u201c${outcome.correctedQuery ?? outcome.query}\u201d.</p>`;
  const body = html`<h1>Search</h1>
    ${filterForm(outcome, releases)}
    ${outcome.message ? html`<p class="search-message" role="status">${outcome.message}</p>` : ''}
    ${summary}
    ${shown > 0 ? resultTable(outcome.results) : ''}
    ${pageLinks(outcome)}`;
  const title = outcome.query === '' ? 'Search' : `Search: ${outcome.query}`;
  return renderLayout({ title, config, query: outcome.query, body });
}
