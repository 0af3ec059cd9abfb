/**
 * Renders ATT&CK description fields to HTML. Descriptions are CommonMark with
 * inline HTML (`<code>`, `<u>`, `<br>`) and `(Citation: Name)` markers. The
 * renderer turns each citation into a numbered link to the page's reference list,
 * then passes the HTML through an allow-list sanitiser, because descriptions come
 * from imported bundles that this program does not control.
 */
import MarkdownIt from 'markdown-it';
import type { MarkdownIt as MarkdownRenderer, StateCore, StateInline, Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

import {
  CITATION_MARKER,
  CitationRegistry,
  citationAnchorId,
  referenceAnchorId,
  scanCitations,
  type ExternalReference,
} from './citations.js';
import { trusted, type SafeHtml } from './html.js';

/**
 * The `env` object that markdown-it passes to the citation rule for one render.
 * The keys avoid `references`, where markdown-it stores link reference definitions.
 */
type CitationEnv = {
  citationSources: readonly ExternalReference[];
  citationRegistry: CitationRegistry;
};

type CitationMeta = {
  number: number;
  use: number;
};

// The Markdown renderer emits each citation as a placeholder made of these two
// private-use characters around "number.use", and the final markup replaces it
// after sanitising. The sanitiser therefore never has to allow `class` or `id`
// attributes, which input HTML could otherwise use to spoof citations or to
// clobber DOM ids. Input text has these characters replaced, so only the
// renderer can produce a placeholder.
const PLACEHOLDER_START = '\uE000';
const PLACEHOLDER_END = '\uE001';
const PLACEHOLDER_CHARACTERS = /[\uE000\uE001]/g;
const PLACEHOLDER = /\uE000(\d+)\.(\d+)\uE001/g;

const BLOCK_TAGS = [
  'p', 'pre', 'ul', 'ol', 'li', 'blockquote', 'hr',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
];
const INLINE_TAGS = ['a', 'br', 'em', 'strong', 'u', 'b', 'i', 's', 'del', 'code', 'sup', 'sub'];

/** Tag names that HTML inside a description may use. Any other tag is shown as text. */
const ALLOWED_TAG_NAMES = new Set([...BLOCK_TAGS, ...INLINE_TAGS]);

/**
 * Adds `rel` to links that leave the site, and drops any `rel` from the input.
 * The sanitiser still removes an `href` with a scheme other than http, https or
 * mailto after this runs.
 */
function transformLink(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const kept = { ...attribs };
  delete kept.rel;
  if (kept.href !== undefined && /^\s*(?:https?|mailto):/i.test(kept.href)) {
    kept.rel = 'noopener noreferrer';
  }
  return { tagName, attribs: kept };
}

function sanitizerOptions(allowedTags: string[]): sanitizeHtml.IOptions {
  return {
    allowedTags,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      ol: ['start'],
      th: ['colspan', 'rowspan'],
      td: ['colspan', 'rowspan'],
    },
    allowedClasses: {},
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: {},
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    // Tags outside the allow-list that still reach the sanitiser, such as `<img>`
    // from Markdown images or malformed HTML that htmlparser2 reads differently
    // from escapeDisallowedTags, are dropped with their text kept. The text of
    // script, style, textarea and option elements is dropped too.
    disallowedTagsMode: 'discard',
    enforceHtmlBoundary: false,
    parseStyleAttributes: false,
    // The page title is h1 and its sections are h2, so description headings move two levels down.
    transformTags: { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', a: transformLink },
  };
}

const BLOCK_SANITIZER_OPTIONS = sanitizerOptions([...BLOCK_TAGS, ...INLINE_TAGS]);
// One-line fields sit in table cells, where block markup would break the layout.
const INLINE_SANITIZER_OPTIONS = sanitizerOptions(INLINE_TAGS);

const TAG_START = /<(\/?)([A-Za-z][A-Za-z0-9-]*)/g;

/**
 * Escapes the `<` of every tag whose name is not allowed, so the tag shows as
 * typed. ATT&CK descriptions use angle brackets for placeholders outside code
 * spans, as in `<code>net view <host></code>` or `the <RUN> hive`, which
 * markdown-it reads as HTML tags and a sanitiser would delete. Hostile tags such
 * as `<script>` also end up as visible text.
 */
function escapeDisallowedTags(markup: string): string {
  return markup.replace(TAG_START, (match: string, slash: string, name: string) =>
    ALLOWED_TAG_NAMES.has(name.toLowerCase()) ? match : `&lt;${slash}${name}`,
  );
}

const LINK_OR_CODE_TAG = /^<(\/?)(a|code)(?=[\s/>])/i;

function createTextToken(state: StateCore, content: string, level: number): Token {
  const token = new state.Token('text', '', 0);
  token.content = content;
  token.level = level;
  return token;
}

/**
 * Splits a text token at each citation that resolves to a reference. Returns
 * undefined when no citation in it resolves, so unmatched citations stay as
 * their original text.
 */
function splitAtCitations(token: Token, state: StateCore, env: CitationEnv): Token[] | undefined {
  const text = token.content;
  const parts: Token[] = [];
  let textStart = 0;

  for (const span of scanCitations(text)) {
    const number = env.citationRegistry.cite(span.sourceName, env.citationSources);
    if (number === undefined) continue;

    if (span.start > textStart) parts.push(createTextToken(state, text.slice(textStart, span.start), token.level));
    const citation = new state.Token('citation', '', 0);
    citation.level = token.level;
    const meta: CitationMeta = { number, use: env.citationRegistry.useCount(number) };
    citation.meta = meta;
    parts.push(citation);
    textStart = span.end;
  }

  if (parts.length === 0) return undefined;
  if (textStart < text.length) parts.push(createTextToken(state, text.slice(textStart), token.level));
  return parts;
}

/**
 * Replaces citations in the children of one inline token. Text inside links is
 * skipped because a citation link there would nest one `<a>` in another. Text
 * inside HTML `<code>` elements is skipped like Markdown code spans, which
 * markdown-it already keeps out of text tokens.
 */
function linkCitationsInline(children: Token[], state: StateCore, env: CitationEnv): Token[] {
  let result: Token[] | undefined;
  let linkDepth = 0;
  let codeDepth = 0;

  for (let index = 0; index < children.length; index++) {
    const token = children[index]!;
    let replacement: Token[] | undefined;

    if (token.type === 'link_open') {
      linkDepth++;
    } else if (token.type === 'link_close') {
      linkDepth = Math.max(0, linkDepth - 1);
    } else if (token.type === 'html_inline') {
      const tag = LINK_OR_CODE_TAG.exec(token.content);
      if (tag !== null) {
        const step = tag[1] === '/' ? -1 : 1;
        if (tag[2]!.toLowerCase() === 'a') linkDepth = Math.max(0, linkDepth + step);
        else codeDepth = Math.max(0, codeDepth + step);
      }
    } else if (token.type === 'text' && linkDepth === 0 && codeDepth === 0 && token.content.includes(CITATION_MARKER)) {
      replacement = splitAtCitations(token, state, env);
    }

    if (replacement !== undefined) {
      result ??= children.slice(0, index);
      result.push(...replacement);
    } else {
      result?.push(token);
    }
  }

  return result ?? children;
}

const BACKSLASH = 0x5c;
const LESS_THAN = 0x3c;
const SLASH = 0x2f;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * Inline rule that keeps a backslash before an HTML tag as a literal backslash,
 * so the tag is still parsed as HTML. CommonMark reads `\<` as an escaped `<`,
 * but ATT&CK descriptions end Windows paths with a backslash right before a
 * closing tag, as in `<code>HKCU\...\Run\</code>`, 57 times in Enterprise 18.1
 * descriptions. Read as an escape, the `</code>` would show as text and the
 * code element would swallow the rest of the paragraph.
 */
function backslashBeforeTag(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== BACKSLASH || src.charCodeAt(pos + 1) !== LESS_THAN) return false;
  const afterBracket = src.charCodeAt(pos + 2);
  if (afterBracket !== SLASH && !isAsciiLetter(afterBracket)) return false;

  if (!silent) state.pending += '\\';
  state.pos = pos + 1;
  return true;
}

/** Core rule that replaces resolvable citations in text tokens with `citation` tokens. */
function linkCitations(state: StateCore): void {
  const env = state.env as Partial<CitationEnv> | undefined;
  if (!(env?.citationRegistry instanceof CitationRegistry) || env.citationSources === undefined) return;
  const citationEnv: CitationEnv = { citationRegistry: env.citationRegistry, citationSources: env.citationSources };

  for (const token of state.tokens) {
    if (token.type === 'inline' && token.children !== null) {
      token.children = linkCitationsInline(token.children, state, citationEnv);
    }
  }
}

function createMarkdownRenderer(): MarkdownRenderer {
  const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });

  // After text_join, so text and entity tokens are merged and a citation name
  // with an entity or backslash escape in it is one text token.
  md.core.ruler.push('attack_citations', linkCitations);
  md.inline.ruler.before('escape', 'backslash_before_tag', backslashBeforeTag);

  md.renderer.rules.citation = (tokens, index) => {
    const meta = tokens[index]!.meta as CitationMeta;
    return `${PLACEHOLDER_START}${meta.number}.${meta.use}${PLACEHOLDER_END}`;
  };
  md.renderer.rules.html_inline = (tokens, index) => escapeDisallowedTags(tokens[index]!.content);
  md.renderer.rules.html_block = (tokens, index) => escapeDisallowedTags(tokens[index]!.content);

  return md;
}

const markdown = createMarkdownRenderer();

function citationMarkup(number: number, use: number): string {
  return `<sup class="cite"><a href="#${referenceAnchorId(number)}" id="${citationAnchorId(number, use)}">[${number}]</a></sup>`;
}

function finish(rendered: string, options: sanitizeHtml.IOptions): SafeHtml {
  const clean = sanitizeHtml(rendered, options);
  if (!clean.includes(PLACEHOLDER_START)) return trusted(clean);
  return trusted(
    clean.replace(PLACEHOLDER, (_match: string, number: string, use: string) => citationMarkup(Number(number), Number(use))),
  );
}

function removePlaceholderCharacters(text: string): string {
  return text.replace(PLACEHOLDER_CHARACTERS, '\uFFFD');
}

/**
 * Renders a description (block Markdown with inline HTML) to sanitised HTML.
 * Each citation whose name resolves through `registry.cite` becomes a link
 * `[N]` to `#ref-N`. An unresolved citation stays as its original text.
 * Citations inside code spans, HTML `<code>` elements and link text are left as
 * text. Numbers are assigned in the order the page calls this function, so render
 * the page's fields in display order.
 */
export function renderDescription(
  text: string,
  references: readonly ExternalReference[],
  registry: CitationRegistry,
): SafeHtml {
  const env: CitationEnv = { citationSources: references, citationRegistry: registry };
  return finish(markdown.render(removePlaceholderCharacters(text), env), BLOCK_SANITIZER_OPTIONS);
}

/**
 * Renders a one-line field, such as a relationship description in a table, as
 * inline Markdown without a wrapping paragraph. Citations and sanitising work
 * as in `renderDescription`, and block tags in input HTML are removed with
 * their text kept.
 */
export function renderInlineText(
  text: string,
  references: readonly ExternalReference[],
  registry: CitationRegistry,
): SafeHtml {
  const env: CitationEnv = { citationSources: references, citationRegistry: registry };
  return finish(markdown.renderInline(removePlaceholderCharacters(text), env), INLINE_SANITIZER_OPTIONS);
}
