/**
 * zod schemas of the API's path and query parameters. Routes validate requests with them and
 * the OpenAPI document is generated from them, so the two cannot drift apart.
 */
import { z } from 'zod';
import { isStixId } from '../domain/ids.js';
import { ATTACK_TYPES, DOMAINS } from '../domain/object-types.js';
import { TAKE_STATES } from '../storage/team-store.js';
import { MAX_TAKE_LENGTH } from '../takes/take-service.js';
import { ATTACK_ID_PATTERN } from '../web/routes/object-lookup.js';
import { acceptedTypeNames, OBJECT_TYPE_NAMES } from './lookup.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** A release named as MITRE names bundle files: `<domain>-<major>.<minor>`. */
export const RELEASE_KEY_PATTERN = new RegExp(`^(${DOMAINS.join('|')})-(\\d+\\.\\d+)$`);

/** STIX type names are lower-case letters, digits and hyphens. */
const STIX_TYPE_PATTERN = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

const releaseKey = z
  .string()
  .regex(RELEASE_KEY_PATTERN, { error: 'expected <domain>-<version>, such as enterprise-attack-18.1' })
  .describe('A release as <domain>-<version>, such as ics-attack-18.1. GET /api/v1/releases lists them.');

const stixType = z
  .string()
  .regex(STIX_TYPE_PATTERN, { error: 'expected a STIX type such as attack-pattern, or a section of the site such as technique' })
  .describe(
    `STIX type of the objects (ATT&CK releases contain ${ATTACK_TYPES.join(', ')}), ` +
      'or a section of the site that stands for its types (technique, mitigation, software, ...).',
  );

/** `type` where it picks one object: a STIX type, or a section of the site such as technique or mitigations. */
const objectType = z
  .enum(OBJECT_TYPE_NAMES, { error: () => `expected ${acceptedTypeNames()}` })
  .describe('Type of the object: a STIX type (attack-pattern) or a section of the site (technique, techniques, mitigation, software, ...).');

const objectId = z
  .string()
  .refine((value) => isStixId(value) || ATTACK_ID_PATTERN.test(value.toUpperCase()), {
    error: 'expected a STIX ID such as attack-pattern--<UUID> or an ATT&CK ID such as T1059.001',
  })
  .describe('A STIX ID (attack-pattern--<UUID>) or an ATT&CK ID (T1059.001, G0049); ATT&CK IDs are case-insensitive.');

export const STATUSES = ['active', 'deprecated', 'revoked'] as const;
export type Status = (typeof STATUSES)[number];

export const releaseParams = z.strictObject({ release: releaseKey });

export const objectParams = z.strictObject({ id: objectId });

/** Query of the endpoints that return one object: `type` picks among objects sharing an ATT&CK ID. */
export const objectQuery = z.strictObject({
  type: objectType
    .optional()
    .describe(
      'Type that picks the object when its ATT&CK ID names several (T1114 is a technique and a deprecated mitigation): ' +
        'a STIX type such as attack-pattern, or a section of the site such as technique.',
    ),
  release: releaseKey
    .optional()
    .describe('Take the object from this release (<domain>-<version>) instead of the newest release that contains it.'),
});

export const objectListQuery = z.strictObject({
  type: stixType.optional(),
  domain: z
    .enum(DOMAINS, { error: `expected one of ${DOMAINS.join(', ')}` })
    .optional()
    .describe('List objects of the newest release of this domain only.'),
  status: z
    .enum(STATUSES, { error: `expected one of ${STATUSES.join(', ')}` })
    .optional()
    .describe('active: neither deprecated nor revoked. Without it, objects of every status are listed.'),
  release: releaseKey
    .optional()
    .describe('List the objects of this release (<domain>-<version>) instead of the newest release of each domain.'),
  limit: z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'expected at least 1' })
    .max(MAX_LIMIT, { error: `the maximum is ${MAX_LIMIT}; request at most ${MAX_LIMIT} objects per page and follow nextCursor for the rest` })
    .default(DEFAULT_LIMIT)
    .describe(`Objects per page, from 1 to ${MAX_LIMIT}.`),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'expected the nextCursor value of a previous page' })
    .optional()
    .describe('The nextCursor of the previous page; omit it for the first page.'),
});

export const noQuery = z.strictObject({});

/** The `limit` parameter of a paged list; `next` names the response field that leads to the next page. */
const pageLimit = (items: string, next: string) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'expected at least 1' })
    .max(MAX_LIMIT, { error: `the maximum is ${MAX_LIMIT}; request at most ${MAX_LIMIT} ${items} per page and follow ${next} for the rest` })
    .default(DEFAULT_LIMIT)
    .describe(`${items.charAt(0).toUpperCase()}${items.slice(1)} per page, from 1 to ${MAX_LIMIT}.`);

const takeId = z.coerce
  .number({ error: 'expected a take number such as 12' })
  .int({ error: 'expected a take number such as 12' })
  .min(1, { error: 'expected a take number such as 12' })
  .describe('Number of the take, as GET /api/v1/takes lists it.');

export const takeParams = z.strictObject({ id: takeId });

export const takeListQuery = z.strictObject({
  object: objectId.optional().describe('Only takes on this object: a STIX ID or an ATT&CK ID (T1059.001); ATT&CK IDs are case-insensitive.'),
  type: objectType
    .optional()
    .describe(
      'Type that picks the object when its ATT&CK ID names several objects of which not exactly one is active: a STIX type such as attack-pattern, ' +
        'or a section of the site such as technique.',
    ),
  state: z
    .enum(TAKE_STATES, { error: `expected one of ${TAKE_STATES.join(', ')}` })
    .optional()
    .describe('Only takes in this state. Anonymous callers see published takes only.'),
  author: z.string().min(1).optional().describe("Only takes written by the user of this name."),
  limit: pageLimit('takes', 'nextCursor'),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'expected the nextCursor value of a previous page' })
    .optional()
    .describe('The nextCursor of the previous page; omit it for the first page.'),
});

const takeBody = z
  .string({ error: 'expected the take as a string of Markdown' })
  .max(MAX_TAKE_LENGTH, { error: (issue) => `the take has ${String(issue.input).length} characters and the maximum is ${MAX_TAKE_LENGTH}; shorten it` })
  .refine((text) => text.trim() !== '', { error: 'the take is empty; write the analysis in Markdown' })
  .describe(`The analysis in Markdown, at most ${MAX_TAKE_LENGTH} characters; it must not be empty.`);

const revision = z
  .number({ error: 'expected the revision number of the take as you read it' })
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'expected at least 1' })
  .describe('The take\'s revision as you last read it. The request fails with 409 when the take changed since.');

export const createTakeBody = z.strictObject({
  object: objectId.describe(
    'The object the take is on: a STIX ID or an ATT&CK ID (T1059.001). An ATT&CK ID that names several objects picks the one that is neither ' +
      'deprecated nor revoked (T1003 is the technique, not the deprecated mitigation of that ID).',
  ),
  type: objectType
    .optional()
    .describe(
      'Type that picks the object when its ATT&CK ID names several objects of which not exactly one is active: a STIX type such as attack-pattern, ' +
        'or a section of the site such as technique.',
    ),
  body: takeBody,
});

export const editTakeBody = z.strictObject({ body: takeBody, revision });

export const revisionBody = z.strictObject({ revision });

/** Body of the validate action, which has no fields: it checks the take as it is and changes nothing but the audit log. */
export const emptyBody = z.strictObject({});

export const AUDIT_FORMATS = ['json', 'jsonl'] as const;

/** An ISO 8601 date (2025-05-01) or date-time with a time zone (2025-05-01T12:00:00Z). */
const auditTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'expected an ISO 8601 date such as 2025-05-01 or a date-time such as 2025-05-01T12:00:00Z',
});

export const auditQuery = z.strictObject({
  actor: z.string().min(1).optional().describe('Only entries of this user name (case-insensitive), or "system" for imports.'),
  action: z.string().min(1).optional().describe('Only entries of this action, such as take.publish, user.create or login.failure.'),
  subject: z.string().min(1).optional().describe('Only entries on this subject, such as take:12, user:alice or token:3.'),
  since: auditTime.optional().describe('Only entries at or after this time. A date means the start of that day (UTC).'),
  until: auditTime.optional().describe('Only entries at or before this time. A date means the end of that day (UTC).'),
  before: z.coerce
    .number({ error: 'expected the nextBefore value of a previous page' })
    .int({ error: 'expected the nextBefore value of a previous page' })
    .min(1, { error: 'expected the nextBefore value of a previous page' })
    .optional()
    .describe('Only entries older than the entry of this id: the nextBefore of the previous page. Omit it to start at the newest entry.'),
  limit: pageLimit('entries', 'nextBefore'),
  format: z
    .enum(AUDIT_FORMATS, { error: `expected one of ${AUDIT_FORMATS.join(', ')}` })
    .optional()
    .describe('jsonl returns one JSON entry per line (application/x-ndjson), as does the header Accept: application/x-ndjson.'),
});

export const ERROR_CODES = [
  'bad-request',
  'unauthorized',
  'forbidden',
  'csrf',
  'not-found',
  'conflict',
  'not-publishable',
  'too-many-requests',
  'internal',
] as const;

/** The body of every error response. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES).describe('Stable code to match on.'),
    message: z.string().describe('What failed, on which value, and what to do next.'),
    candidates: z
      .array(
        z.object({
          stixId: z.string(),
          type: z.string(),
          attackId: z.string().nullable(),
          name: z.string().nullable(),
          status: z.enum(STATUSES),
          url: z.string(),
        }),
      )
      .optional()
      .describe('For code conflict: the objects the ATT&CK ID names; repeat the request with type set to one of their types, or with a STIX ID.'),
    check: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('For code not-publishable: the publication check, as POST /api/v1/takes/{id}/validate returns it.'),
  }),
});
