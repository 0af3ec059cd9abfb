/**
 * Groups entries the way MITRE's changelogs list them: by category, then by
 * section, with sub-techniques under their parent technique. A parent that is
 * not itself an entry of the group appears as a context row.
 */
import type { Category, ChangelogEntry, ObjectRef, Section } from './schema.js';
import { CATEGORIES, SECTIONS } from './schema.js';

export interface EntryRow {
  /** The row's own entry; undefined for a parent shown only to hold its sub-techniques. */
  entry: ChangelogEntry | undefined;
  /** The parent technique of a context row. */
  context: ObjectRef | undefined;
  children: ChangelogEntry[];
}

export interface SectionGroup {
  section: Section;
  rows: EntryRow[];
  /** Entries in the section, sub-techniques included. */
  count: number;
}

export interface CategoryGroup {
  category: Category;
  sections: SectionGroup[];
  count: number;
}

function rowsOf(entries: readonly ChangelogEntry[]): EntryRow[] {
  const rows: EntryRow[] = [];
  const rowByStixId = new Map<string, EntryRow>();
  for (const entry of entries) {
    if (!entry.isSubtechnique) {
      const existing = rowByStixId.get(entry.stixId);
      if (existing) {
        existing.entry = entry;
        existing.context = undefined;
        continue;
      }
      const row: EntryRow = { entry, context: undefined, children: [] };
      rows.push(row);
      rowByStixId.set(entry.stixId, row);
      continue;
    }
    const parent = entry.parent;
    if (!parent) {
      rows.push({ entry, context: undefined, children: [] });
      continue;
    }
    let row = rowByStixId.get(parent.stixId);
    if (!row) {
      row = { entry: undefined, context: parent, children: [] };
      rowByStixId.set(parent.stixId, row);
      rows.push(row);
    }
    row.children.push(entry);
  }
  return rows;
}

/** Groups entries sorted by `compareEntries`; empty categories and sections are left out. */
export function groupEntries(entries: readonly ChangelogEntry[]): CategoryGroup[] {
  const groups: CategoryGroup[] = [];
  for (const category of CATEGORIES) {
    const inCategory = entries.filter((entry) => entry.category === category);
    if (inCategory.length === 0) continue;
    const sections: SectionGroup[] = [];
    for (const section of SECTIONS) {
      const inSection = inCategory.filter((entry) => entry.section === section);
      if (inSection.length > 0) sections.push({ section, rows: rowsOf(inSection), count: inSection.length });
    }
    groups.push({ category, sections, count: inCategory.length });
  }
  return groups;
}

/** `T1059: Command and Scripting Interpreter`, or whichever of ID, name and STIX ID exists. */
export function labelOf(object: { attackId: string | null; name: string | null; stixId: string }): string {
  if (object.attackId && object.name) return `${object.attackId}: ${object.name}`;
  return object.name ?? object.attackId ?? object.stixId;
}

/** `v1.2 → v2.0` for changed versions, `v1.2` for one side or equal versions, empty without versions. */
export function versionText(entry: ChangelogEntry): string {
  const { oldVersion, newVersion } = entry;
  if (oldVersion !== null && newVersion !== null && oldVersion !== newVersion) return `v${oldVersion} \u2192 v${newVersion}`;
  const version = newVersion ?? oldVersion;
  return version === null ? '' : `v${version}`;
}
