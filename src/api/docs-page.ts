/** The HTML page at /api/v1/docs: every endpoint with its parameters and an example request. */
import type { Config } from '../config.js';
import { renderLayout } from '../web/pages/layout.js';
import { html, type SafeHtml } from '../web/render/html.js';
import { ENDPOINT_LIST } from './endpoints.js';
import { buildOpenApiDocument } from './openapi.js';
import { API_PREFIX } from './views.js';

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
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

export function renderApiDocs(config: Config): string {
  const document = buildOpenApiDocument();
  const paths = document.paths as Record<string, { get: { parameters: Parameter[] } }>;

  const sections = ENDPOINT_LIST.map((endpoint) => {
    const parameters = paths[`${API_PREFIX}${endpoint.path}`]?.get.parameters ?? [];
    return html`<section>
      <h2><code>GET ${API_PREFIX}${endpoint.path}</code></h2>
      <p><strong>${endpoint.summary}.</strong> ${endpoint.description}</p>
      ${parameterTable(parameters)}
      <p>Example: <a href="${endpoint.example}"><code>${endpoint.example}</code></a></p>
    </section>`;
  });

  const body = html`<h1>Glexia API, version 1</h1>
    <p>Every endpoint answers GET with JSON unless noted, sets a weak <code>ETag</code>, and returns
    304 Not Modified when <code>If-None-Match</code> matches it. Errors have the body
    <code>{ "error": { "code": "not-found", "message": "..." } }</code> with the codes bad-request,
    not-found, conflict and internal. The machine-readable description is
    <a href="${API_PREFIX}/openapi.json">${API_PREFIX}/openapi.json</a> (OpenAPI 3.1).</p>
    ${sections}`;
  return renderLayout({ title: 'API', config, body });
}
