/**
 * Escape-by-default HTML templates. Every value interpolated into `html` is
 * escaped unless it is already `SafeHtml`, so a page can only contain markup
 * that a template or the Markdown sanitiser produced.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += renderValue(values[i] as HtmlValue) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Marks markup as trusted. Only for output of the Markdown sanitiser or of `html`. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function joinHtml(parts: readonly SafeHtml[], separator: SafeHtml | string = ''): SafeHtml {
  return new SafeHtml(parts.map((part) => part.value).join(renderValue(separator)));
}

const SAFE_URL = /^(https?:|mailto:)/i;

/** Returns the URL when its scheme is http, https or mailto; other schemes (javascript:, data:) are never linked. */
export function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && SAFE_URL.test(url.trim()) ? url.trim() : undefined;
}
