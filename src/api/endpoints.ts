/**
 * The API's endpoints as data: path, parameter schemas, responses and an example. Routes take
 * their paths and schemas from here, and the OpenAPI document and the docs page are generated
 * from the same entries.
 */
import type { z } from 'zod';
import { API_PREFIX } from './views.js';
import {
  auditQuery,
  createTakeBody,
  editTakeBody,
  emptyBody,
  MAX_LIMIT,
  noQuery,
  objectListQuery,
  objectParams,
  objectQuery,
  releaseParams,
  revisionBody,
  takeListQuery,
  takeParams,
} from './schemas.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

/**
 * Authentication an endpoint accepts: `none` for public endpoints, `optional` where a signed-in
 * caller sees more, `required` where anonymous callers get 401.
 */
export type Authentication = 'none' | 'optional' | 'required';

export interface EndpointSpec {
  /** OpenAPI path below the prefix, with `{name}` path parameters. */
  path: string;
  /** GET when absent. */
  methods?: readonly HttpMethod[];
  summary: string;
  description: string;
  /** Callers allowed to use the endpoint, as a sentence for the docs. "Anyone." when absent. */
  access?: string;
  /** `none` when absent. */
  authentication?: Authentication;
  params?: z.ZodObject;
  query: z.ZodObject;
  /** Schema of the JSON request body. */
  body?: z.ZodObject;
  /** Whether the request may leave the body out. */
  bodyOptional?: boolean;
  /** 200 when absent; 201 for an endpoint that creates a resource. */
  successStatus?: number;
  /** Media type of the success response. */
  contentType: string;
  /** Error statuses the endpoint can return besides 304 and 500. */
  errors: number[];
  /** An example request path, prefix included. */
  example: string;
  /** An example JSON request body. */
  exampleBody?: Record<string, unknown>;
}

const SIGNED_IN = 'Signed-in users (analyst, reviewer or admin), by session cookie or API token.';
const AUTHOR_OR_REVIEWER = "The take's author (analyst) for a take that is not published, or a reviewer or admin for any take.";
const REVIEWER = 'Reviewers and admins.';

const JSON_TYPE = 'application/json';

export const ENDPOINTS = {
  releases: {
    path: '/releases',
    summary: 'List imported releases',
    description: 'Every imported release, oldest first within each domain, with its object count and its objects counted by STIX type.',
    query: noQuery,
    contentType: JSON_TYPE,
    errors: [400],
    example: `${API_PREFIX}/releases`,
  },
  releaseBundle: {
    path: '/releases/{release}/bundle',
    summary: 'Download a release as a STIX bundle',
    description: "A STIX bundle of the release's objects, each exactly as the imported bundle spelled it.",
    params: releaseParams,
    query: noQuery,
    contentType: JSON_TYPE,
    errors: [400, 404],
    example: `${API_PREFIX}/releases/ics-attack-18.1/bundle`,
  },
  objects: {
    path: '/objects',
    summary: 'List objects',
    description:
      'Objects of the newest release of each domain, or of one release, sorted by type, ATT&CK ID and STIX ID. ' +
      `Pages hold up to ${MAX_LIMIT} objects; follow nextCursor until it is null.`,
    query: objectListQuery,
    contentType: JSON_TYPE,
    errors: [400, 404],
    example: `${API_PREFIX}/objects?type=attack-pattern&domain=ics-attack&status=active&limit=20`,
  },
  object: {
    path: '/objects/{id}',
    summary: 'Get one object',
    description:
      "The object's indexed facts, its parsed source JSON, and the team's published take on it (null when there is none; " +
      "the take's pinned.contentHash names the version a reviewer validated it against). An ATT&CK ID that names several objects " +
      '(T1114 is a technique and a deprecated mitigation) returns 409 with the candidates and their status unless type picks one; ' +
      'type takes a STIX type (attack-pattern) or a section of the site (technique).',
    params: objectParams,
    query: objectQuery,
    contentType: JSON_TYPE,
    errors: [400, 404, 409],
    example: `${API_PREFIX}/objects/T1114?type=attack-pattern`,
  },
  objectRelationships: {
    path: '/objects/{id}/relationships',
    summary: "List an object's relationships",
    description: "Relationships in the object's release whose source or target is the object, with the object at the other end.",
    params: objectParams,
    query: objectQuery,
    contentType: JSON_TYPE,
    errors: [400, 404, 409],
    example: `${API_PREFIX}/objects/G0049/relationships`,
  },
  objectHistory: {
    path: '/objects/{id}/history',
    summary: "List an object's versions across releases",
    description: 'The object in every imported release that contains it, oldest first, marking the releases where its content changed.',
    params: objectParams,
    query: objectQuery,
    contentType: JSON_TYPE,
    errors: [400, 404, 409],
    example: `${API_PREFIX}/objects/T0817/history`,
  },
  objectRaw: {
    path: '/objects/{id}/raw',
    summary: "Get an object's exact source bytes",
    description: "The object's bytes exactly as its release's bundle contains them.",
    params: objectParams,
    query: objectQuery,
    contentType: JSON_TYPE,
    errors: [400, 404, 409],
    example: `${API_PREFIX}/objects/T0817/raw?release=ics-attack-18.1`,
  },
  objectLayer: {
    path: '/objects/{id}/layer',
    summary: 'Export an ATT&CK Navigator layer',
    description:
      'A Navigator layer (format 4.5) of the techniques a group, software or campaign uses, or a mitigation mitigates, ' +
      'each scored 1 with the relationship description as its comment. Other types return 400.',
    params: objectParams,
    query: objectQuery,
    contentType: JSON_TYPE,
    errors: [400, 404, 409],
    example: `${API_PREFIX}/objects/G0049/layer?release=ics-attack-18.1`,
  },
  takes: {
    path: '/takes',
    summary: 'List takes',
    description:
      "The team's takes on ATT&CK objects, newest first. Anonymous callers get published takes only. " +
      'An ATT&CK ID in object that names several objects picks the one that is neither deprecated nor revoked; when not exactly one is, ' +
      'type must pick one (409 with the candidates otherwise). ' +
      `Pages hold up to ${MAX_LIMIT} takes; follow nextCursor until it is null.`,
    access: 'Anyone; signed-in users also see drafts, submitted, stale and withdrawn takes.',
    authentication: 'optional',
    query: takeListQuery,
    contentType: JSON_TYPE,
    errors: [400, 401, 404, 409],
    example: `${API_PREFIX}/takes?object=T1059.001&state=published`,
  },
  takeCreate: {
    path: '/takes',
    methods: ['POST'],
    summary: 'Write a take',
    description:
      "Creates a draft take on an object, pinned to the object's current version. An object has at most one take that is not withdrawn; " +
      'a second one returns 409. An ATT&CK ID that names several objects picks the one that is neither deprecated nor revoked ' +
      '(T1003 is the technique, not the deprecated mitigation); when not exactly one is, the body field type must pick one (409 with the candidates otherwise).',
    access: SIGNED_IN,
    authentication: 'required',
    query: noQuery,
    body: createTakeBody,
    successStatus: 201,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404, 409],
    example: `${API_PREFIX}/takes`,
    exampleBody: { object: 'T1059.001', body: 'Seen in most intrusions we handle; alert on encoded command lines.' },
  },
  take: {
    path: '/takes/{id}',
    summary: 'Get one take',
    description:
      'The take with the object version it is pinned to. A take that is not published is not found for anonymous callers. ' +
      "bodyHtml renders the Markdown with each (Citation: Name) that names one of the pinned version's external_references as a link [N]; " +
      'references lists those references (number, sourceName, url, description) and unknownCitations the cited names that match none.',
    access: 'Anyone for a published take; signed-in users for any take.',
    authentication: 'optional',
    params: takeParams,
    query: noQuery,
    contentType: JSON_TYPE,
    errors: [400, 401, 404],
    example: `${API_PREFIX}/takes/1`,
  },
  takeEdit: {
    path: '/takes/{id}',
    methods: ['PUT', 'PATCH'],
    summary: 'Edit a take',
    description:
      'Replaces the body. The take returns to draft, because its review no longer applies; a published take can only be edited by a reviewer. ' +
      'A body equal to the saved one changes nothing and returns the take as it is, so a request sent twice succeeds.',
    access: AUTHOR_OR_REVIEWER,
    authentication: 'required',
    params: takeParams,
    query: noQuery,
    body: editTakeBody,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404, 409],
    example: `${API_PREFIX}/takes/1`,
    exampleBody: { body: 'Updated analysis.', revision: 1 },
  },
  takeSubmit: {
    path: '/takes/{id}/submit',
    methods: ['POST'],
    summary: 'Submit a take for review',
    description: 'Moves a draft or stale take to submitted, where a reviewer can validate and publish it.',
    access: AUTHOR_OR_REVIEWER,
    authentication: 'required',
    params: takeParams,
    query: noQuery,
    body: revisionBody,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404, 409],
    example: `${API_PREFIX}/takes/1/submit`,
    exampleBody: { revision: 1 },
  },
  takeValidate: {
    path: '/takes/{id}/validate',
    methods: ['POST'],
    summary: 'Check whether a take can be published',
    description:
      "Checks the take against the object's current version and returns the check: publishable, reasons, schemaErrors of the current version, " +
      'the pinned and current release and content hash, and the field-by-field comparison of the pinned version with the current one ' +
      '(null when they are the same). The check is recorded in the audit log; the take does not change. The body may be left out.',
    access: REVIEWER,
    authentication: 'required',
    params: takeParams,
    query: noQuery,
    body: emptyBody,
    bodyOptional: true,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404],
    example: `${API_PREFIX}/takes/1/validate`,
  },
  takePublish: {
    path: '/takes/{id}/publish',
    methods: ['POST'],
    summary: 'Publish a take',
    description:
      "Publishes a submitted take when it is pinned to the object's current version and that version has no schema validation errors. " +
      'Otherwise returns 409 with code not-publishable and the check, as validate returns it. ' +
      'A reviewer cannot publish a take they wrote (403) unless the setting takes.allowSelfPublish is true.',
    access: REVIEWER,
    authentication: 'required',
    params: takeParams,
    query: noQuery,
    body: revisionBody,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404, 409],
    example: `${API_PREFIX}/takes/1/publish`,
    exampleBody: { revision: 2 },
  },
  takeRepin: {
    path: '/takes/{id}/repin',
    methods: ['POST'],
    summary: "Pin a take to the object's current version",
    description: "Pins a draft, submitted or stale take to the object's current version, after reading what changed. A stale take becomes submitted again.",
    access: REVIEWER,
    authentication: 'required',
    params: takeParams,
    query: noQuery,
    body: revisionBody,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404, 409],
    example: `${API_PREFIX}/takes/1/repin`,
    exampleBody: { revision: 2 },
  },
  takeWithdraw: {
    path: '/takes/{id}/withdraw',
    methods: ['POST'],
    summary: 'Withdraw a take',
    description: 'Withdraws the take; the object can then get a new take. Only a reviewer can withdraw a published take.',
    access: AUTHOR_OR_REVIEWER,
    authentication: 'required',
    params: takeParams,
    query: noQuery,
    body: revisionBody,
    contentType: JSON_TYPE,
    errors: [400, 401, 403, 404, 409],
    example: `${API_PREFIX}/takes/1/withdraw`,
    exampleBody: { revision: 3 },
  },
  audit: {
    path: '/audit',
    summary: 'Read the audit log',
    description:
      'Audit entries, newest first: who did what to which take, user or token, when and from where, with the state before and after. ' +
      'Follow nextBefore (also sent as a Link header with rel="next") until it is null. ' +
      'format=jsonl, or the header Accept: application/x-ndjson, returns one entry per line.',
    access: 'Admins.',
    authentication: 'required',
    query: auditQuery,
    contentType: JSON_TYPE,
    errors: [400, 401, 403],
    example: `${API_PREFIX}/audit?action=take.publish&since=2025-01-01&limit=20`,
  },
  me: {
    path: '/me',
    summary: 'Get the signed-in user',
    description:
      "The caller's user name, the role in effect, and whether the request used a session or an API token. " +
      'For a session, also the csrfToken that its writes must send in the X-CSRF-Token header.',
    access: SIGNED_IN,
    authentication: 'required',
    query: noQuery,
    contentType: JSON_TYPE,
    errors: [400, 401],
    example: `${API_PREFIX}/me`,
  },
  openapi: {
    path: '/openapi.json',
    summary: 'Get this OpenAPI document',
    description: 'The OpenAPI 3.1 description of this API, generated from the schemas that validate requests.',
    query: noQuery,
    contentType: JSON_TYPE,
    errors: [400],
    example: `${API_PREFIX}/openapi.json`,
  },
  docs: {
    path: '/docs',
    summary: 'Read the API documentation',
    description: 'This list of endpoints, their parameters and examples, as an HTML page.',
    query: noQuery,
    contentType: 'text/html',
    errors: [400],
    example: `${API_PREFIX}/docs`,
  },
} as const satisfies Record<string, EndpointSpec>;

export const ENDPOINT_LIST: readonly EndpointSpec[] = Object.values(ENDPOINTS);

export function methodsOf(endpoint: EndpointSpec): readonly HttpMethod[] {
  return endpoint.methods ?? ['GET'];
}

/** Converts the OpenAPI path to Fastify's form (`{id}` becomes `:id`), relative to the API prefix. */
export function routePath(endpoint: EndpointSpec): string {
  return endpoint.path.replace(/\{(\w+)\}/g, ':$1');
}
