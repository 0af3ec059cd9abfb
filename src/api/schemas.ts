/**
 * zod schemas of the API's path and query parameters. Routes validate requests with them and
 * the OpenAPI document is generated from them, so the two cannot drift apart.
 */
import { z } from 'zod';
import { isStixId } from '../domain/ids.js';
import { ATTACK_TYPES, DOMAINS } from '../domain/object-types.js';
import { ATTACK_ID_PATTERN } from '../web/routes/object-lookup.js';

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
  .regex(STIX_TYPE_PATTERN, { error: 'expected a STIX type such as attack-pattern' })
  .describe(`STIX type of the objects. ATT&CK releases contain ${ATTACK_TYPES.join(', ')}.`);

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
  type: stixType.optional(),
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

/** The body of every error response. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(['bad-request', 'not-found', 'conflict', 'internal']).describe('Stable code to match on.'),
    message: z.string().describe('What failed, on which value, and what to do next.'),
    candidates: z
      .array(z.object({ stixId: z.string(), type: z.string(), attackId: z.string().nullable(), name: z.string().nullable(), url: z.string() }))
      .optional()
      .describe('For code conflict: the objects the ATT&CK ID names; repeat the request with ?type= or with a STIX ID.'),
  }),
});
