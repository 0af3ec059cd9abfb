/**
 * The filter of /admin/audit and /admin/audit.jsonl: parsing the query
 * string, with messages that name the field and the expected form, and
 * converting it to the store's AuditFilter.
 */
import { z } from 'zod';
import type { AuditFilter } from '../../../storage/team-store.js';
import type { AuditQuery } from './audit-page.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** The rule and wording of the API's audit filter (`/api/v1/audit`), so both reject the same values alike. */
const TIME_MESSAGE = 'expected an ISO 8601 date such as 2025-05-01 or a date-time such as 2025-05-01T12:00:00Z';
const BEFORE_MESSAGE = 'expected the id of an audit entry, as in the "Older entries" link';

const TEXT_FIELDS = ['actor', 'action', 'subject', 'since', 'until'] as const;
/** Names of the query parameters in messages, with the form's label where it differs. */
const FIELD_NAMES: Record<string, string> = {
  actor: 'Actor filter',
  action: 'Action filter',
  subject: 'Subject filter',
  since: 'From date (since)',
  until: 'To date (until)',
  before: '"before" entry id',
};
/** Maximum number of characters of a rejected value that a message repeats. */
const SHOWN_VALUE_LENGTH = 60;

/** Blank form fields mean "no filter", so they become undefined; other text is trimmed. */
function blankToUndefined(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function optionalText(maxLength: number) {
  return z.preprocess(blankToUndefined, z.string().max(maxLength, { error: `expected at most ${maxLength} characters` }).optional());
}

function optionalTime() {
  return z.preprocess(blankToUndefined, z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: TIME_MESSAGE }).optional());
}

const auditQuerySchema = z.strictObject({
  actor: optionalText(200),
  action: optionalText(200),
  subject: optionalText(300),
  since: optionalTime(),
  until: optionalTime(),
  before: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: BEFORE_MESSAGE }).int({ error: BEFORE_MESSAGE }).positive({ error: BEFORE_MESSAGE }).optional(),
  ),
});

/** The result of parsing: the query to echo into the form, and either the store's filter or the reason it was rejected. */
export type ParsedAuditQuery = { query: AuditQuery; filter: AuditFilter; error?: undefined } | { query: AuditQuery; filter?: undefined; error: string };

/** Returns the text fields as the reader typed them, to show in the form next to an error. */
function typedQuery(raw: Record<string, unknown>): AuditQuery {
  const query: AuditQuery = {};
  for (const key of TEXT_FIELDS) {
    const value = raw[key];
    if (typeof value === 'string' && value.trim() !== '') query[key] = value.trim();
  }
  return query;
}

function describeValue(value: unknown): string {
  if (typeof value !== 'string') return '';
  return ` "${value.length > SHOWN_VALUE_LENGTH ? `${value.slice(0, SHOWN_VALUE_LENGTH)}...` : value}"`;
}

/** Converts a time bound to the stored form of `at` (UTC with milliseconds). A date covers its whole UTC day. */
function timeBound(value: string | undefined, edge: 'start' | 'end'): string | undefined {
  if (value === undefined) return undefined;
  if (DATE_ONLY.test(value)) return `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}

/** Returns the filter on actions: a prefix for text ending in `*` or `.` (`take.*`, `take.`), else the exact action. */
function actionFilter(action: string): Pick<AuditFilter, 'action' | 'actionPrefix'> {
  if (action.endsWith('*')) {
    const prefix = action.slice(0, -1);
    return prefix === '' ? {} : { actionPrefix: prefix };
  }
  if (action.endsWith('.')) return { actionPrefix: action };
  return { action };
}

/** Parses the query string of the audit page into the store's filter, returning at most `limit` entries. */
export function parseAuditQuery(rawQuery: unknown, limit: number): ParsedAuditQuery {
  const raw = typeof rawQuery === 'object' && rawQuery !== null ? (rawQuery as Record<string, unknown>) : {};
  const parsed = auditQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `Unknown audit filter ${issue.keys.map((key) => `"${key}"`).join(', ')}: use actor, action, subject, since, until or before.`;
      }
      const key = String(issue.path[0] ?? 'query');
      return `The ${FIELD_NAMES[key] ?? key}${describeValue(raw[key])} is invalid: ${issue.message}.`;
    });
    return { query: typedQuery(raw), error: problems.join(' ') };
  }

  const { actor, action, subject, since, until, before } = parsed.data;
  const query: AuditQuery = typedQuery(raw);
  if (before !== undefined) query.before = before;
  const filter: AuditFilter = { limit };
  if (actor !== undefined) filter.actorName = actor;
  if (action !== undefined) Object.assign(filter, actionFilter(action));
  if (subject !== undefined) filter.subject = subject;
  const sinceBound = timeBound(since, 'start');
  const untilBound = timeBound(until, 'end');
  if (sinceBound !== undefined && untilBound !== undefined && sinceBound > untilBound) {
    return { query, error: `The From date (since) ${since} is after the To date (until) ${until}; swap them to see the entries between.` };
  }
  if (sinceBound !== undefined) filter.since = sinceBound;
  if (untilBound !== undefined) filter.until = untilBound;
  if (before !== undefined) filter.beforeId = before;
  return { query, filter };
}
