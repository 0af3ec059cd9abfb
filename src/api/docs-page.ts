/** The HTML page at /api/v1/docs: every endpoint with its access, parameters, request body and an example request. */
import type { Config } from '../config.js';
import { renderLayout } from '../web/pages/layout.js';
import { html, type SafeHtml } from '../web/render/html.js';
import { ENDPOINT_LIST, methodsOf, type EndpointSpec, type HttpMethod } from './endpoints.js';
import { buildOpenApiDocument, CSRF_HEADER } from './openapi.js';
import { API_PREFIX } from './views.js';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

interface Operation {
  parameters: Parameter[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: Record<string, unknown> } } };
}

/** Summarises a parameter's JSON Schema: its type, allowed values, range and default. */
function schemaText(schema: Record<string, unknown>): string {
  const parts: string[] = [String(schema.type ?? 'string')];
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(', ')}`);
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number') parts.push(`${schema.minimum} to ${schema.maximum}`);
  if (schema.default !== undefined) parts.push(`default ${String(schema.default)}`);
  return parts.join('; ');
}

function parameterTable(parameters: readonly Parameter[]): SafeHtml {
  if (parameters.length === 0) return html`<p>No parameters.</p>`;
  const rows = parameters.map(
    (parameter) => html`<tr>
      <td><code>${parameter.name}</code></td><td>${parameter.in}</td><td>${parameter.required ? 'yes' : 'no'}</td>
      <td>${schemaText(parameter.schema)}</td><td>${parameter.description ?? ''}</td>
    </tr>`,
  );
  return html`<table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

/** Renders the fields of a JSON request body from its JSON Schema. */
function bodyTable(requestBody: Operation['requestBody']): SafeHtml {
  if (!requestBody) return html``;
  const schema = requestBody.content['application/json'].schema;
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(properties);
  const optional = requestBody.required ? '' : ' The body may be left out.';
  if (names.length === 0) return html`<p>Request body: an empty JSON object.${optional}</p>`;
  const rows = names.map((name) => {
    const field = properties[name] ?? {};
    return html`<tr>
      <td><code>${name}</code></td><td>${required.has(name) ? 'yes' : 'no'}</td>
      <td>${schemaText(field)}</td><td>${typeof field.description === 'string' ? field.description : ''}</td>
    </tr>`;
  });
  return html`<p>Request body: a JSON object (<code>Content-Type: application/json</code>).${optional}</p>
    <table><thead><tr><th>Field</th><th>Required</th><th>Schema</th><th>Description</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

function example(endpoint: EndpointSpec, method: HttpMethod): SafeHtml {
  if (method === 'GET') return html`<p>Example: <a href="${endpoint.example}"><code>${endpoint.example}</code></a></p>`;
  const body = endpoint.exampleBody ? ` ${JSON.stringify(endpoint.exampleBody)}` : '';
  return html`<p>Example: <code>${method} ${endpoint.example}${body}</code></p>`;
}

export function renderApiDocs(config: Config): string {
  const document = buildOpenApiDocument();
  const paths = document.paths as Record<string, Record<string, Operation>>;

  const sections = ENDPOINT_LIST.flatMap((endpoint) =>
    methodsOf(endpoint).map((method) => {
      const operation = paths[`${API_PREFIX}${endpoint.path}`]?.[method.toLowerCase()];
      return html`<section>
        <h2><code>${method} ${API_PREFIX}${endpoint.path}</code></h2>
        <p><strong>${endpoint.summary}.</strong> ${endpoint.description}</p>
        <p>Access: ${endpoint.access ?? 'Anyone.'}</p>
        ${parameterTable(operation?.parameters ?? [])}
        ${bodyTable(operation?.requestBody)}
        ${example(endpoint, method)}
      </section>`;
    }),
  );

  const body = html`<h1>Glexia API, version 1</h1>
    <p>Every endpoint returns JSON unless noted. Every GET sets a weak <code>ETag</code> and returns
    304 Not Modified when <code>If-None-Match</code> matches it. Errors have the body
    <code>{ "error": { "code": "not-found", "message": "..." } }</code> with the codes bad-request,
    unauthorized, forbidden, csrf (a session write without its CSRF token), not-found, conflict, not-publishable (with the publication check in
    <code>error.check</code>), too-many-requests and internal. The machine-readable description is
    <a href="${API_PREFIX}/openapi.json">${API_PREFIX}/openapi.json</a> (OpenAPI 3.1).</p>
    <h2>Authentication</h2>
    <p>Objects, releases and published takes need no authentication. Takes that are not published,
    every write, the audit log and <code>/me</code> need a signed-in user: send an API token that an
    admin created as <code>Authorization: Bearer glx_...</code>, or the session cookie of a browser
    that signed in. A request with the session cookie that writes (POST, PUT or PATCH) must also send
    the session's CSRF token in the <code>${CSRF_HEADER}</code> header, which
    <code>GET ${API_PREFIX}/me</code> returns as <code>csrfToken</code>; token requests need none.
    Roles are analyst (writes takes and edits their own), reviewer (also validates, publishes and
    re-pins any take) and admin (also reads the audit log). Each endpoint below says who may call it.</p>
    <p>Writes name the take's <code>revision</code> as the caller last read it, and fail with 409
    when the take changed since: read it again and retry. An edit whose body equals the saved one
    succeeds without a new revision.</p>
    <p>Where a request names an object by ATT&amp;CK ID, <code>type</code> picks among the objects
    that share the ID: a STIX type such as <code>attack-pattern</code>, or a section of the site such
    as <code>technique</code> or <code>mitigations</code>.</p>
    ${sections}`;
  return renderLayout({ title: 'API', config, body });
}
