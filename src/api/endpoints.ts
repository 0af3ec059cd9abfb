/**
 * The API's endpoints as data: path, parameter schemas, responses and an example. Routes take
 * their paths and schemas from here, and the OpenAPI document and the docs page are generated
 * from the same entries.
 */
import type { z } from 'zod';
import { API_PREFIX } from './views.js';
import { MAX_LIMIT, noQuery, objectListQuery, objectParams, objectQuery, releaseParams } from './schemas.js';

export interface EndpointSpec {
  /** OpenAPI path below the prefix, with `{name}` path parameters. */
  path: string;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query: z.ZodObject;
  /** Media type of the 200 response. */
  contentType: string;
  /** Error statuses the endpoint can return besides 304 and 500. */
  errors: number[];
  /** An example request path, prefix included. */
  example: string;
}

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
      "The object's indexed facts and its parsed source JSON. An ATT&CK ID that names several objects " +
      '(T1114 is a technique and a mitigation) returns 409 with the candidates unless type picks one.',
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

/** Converts the OpenAPI path to Fastify's form (`{id}` becomes `:id`), relative to the API prefix. */
export function routePath(endpoint: EndpointSpec): string {
  return endpoint.path.replace(/\{(\w+)\}/g, ':$1');
}
