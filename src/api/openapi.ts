/** The OpenAPI 3.1 document, generated from the endpoint list and its zod schemas. */
import { z } from 'zod';
import { SESSION_COOKIE } from '../accounts/sessions.js';
import { ENDPOINTS, methodsOf, type EndpointSpec, type HttpMethod } from './endpoints.js';
import { errorBody } from './schemas.js';
import { API_PREFIX } from './views.js';

type JsonSchema = Record<string, unknown>;

/** Header that session-cookie requests must send with every write, carrying the session's CSRF token. */
export const CSRF_HEADER = 'X-CSRF-Token';

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid parameter or request body, or an operation the object does not support.',
  401: 'No valid session or API token came with the request: sign in, or send "Authorization: Bearer <token>".',
  403: "The caller's role does not allow the action, or the caller wrote the take they try to publish; the message says which.",
  404: 'No such release, object or take.',
  409:
    'Conflict: the ATT&CK ID names several objects (the error lists them as candidates, with their status), the take changed since it was read, ' +
    'its state does not allow the action, or it cannot be published (code not-publishable, with the check).',
};

const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (glx_...) that an admin created. It acts with the lower of its own role and its user\'s current role. Writes need no CSRF header.',
  },
  cookieAuth: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `The session cookie set by signing in on the site. Every POST, PUT or PATCH with it must send the session's CSRF token in the ${CSRF_HEADER} header.`,
  },
};

/** JSON Schema draft 2020-12, the dialect OpenAPI 3.1 uses, without the `$schema` key a Schema Object does not need. */
function toSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
}

function parameters(endpoint: EndpointSpec, method: HttpMethod): JsonSchema[] {
  const list: JsonSchema[] = [];
  const add = (location: 'path' | 'query', shape: Record<string, z.ZodType>) => {
    for (const [name, field] of Object.entries(shape)) {
      const schema = toSchema(field);
      const parameter: JsonSchema = { name, in: location, required: location === 'path' || !field.safeParse(undefined).success, schema };
      if (typeof schema.description === 'string') parameter.description = schema.description;
      list.push(parameter);
    }
  };
  if (endpoint.params) add('path', endpoint.params.shape as Record<string, z.ZodType>);
  add('query', endpoint.query.shape as Record<string, z.ZodType>);
  if (method !== 'GET' && endpoint.authentication === 'required') {
    list.push({
      name: CSRF_HEADER,
      in: 'header',
      required: false,
      description: "The session's CSRF token. Required when the request authenticates with the session cookie; not needed with a bearer token.",
      schema: { type: 'string' },
    });
  }
  return list;
}

function security(endpoint: EndpointSpec): JsonSchema[] | undefined {
  const schemes = [{ bearerAuth: [] }, { cookieAuth: [] }];
  if (endpoint.authentication === 'required') return schemes;
  // An empty requirement object makes authentication optional.
  if (endpoint.authentication === 'optional') return [{}, ...schemes];
  return undefined;
}

function operation(id: string, endpoint: EndpointSpec, method: HttpMethod): JsonSchema {
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  const success = endpoint.successStatus ?? 200;
  const responses: Record<string, JsonSchema> = {
    [success]: { description: success === 201 ? 'Created' : 'OK', content: { [endpoint.contentType]: {} } },
  };
  if (method === 'GET') responses[304] = { description: 'Not modified: the If-None-Match header matched the ETag.' };
  for (const status of endpoint.errors) {
    responses[status] = { description: STATUS_TEXT[status] ?? 'Error.', content: errorContent };
  }
  responses[500] = { description: 'Internal error; the server log has the details.', content: errorContent };

  const result: JsonSchema = {
    operationId: id,
    summary: endpoint.summary,
    description: `${endpoint.description} Access: ${endpoint.access ?? 'Anyone.'}`,
    parameters: parameters(endpoint, method),
  };
  if (endpoint.body) {
    const content: JsonSchema = { schema: toSchema(endpoint.body) };
    if (endpoint.exampleBody) content.example = endpoint.exampleBody;
    result.requestBody = { required: endpoint.bodyOptional !== true, content: { 'application/json': content } };
  }
  const requirements = security(endpoint);
  if (requirements) result.security = requirements;
  result.responses = responses;
  return result;
}

export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [key, endpoint] of Object.entries(ENDPOINTS) as [string, EndpointSpec][]) {
    const item = (paths[`${API_PREFIX}${endpoint.path}`] ??= {});
    const methods = methodsOf(endpoint);
    for (const method of methods) {
      const id = methods.length === 1 ? key : `${key}${method.charAt(0)}${method.slice(1).toLowerCase()}`;
      item[method.toLowerCase()] = operation(id, endpoint, method);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Glexia API',
      version: '1',
      description:
        "JSON access to the imported MITRE ATT&CK releases and to the team's takes on them. Every GET returns a weak ETag and returns 304 " +
        'when If-None-Match matches it. Takes, the audit log and /me need a session cookie or an API token where noted; each ' +
        "operation's description ends with who may call it.",
    },
    paths,
    components: { schemas: { Error: toSchema(errorBody) }, securitySchemes: SECURITY_SCHEMES },
  };
}
