/** The OpenAPI 3.1 document, generated from the endpoint list and its zod schemas. */
import { z } from 'zod';
import { ENDPOINT_LIST, type EndpointSpec } from './endpoints.js';
import { errorBody } from './schemas.js';
import { API_PREFIX } from './views.js';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid parameter, or an operation the object does not support.',
  404: 'No such release or object.',
  409: 'The ATT&CK ID names several objects; the error lists them as candidates.',
};

/** JSON Schema draft 2020-12, the dialect OpenAPI 3.1 uses, without the `$schema` key a Schema Object does not need. */
function toSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return rest;
}

function parameters(endpoint: EndpointSpec): JsonSchema[] {
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
  return list;
}

function operation(endpoint: EndpointSpec): JsonSchema {
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  const responses: Record<string, JsonSchema> = {
    200: { description: 'OK', content: { [endpoint.contentType]: {} } },
    304: { description: 'Not modified: the If-None-Match header matched the ETag.' },
  };
  for (const status of endpoint.errors) {
    responses[status] = { description: STATUS_TEXT[status] ?? 'Error.', content: errorContent };
  }
  responses[500] = { description: 'Internal error; the server log has the details.', content: errorContent };
  return {
    summary: endpoint.summary,
    description: endpoint.description,
    parameters: parameters(endpoint),
    responses,
  };
}

export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const endpoint of ENDPOINT_LIST) paths[`${API_PREFIX}${endpoint.path}`] = { get: operation(endpoint) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Glexia API',
      version: '1',
      description: 'Read-only JSON access to the imported MITRE ATT&CK releases. Every GET returns a weak ETag and returns 304 when If-None-Match matches it.',
    },
    paths,
    components: { schemas: { Error: toSchema(errorBody) } },
  };
}
