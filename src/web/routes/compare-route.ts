/**
 * Comparison pages: `/techniques/T1059/compare?from=15.1&to=18.1`,
 * `/techniques/T1059/001/compare` and `/objects/<stix-id>/compare` show what
 * changed in one object between two releases that contain it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import {
  compareRelationships,
  defaultPair,
  findSnapshot,
  relationshipEnds,
  type RelationshipComparison,
} from '../../history/compare/index.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import { objectPath, stixPath } from '../links.js';
import {
  renderCompareChoice,
  renderComparison,
  renderInvalidSelection,
  type CompareTarget,
  type InvalidSelection,
  type SelectionProblem,
} from '../pages/compare-page.js';
import { displayName } from '../pages/components.js';
import { renderNotFound } from '../pages/simple-pages.js';
import { findObjectsForAddress } from './object-lookup.js';

const HTML = 'text/html; charset=utf-8';

interface CompareQuery {
  from?: string | string[];
  to?: string | string[];
}

// ---------------------------------------------------------------------------
// Choosing the two releases

/** Either the two snapshots to compare, or the problems with the query and the snapshots that are still known. */
type Selection = { ok: true; from: ObjectSnapshot; to: ObjectSnapshot } | InvalidSelection;

/** Finds the snapshot that one query parameter names, or returns the problem with it. */
function selectSide(
  history: readonly ObjectSnapshot[],
  name: 'from' | 'to',
  value: string | string[] | undefined,
  label: string,
): { snapshot: ObjectSnapshot; problem?: undefined } | { snapshot?: undefined; problem: SelectionProblem } {
  const problem = (message: string) => ({ problem: { parameter: name, message } });
  if (Array.isArray(value)) return problem(`The "${name}" parameter is given ${value.length} times. Give it once.`);
  if (value === undefined || value.trim() === '') {
    return problem(`The "${name}" parameter is missing. Give both "from" and "to", or neither to compare the two newest releases.`);
  }
  const snapshot = findSnapshot(history, value);
  if (snapshot) return { snapshot };
  return problem(
    `No release named "${value}" contains ${label}. Give "${name}" as a version such as 18.1 or as <domain>-<version> such as enterprise-attack-18.1, from the releases listed below.`,
  );
}

function selectReleases(history: readonly ObjectSnapshot[], query: CompareQuery, label: string): Selection {
  const pair = defaultPair(history);
  if (query.from === undefined && query.to === undefined) {
    // The route only builds a comparison for objects with a non-empty history.
    if (pair) return { ok: true, ...pair };
    return { ok: false, problems: [{ parameter: 'from', message: `No imported release contains ${label}.` }] };
  }

  const from = selectSide(history, 'from', query.from, label);
  const to = selectSide(history, 'to', query.to, label);
  if (from.snapshot && to.snapshot) return { ok: true, from: from.snapshot, to: to.snapshot };
  const problems = [from.problem, to.problem].filter((problem): problem is SelectionProblem => problem !== undefined);
  return { ok: false, problems, from: from.snapshot ?? pair?.from, to: to.snapshot ?? pair?.to };
}

// ---------------------------------------------------------------------------
// Relationships

/** Loads relationships of the object in both releases and resolves each other end, in its own release first. */
async function loadRelationshipComparison(store: Store, stixId: string, from: ObjectSnapshot, to: ObjectSnapshot): Promise<RelationshipComparison> {
  const [fromRelationships, toRelationships] = await Promise.all([
    store.relationshipsOf(stixId, from.release.id),
    store.relationshipsOf(stixId, to.release.id),
  ]);
  const fromEnds = relationshipEnds(stixId, fromRelationships);
  const toEnds = relationshipEnds(stixId, toRelationships);

  const [inFrom, inTo] = await Promise.all([
    store.objectsIn(from.release.id, fromEnds.map((end) => end.otherId)),
    store.objectsIn(to.release.id, toEnds.map((end) => end.otherId)),
  ]);
  const unresolved = [...fromEnds.filter((end) => !inFrom.has(end.otherId)), ...toEnds.filter((end) => !inTo.has(end.otherId))];
  const elsewhere = unresolved.length > 0 ? await store.currentSnapshots(unresolved.map((end) => end.otherId)) : new Map<string, ObjectSnapshot>();

  return compareRelationships(fromEnds, toEnds, (otherId, side) => (side === 'from' ? inFrom : inTo).get(otherId) ?? elsewhere.get(otherId));
}

// ---------------------------------------------------------------------------
// Routes

async function sendComparison(store: Store, config: Config, reply: FastifyReply, target: CompareTarget, query: CompareQuery): Promise<FastifyReply> {
  const history = await store.history(target.stixId);
  const newest = history[history.length - 1];
  if (!newest) {
    return reply.code(404).type(HTML).send(renderNotFound(config, `No imported release contains an object with STIX ID ${target.stixId}.`, target.stixId));
  }
  const selection = selectReleases(history, query, displayName(newest));
  if (!selection.ok) return reply.code(400).type(HTML).send(renderInvalidSelection(config, target, history, selection));
  const relationships = await loadRelationshipComparison(store, target.stixId, selection.from, selection.to);
  return reply.type(HTML).send(renderComparison(config, target, history, selection.from, selection.to, relationships));
}

function splitUrl(url: string): { path: string; search: string } {
  const index = url.indexOf('?');
  return index === -1 ? { path: url, search: '' } : { path: url.slice(0, index), search: url.slice(index) };
}

export function registerCompareRoute(app: FastifyInstance, store: Store, config: Config): void {
  app.get<{ Params: { stixId: string }; Querystring: CompareQuery }>('/objects/:stixId/compare', async (request, reply) => {
    const { stixId } = request.params;
    if (!isStixId(stixId)) {
      return reply.code(404).type(HTML).send(renderNotFound(config, `"${stixId}" is not a STIX ID; expected <type>--<UUID>.`, stixId));
    }
    return sendComparison(store, config, reply, { stixId, basePath: `${stixPath(stixId)}/compare` }, request.query);
  });

  const byAttackId = async (segment: string, id: string, url: string, query: CompareQuery, reply: FastifyReply): Promise<FastifyReply> => {
    const found = await findObjectsForAddress(store, config, segment, id, reply);
    if (!found) return reply;
    const [only] = found.objects;
    const { path, search } = splitUrl(url);
    if (found.objects.length > 1) {
      return reply.type(HTML).send(renderCompareChoice(config, `Compare ${found.plural}: ${found.attackId}`, found.objects, search));
    }

    // Lower-case IDs and the dotted form /techniques/T1059.001/compare lead to the one canonical address.
    const basePath = `${objectPath(only)}/compare`;
    if (basePath !== path) return reply.redirect(`${basePath}${search}`, 301);
    return sendComparison(store, config, reply, { stixId: only.stixId, basePath }, query);
  };

  app.get<{ Params: { segment: string; id: string }; Querystring: CompareQuery }>('/:segment/:id/compare', async (request, reply) =>
    byAttackId(request.params.segment, request.params.id, request.url, request.query, reply),
  );
  app.get<{ Params: { segment: string; id: string; sub: string }; Querystring: CompareQuery }>('/:segment/:id/:sub/compare', async (request, reply) =>
    byAttackId(request.params.segment, `${request.params.id}.${request.params.sub}`, request.url, request.query, reply),
  );
}
