/** The list page of one page kind: a table of its objects with sort links, domain and status filters, and counts. */
import type { Config } from '../../../config.js';
import { DOMAIN_LABELS, type Domain, type PageKind } from '../../../domain/object-types.js';
import type { ReleaseInfo } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderLayout } from '../layout.js';
import { DEFAULT_QUERY, matchesDomain, matchesStatus, sortRows, STATUS_FILTERS, type ListQuery, type ListRow, type SortKey, type StatusFilter } from './list-model.js';

const STATUS_LABELS: Record<StatusFilter, string> = { active: 'Active', deprecated: 'Deprecated', revoked: 'Revoked', all: 'All' };

/** Path of a list page with the query's non-default parameters, so the default view keeps the plain address. */
export function listPath(kind: PageKind, query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.domain !== undefined) params.set('domain', query.domain);
  if (query.status !== DEFAULT_QUERY.status) params.set('status', query.status);
  if (query.sort !== DEFAULT_QUERY.sort) params.set('sort', query.sort);
  if (query.order !== DEFAULT_QUERY.order) params.set('order', query.order);
  const search = params.toString();
  return search === '' ? `/${kind.segment}` : `/${kind.segment}?${search}`;
}

function sortHeader(kind: PageKind, query: ListQuery, key: SortKey, label: string): SafeHtml {
  const current = query.sort === key;
  // A second click on the sorted column reverses the order; a click on another column sorts it ascending.
  const order = current && query.order === 'asc' ? 'desc' : 'asc';
  let ariaSort = 'none';
  let arrow = '';
  if (current) {
    ariaSort = query.order === 'asc' ? 'ascending' : 'descending';
    arrow = query.order === 'asc' ? ' \u25b2' : ' \u25bc';
  }
  return html`<th scope="col" aria-sort="${ariaSort}"><a href="${listPath(kind, { ...query, sort: key, order })}">${label}${arrow}</a></th>`;
}

function statusTag(row: ListRow): SafeHtml {
  return row.status === 'active' ? html`active` : html`<span class="tag tag-${row.status}">${row.status}</span>`;
}

function listTable(kind: PageKind, query: ListQuery, rows: readonly ListRow[]): SafeHtml {
  const body = rows.map(
    (row) => html`<tr${row.isSubtechnique && query.sort === 'id' ? html` class="subtechnique"` : ''}>
      <td><a href="${row.path}">${row.attackId ?? row.stixId}</a></td>
      <td><a href="${row.path}">${row.name}</a></td>
      <td>${row.domains.map((domain) => DOMAIN_LABELS[domain]).join(', ')}</td>
      <td>${statusTag(row)}</td>
      <td>${row.version ?? ''}</td>
      <td>${row.modified === null ? '' : html`<time datetime="${row.modified}">${row.modified.slice(0, 10)}</time>`}</td>
    </tr>`,
  );
  return html`<table class="related object-list">
    <thead><tr>${sortHeader(kind, query, 'id', 'ID')}${sortHeader(kind, query, 'name', 'Name')}<th scope="col">Domains</th><th scope="col">Status</th><th scope="col">Version</th><th scope="col">Modified</th></tr></thead>
    <tbody>${body}</tbody>
  </table>`;
}

/** Renders a row of filter links, each with the number of objects it would show; the active choice is marked, not linked. */
function filterLinks(label: string, choices: readonly { text: string; count: number; path: string; active: boolean }[]): SafeHtml {
  const items = choices.map((choice) =>
    choice.active
      ? html`<li><strong aria-current="true">${choice.text} (${choice.count})</strong></li>`
      : html`<li><a href="${choice.path}">${choice.text} (${choice.count})</a></li>`,
  );
  return html`<div class="list-filter"><span class="list-filter-label">${label}:</span><ul>${items}</ul></div>`;
}

function domainFilter(kind: PageKind, query: ListQuery, rows: readonly ListRow[], domains: readonly Domain[]): SafeHtml {
  const withStatus = rows.filter((row) => matchesStatus(row, query.status));
  const choices = [
    { text: 'All domains', count: withStatus.length, path: listPath(kind, { ...query, domain: undefined }), active: query.domain === undefined },
    ...domains.map((domain) => ({
      text: DOMAIN_LABELS[domain],
      count: withStatus.filter((row) => matchesDomain(row, domain)).length,
      path: listPath(kind, { ...query, domain }),
      active: query.domain === domain,
    })),
  ];
  return filterLinks('Domain', choices);
}

function statusFilter(kind: PageKind, query: ListQuery, rows: readonly ListRow[]): SafeHtml {
  const inDomain = rows.filter((row) => matchesDomain(row, query.domain));
  const choices = STATUS_FILTERS.map((status) => ({
    text: STATUS_LABELS[status],
    count: inDomain.filter((row) => matchesStatus(row, status)).length,
    path: listPath(kind, { ...query, status }),
    active: query.status === status,
  }));
  return filterLinks('Status', choices);
}

function sourceNote(releases: readonly ReleaseInfo[]): SafeHtml {
  const names = releases.map((release) => `${DOMAIN_LABELS[release.domain as Domain] ?? release.domain} ${release.version}`);
  return html`<p class="note">From the newest imported release of each domain: ${names.join(', ')}. An object in several domains is listed once.</p>`;
}

function summary(kind: PageKind, query: ListQuery, shown: number): SafeHtml {
  const status = query.status === 'all' ? '' : `${query.status} `;
  const domain = query.domain === undefined ? '' : ` in ${DOMAIN_LABELS[query.domain]}`;
  return html`<p class="list-summary">Showing <strong>${shown}</strong> ${status}${kind.plural.toLowerCase()}${domain}.</p>`;
}

export function renderListPage(config: Config, kind: PageKind, releases: readonly ReleaseInfo[], rows: readonly ListRow[], query: ListQuery): string {
  if (releases.length === 0) {
    return renderLayout({
      title: kind.plural,
      config,
      body: html`<h1>${kind.plural}</h1><p>No ATT&amp;CK release has been imported yet. Import one with <code>npx glexia import</code>, then reload this page.</p>`,
    });
  }
  const domains = releases.map((release) => release.domain as Domain);
  const shown = sortRows(
    rows.filter((row) => matchesDomain(row, query.domain) && matchesStatus(row, query.status)),
    query.sort,
    query.order,
  );
  const table = shown.length === 0 ? html`<p class="empty">No ${kind.plural.toLowerCase()} match these filters.</p>` : listTable(kind, query, shown);
  return renderLayout({
    title: kind.plural,
    config,
    body: html`<h1>${kind.plural}</h1>
      ${sourceNote(releases)}
      <nav class="list-filters" aria-label="Filters">${domainFilter(kind, query, rows, domains)}${statusFilter(kind, query, rows)}</nav>
      ${summary(kind, query, shown.length)}
      ${table}`,
  });
}
