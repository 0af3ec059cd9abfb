/** The audit log for admins: a filter form, a page of entries newest first, and links to older entries and the export. */
import type { Config } from '../../../config.js';
import type { AuditRecord } from '../../../storage/team-store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { renderLayout } from '../layout.js';
import { adminNav, messageBlock, timeCell } from './account-html.js';

/**
 * Actions that Glexia writes to the audit log, offered as suggestions in the Action filter: take
 * changes (src/takes/take-service.ts, and take.stale from imports), account and token changes
 * (src/accounts/account-service.ts), token use and logins. The filter accepts any other text too.
 */
export const KNOWN_AUDIT_ACTIONS = [
  'take.create',
  'take.edit',
  'take.submit',
  'take.validate',
  'take.publish',
  'take.repin',
  'take.withdraw',
  'take.stale',
  'user.create',
  'user.role',
  'user.disable',
  'user.enable',
  'user.password',
  'user.unlock',
  'token.create',
  'token.revoke',
  'token.use',
  'login.success',
  'login.failure',
] as const;

/** Filter values that match every action starting with the text before the `*`. */
const ACTION_PREFIXES = ['take.*', 'user.*', 'token.*', 'login.*'] as const;

/** The filter as typed into the form, echoed back into it and into the paging and export links. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  subject?: string;
  /** Dates (YYYY-MM-DD) or ISO 8601 times. */
  since?: string;
  until?: string;
  before?: number;
}

export function auditQueryString(query: AuditQuery, extra: Record<string, string> = {}): string {
  const parameters = new URLSearchParams();
  for (const key of ['actor', 'action', 'subject', 'since', 'until'] as const) {
    const value = query[key];
    if (value) parameters.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) parameters.set(key, value);
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}

function jsonBlock(value: unknown): SafeHtml {
  if (value === null || value === undefined) return html`<span class="empty">none</span>`;
  return html`<pre class="audit-json">${JSON.stringify(value, null, 2)}</pre>`;
}

/** Renders the states before and after the action stacked in one cell, so that the table fits the page. */
function changeCell(entry: AuditRecord): SafeHtml {
  return html`<dl class="audit-change">
    <dt>Before</dt><dd>${jsonBlock(entry.before)}</dd>
    <dt>After</dt><dd>${jsonBlock(entry.after)}</dd>
  </dl>`;
}

function entryRow(entry: AuditRecord): SafeHtml {
  return html`<tr>
    <td>${entry.id}</td>
    <td>${timeCell(entry.at)}</td>
    <td>${entry.actorName}</td>
    <td>${entry.channel}</td>
    <td><code>${entry.action}</code></td>
    <td>${entry.subject}</td>
    <td>${entry.address ?? ''}</td>
    <td>${changeCell(entry)}</td>
  </tr>`;
}

function textFilter(id: string, name: keyof AuditQuery, label: string, value: string | undefined, hint: string): SafeHtml {
  return html`<p><label for="${id}">${label}</label>
    <input id="${id}" name="${name}" type="text" value="${value ?? ''}" placeholder="${hint}"></p>`;
}

export interface AuditPageOptions {
  query: AuditQuery;
  /** Reason the filter was rejected. The page then shows the form and this message instead of entries. */
  error?: string;
  entries: readonly AuditRecord[];
  /** Id to page on from, when older entries exist. */
  olderBefore: number | undefined;
  pageSize: number;
}

export function renderAuditPage(config: Config, options: AuditPageOptions): string {
  const { query, entries } = options;
  let results: SafeHtml;
  if (options.error !== undefined) results = messageBlock({ error: options.error });
  else if (entries.length === 0) results = html`<p class="empty">No audit entries match the filter.</p>`;
  else
    results = html`<div class="audit-scroll" tabindex="0" role="region" aria-label="Audit entries"><table class="admin-table audit-table">
          <thead><tr><th scope="col">ID</th><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Channel</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Address</th><th scope="col">Before and after</th></tr></thead>
          <tbody>${entries.map(entryRow)}</tbody>
        </table></div>`;
  const older =
    options.olderBefore === undefined
      ? ''
      : html`<p><a href="/admin/audit${auditQueryString(query, { before: String(options.olderBefore) })}">Older entries</a></p>`;
  const newest = query.before === undefined ? '' : html`<p><a href="/admin/audit${auditQueryString(query)}">Newest entries</a></p>`;

  const body = html`<h1>Audit log</h1>
    ${adminNav('audit')}
    <form class="audit-filter" method="get" action="/admin/audit" aria-label="Filter the audit log">
      ${textFilter('audit-actor', 'actor', 'Actor', query.actor, 'user name, cli or system')}
      <p><label for="audit-action">Action</label>
      <input id="audit-action" name="action" type="text" list="audit-actions" value="${query.action ?? ''}" placeholder="take.publish or take.*"
        aria-describedby="audit-action-note">
      <datalist id="audit-actions">${[...ACTION_PREFIXES, ...KNOWN_AUDIT_ACTIONS].map((action) => html`<option value="${action}">`)}</datalist></p>
      ${textFilter('audit-subject', 'subject', 'Subject', query.subject, 'take:12, user:alice')}
      <p><label for="audit-since">From (date, UTC)</label>
      <input id="audit-since" name="since" type="date" value="${query.since ?? ''}"></p>
      <p><label for="audit-until">To (date, UTC, inclusive)</label>
      <input id="audit-until" name="until" type="date" value="${query.until ?? ''}"></p>
      <p><button type="submit">Filter</button></p>
    </form>
    <p class="note" id="audit-action-note">An action such as <code>take.publish</code> matches that action; <code>take.*</code> or <code>take.</code> matches every take action.
    Dates are YYYY-MM-DD in UTC.</p>
    ${
      options.error === undefined
        ? html`<p><a href="/admin/audit.jsonl${auditQueryString(query)}" download>Export the matching entries as JSON lines</a></p>
    <p class="note">Newest first, ${options.pageSize} entries per page.</p>`
        : ''
    }
    ${newest}
    ${results}
    ${older}`;
  return renderLayout({ title: 'Audit log', config, body });
}
