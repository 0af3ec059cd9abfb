/** The page shell shared by every HTML page: head, incident banner, header, footer. */
import type { Config } from '../../config.js';
import { html, type HtmlValue, type SafeHtml } from '../render/html.js';

export interface LayoutOptions {
  title: string;
  config: Config;
  body: HtmlValue;
  /** Prefills the header's search box. */
  query?: string;
}

function banner(config: Config): SafeHtml | '' {
  if (config.banner === false) return '';
  const { text, linkText, url } = config.banner;
  return html`<aside class="incident-banner" role="note" aria-label="Incident response">
    <strong>${text}</strong> <a href="${url}" rel="noopener noreferrer">${linkText}</a>
  </aside>`;
}

function header(query: string | undefined): SafeHtml {
  return html`<header class="site-header">
    <a class="brand" href="/">Glexia</a>
    <nav aria-label="Matrices">
      <a href="/matrices/enterprise-attack">Enterprise</a>
      <a href="/matrices/mobile-attack">Mobile</a>
      <a href="/matrices/ics-attack">ICS</a>
    </nav>
    <form class="search" action="/search" method="get" role="search">
      <label for="site-search" class="visually-hidden">Search by ATT&amp;CK ID, STIX ID, name, alias or description (shortcut: /)</label>
      <input id="site-search" name="q" type="search" placeholder="T1059, APT28, Phishing... (press /)" value="${query ?? ''}">
      <button type="submit">Search</button>
    </form>
    <!--glexia:account-->
  </header>`;
}

export function renderLayout(options: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} | Glexia</title>
<link rel="stylesheet" href="/static/site.css">
<script src="/static/site.js" defer></script>
</head>
<body>
${banner(options.config)}
${header(options.query)}
<main id="main">${options.body}</main>
<footer class="site-footer">
  <p>Glexia, a self-hosted MITRE ATT&amp;CK library. ATT&amp;CK content is &copy; The MITRE Corporation.</p>
</footer>
</body>
</html>`.value;
}
