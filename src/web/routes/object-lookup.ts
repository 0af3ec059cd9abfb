/** Finds the objects an address such as `/techniques/T1059/001` names, for every route that takes one. */
import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { pageKindForSegment } from '../../domain/object-types.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import { renderNotFound } from '../pages/simple-pages.js';

const HTML = 'text/html; charset=utf-8';

/** ATT&CK IDs are letters then digits, with an optional `.NNN` sub-technique part. */
export const ATTACK_ID_PATTERN = /^[A-Z]{1,3}\d{4}(\.\d{3})?$/;

export interface FoundObjects {
  /** Current snapshots; more than one when several objects of the section share the ATT&CK ID. */
  objects: [ObjectSnapshot, ...ObjectSnapshot[]];
  attackId: string;
  plural: string;
}

/**
 * Looks up the current objects of a section by ATT&CK ID. Returns undefined after sending the
 * reply itself: the not-found handler for an unknown section, a 404 page for a bad or unknown ID.
 */
export async function findObjectsForAddress(
  store: Store,
  config: Config,
  segment: string,
  id: string,
  reply: FastifyReply,
): Promise<FoundObjects | undefined> {
  const kind = pageKindForSegment(segment);
  if (!kind) {
    reply.callNotFound();
    return undefined;
  }
  const attackId = id.toUpperCase();
  if (!ATTACK_ID_PATTERN.test(attackId)) {
    await reply.code(404).type(HTML).send(renderNotFound(config, `"${id}" is not an ATT&CK ID.`, id));
    return undefined;
  }
  const objects = await store.findByAttackId(attackId, kind.types);
  const [first, ...rest] = objects;
  if (!first) {
    const message = `No ${kind.label.toLowerCase()} with ATT&CK ID ${attackId} is in any imported release.`;
    await reply.code(404).type(HTML).send(renderNotFound(config, message, attackId));
    return undefined;
  }
  return { objects: [first, ...rest], attackId, plural: kind.plural };
}
