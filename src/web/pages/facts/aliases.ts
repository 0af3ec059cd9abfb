/**
 * Associated names of groups, software and campaigns. ATT&CK lists the
 * object's own name among its aliases, and explains an alias in the
 * `external_references` entry whose `source_name` is the alias, usually with
 * nothing but citations.
 */
import { externalReferences, stringList } from '../../../domain/stix-object.js';
import type { SafeHtml } from '../../render/html.js';
import { renderInlineText } from '../../render/markdown.js';
import { section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { simpleTable } from './tables.js';

/** Aliases in `key` other than the object's own name, in MITRE's order and without repeats. */
export function otherAliases(context: PageContext, key: 'aliases' | 'x_mitre_aliases'): string[] {
  const name = context.object.name;
  return [...new Set(stringList(context.json, key))].filter((alias) => alias !== name);
}

function aliasDescription(context: PageContext, alias: string): SafeHtml | string {
  const references = externalReferences(context.json);
  const description = references.find((reference) => reference.source_name === alias)?.description;
  return description === undefined ? '' : renderInlineText(description, references, context.citations);
}

/** Renders a section with one row per associated name and its description. */
export function aliasSection(
  context: PageContext,
  key: 'aliases' | 'x_mitre_aliases',
  heading: { id: string; title: string; empty: string },
): SafeHtml {
  const rows = otherAliases(context, key).map((alias) => [alias, aliasDescription(context, alias)]);
  return section(heading.id, heading.title, simpleTable(['Name', 'Description'], rows, heading.empty));
}
