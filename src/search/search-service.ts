/**
 * Library search: exact ATT&CK ID first, then exact STIX ID, then name and alias matches, then
 * full-text matches by relevance. A query that finds nothing is retried with the closest name,
 * alias or words within a small edit distance.
 */
import { DOMAINS, isDomain, pageKindForSegment, PAGE_KINDS } from '../domain/object-types.js';
import { isStixId } from '../domain/ids.js';
import type { ObjectSnapshot, ObjectStatus, SearchFilters, SearchHit, SearchTerms, Store } from '../storage/store.js';
import { attackIdOf, foldedWords, foldText, normaliseQuery, queryWords } from './query-text.js';
import { correctQuery } from './typo-correction.js';
import { plainSnippet } from './snippet-text.js';

export const MAX_RESULTS = 50;
export const STATUSES: readonly ObjectStatus[] = ['active', 'deprecated', 'revoked'];

/** Search parameters as they arrive in a URL; repeated parameters arrive as arrays. */
export interface SearchParameters {
  q?: string | string[];
  domain?: string | string[];
  type?: string | string[];
  status?: string | string[];
  release?: string | string[];
  /** Page of results, from 1; MAX_RESULTS results per page. */
  page?: string | string[];
}

/** Filters as the user chose them, validated, for the form and the JSON response. */
export interface ChosenFilters {
  domain?: string;
  /** A page kind segment such as `techniques`. */
  type?: string;
  statuses: ObjectStatus[];
  /** `<domain>-<version>`. */
  release?: string;
}

export interface SearchResult {
  object: ObjectSnapshot;
  status: ObjectStatus;
  /** Description excerpt; matched words are between U+E000 and U+E001. */
  snippet: string;
}

export interface SearchOutcome {
  /** The query after normalisation, as it was searched. */
  query: string;
  filters: ChosenFilters;
  results: SearchResult[];
  /** Number of objects found; `results` contains at most MAX_RESULTS of them. */
  total: number;
  /** Position of the first result in the ranking, from 0. */
  offset: number;
  /** The page shown, from 1. */
  page: number;
  /** The name, alias or words searched instead when the query found nothing. */
  correctedQuery?: string;
  message?: string;
}

export function objectStatus(object: Pick<ObjectSnapshot, 'deprecated' | 'revoked'>): ObjectStatus {
  if (object.revoked) return 'revoked';
  return object.deprecated ? 'deprecated' : 'active';
}

function single(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Reads `status=active,deprecated`, repeated `status` parameters or `status=all`; active alone by default. */
function parseStatuses(value: string | string[] | undefined): { statuses: ObjectStatus[]; invalid: string[] } {
  const parts = (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((part) => part.split(','))
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  if (parts.includes('all')) return { statuses: [...STATUSES], invalid: [] };
  const statuses = STATUSES.filter((status) => parts.includes(status));
  const invalid = parts.filter((part) => !(STATUSES as readonly string[]).includes(part));
  return { statuses: statuses.length > 0 ? statuses : ['active'], invalid };
}

interface ParsedFilters {
  chosen: ChosenFilters;
  store?: SearchFilters;
  /** Message explaining why the filters cannot match anything. */
  error?: string;
}

async function parseFilters(store: Store, parameters: SearchParameters, attackIdQuery: boolean): Promise<ParsedFilters> {
  // An ATT&CK ID names specific objects, and IDs are reused across types (T1114 is a technique and a
  // deprecated mitigation), so without a status filter an ID query shows every status.
  const status = parameters.status === undefined && attackIdQuery ? 'all' : parameters.status;
  const { statuses, invalid } = parseStatuses(status);
  const chosen: ChosenFilters = { statuses };
  const filters: SearchFilters = { statuses };
  if (invalid.length > 0) {
    return { chosen, error: `Invalid status "${invalid.join(', ')}": expected active, deprecated, revoked or all.` };
  }

  const domain = single(parameters.domain).trim();
  if (domain !== '') {
    chosen.domain = domain;
    if (!isDomain(domain)) return { chosen, error: `Unknown domain "${domain}": expected one of ${DOMAINS.join(', ')}.` };
    filters.domain = domain;
  }

  const type = single(parameters.type).trim();
  if (type !== '') {
    chosen.type = type;
    const kind = pageKindForSegment(type);
    if (!kind) {
      const known = PAGE_KINDS.map((pageKind) => pageKind.segment).join(', ');
      return { chosen, error: `Unknown type "${type}": expected one of ${known}.` };
    }
    filters.types = kind.types;
  }

  const release = single(parameters.release).trim();
  if (release !== '') {
    chosen.release = release;
    const match = /^([a-z]+-attack)-(\d+\.\d+)$/.exec(release);
    const found = match ? await store.findRelease(match[1] as string, match[2] as string) : undefined;
    if (!found) return { chosen, error: `Release "${release}" is not in this library: expected <domain>-<version>, such as enterprise-attack-18.1.` };
    filters.releaseId = found.id;
  }
  return { chosen, store: filters };
}

/** Rank groups, best first. */
const enum Rank {
  AttackId,
  StixId,
  ExactName,
  ExactAlias,
  NamePrefix,
  AliasPrefix,
  NameWords,
  Text,
}

/** Returns whether every query word is a word of the text, the last word possibly as the start of one. */
function containsWords(text: string, words: readonly string[]): boolean {
  const textWords = foldedWords(text);
  return words.every((word, index) =>
    textWords.some((textWord) => textWord === word || (index === words.length - 1 && textWord.startsWith(word))),
  );
}

function rankOf(hit: SearchHit, query: string, attackId: string | undefined): Rank {
  const { object } = hit;
  if (attackId !== undefined && object.attackId?.toUpperCase() === attackId) return Rank.AttackId;
  if (object.stixId === query) return Rank.StixId;
  const folded = foldText(query);
  const name = foldText(object.name ?? '');
  const aliases = hit.aliases.map(foldText);
  if (name === folded) return Rank.ExactName;
  if (aliases.includes(folded)) return Rank.ExactAlias;
  if (name.startsWith(folded)) return Rank.NamePrefix;
  if (aliases.some((alias) => alias.startsWith(folded))) return Rank.AliasPrefix;
  const words = foldedWords(query);
  if (words.length > 0 && [object.name ?? '', ...hit.aliases].some((text) => containsWords(text, words))) return Rank.NameWords;
  return Rank.Text;
}

interface RankedHit {
  hit: SearchHit;
  rank: Rank;
}

/**
 * Orders by rank, then active before deprecated before revoked, then shorter names first among
 * prefix matches (typing "Powersh" should list PowerShell before PowerShell Profile), then relevance.
 */
function compareRanked(a: RankedHit, b: RankedHit): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  const statusOrder = STATUSES.indexOf(objectStatus(a.hit.object)) - STATUSES.indexOf(objectStatus(b.hit.object));
  if (statusOrder !== 0) return statusOrder;
  if (a.rank === Rank.NamePrefix) {
    const lengthOrder = (a.hit.object.name ?? '').length - (b.hit.object.name ?? '').length;
    if (lengthOrder !== 0) return lengthOrder;
  }
  if (a.hit.score !== b.hit.score) return b.hit.score - a.hit.score;
  const left = a.hit.object.attackId ?? a.hit.object.name ?? a.hit.object.stixId;
  const right = b.hit.object.attackId ?? b.hit.object.name ?? b.hit.object.stixId;
  return left.localeCompare(right, 'en', { numeric: true });
}

/** Finds and ranks the objects for one query; the hits are distinct STIX IDs. */
async function findRanked(store: Store, query: string, filters: SearchFilters): Promise<{ ranked: RankedHit[]; terms: SearchTerms }> {
  const attackId = attackIdOf(query);
  const stixId = isStixId(query) ? query : undefined;
  const terms: SearchTerms = { words: queryWords(query), prefixLast: true };

  const byStixId = new Map<string, SearchHit>();
  if (attackId !== undefined || stixId !== undefined) {
    for (const hit of await store.searchIdentifier({ attackId, stixId }, filters)) byStixId.set(hit.object.stixId, hit);
  }
  for (const hit of await store.searchText(terms, filters)) {
    const known = byStixId.get(hit.object.stixId);
    if (known) known.score = Math.max(known.score, hit.score);
    else byStixId.set(hit.object.stixId, hit);
  }
  const ranked = [...byStixId.values()].map((hit) => ({ hit, rank: rankOf(hit, query, attackId) }));
  ranked.sort(compareRanked);
  return { ranked, terms };
}

function noResultsMessage(query: string, filters: ChosenFilters): string {
  const hidden = STATUSES.filter((status) => !filters.statuses.includes(status));
  const statusHint = hidden.length > 0 ? ` ${hidden.join(' and ')} objects are hidden unless you include them.` : '';
  return `No object matches "${query}". Check the spelling, use fewer words or remove a filter.${statusHint}`;
}

/** Reads the page number; anything but a whole number from 1 gives page 1. */
function pageNumber(value: string | string[] | undefined): number {
  const text = single(value).trim();
  const page = /^\d{1,6}$/.test(text) ? Number(text) : 1;
  return page >= 1 ? page : 1;
}

/** Searches the library. Never throws for any user input: invalid filters and empty queries give a message. */
export async function searchLibrary(store: Store, parameters: SearchParameters): Promise<SearchOutcome> {
  const query = normaliseQuery(single(parameters.q));
  const parsed = await parseFilters(store, parameters, attackIdOf(query) !== undefined);
  const page = pageNumber(parameters.page);
  const empty = { query, filters: parsed.chosen, results: [], total: 0, offset: 0, page };
  if (!parsed.store) return { ...empty, message: parsed.error };
  if (queryWords(query).length === 0 && !isStixId(query)) {
    return { ...empty, message: 'Enter an ATT&CK ID (T1059.001), a STIX ID, a name, an alias or words of a description.' };
  }

  let { ranked, terms } = await findRanked(store, query, parsed.store);
  let correctedQuery: string | undefined;
  if (ranked.length === 0 && attackIdOf(query) === undefined && !isStixId(query)) {
    correctedQuery = correctQuery(query, await store.searchVocabulary());
    if (correctedQuery !== undefined) ({ ranked, terms } = await findRanked(store, correctedQuery, parsed.store));
    if (ranked.length === 0) correctedQuery = undefined;
  }

  // A page past the end shows the last page.
  const lastPage = Math.max(1, Math.ceil(ranked.length / MAX_RESULTS));
  const shownPage = Math.min(page, lastPage);
  const offset = (shownPage - 1) * MAX_RESULTS;
  const shown = ranked.slice(offset, offset + MAX_RESULTS).map((entry) => entry.hit.object);
  const snippets = await store.searchSnippets(
    shown.map((object) => object.stixId),
    terms,
  );
  const results = shown.map((object) => ({ object, status: objectStatus(object), snippet: plainSnippet(snippets.get(object.stixId) ?? '') }));
  const outcome: SearchOutcome = { query, filters: parsed.chosen, results, total: ranked.length, offset, page: shownPage };
  if (correctedQuery !== undefined) {
    outcome.correctedQuery = correctedQuery;
    outcome.message = `No object matches "${query}". Showing results for "${correctedQuery}".`;
  } else if (ranked.length === 0) {
    outcome.message = noResultsMessage(query, parsed.chosen);
  }
  return outcome;
}
