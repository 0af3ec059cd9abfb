/**
 * `/raw/<stix-id>`: the object's exact bytes from its bundle. The ETag is the
 * weak validator W/"<content hash>": the same content can come from a STIX 2.0
 * and a STIX 2.1 bundle with different bytes, which RFC 9110 calls
 * semantically equivalent, exactly what a weak ETag promises.
 */
import type { FastifyInstance } from 'fastify';
import { isStixId } from '../../domain/ids.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../../storage/store.js';
import { releaseKey } from '../links.js';

/** Matches `18.1` or `enterprise-attack-18.1`. */
function matchingReleases(releases: readonly ReleaseInfo[], value: string): ReleaseInfo[] {
  return releases.filter((release) => release.version === value || releaseKey(release) === value);
}

async function findSnapshot(store: Store, stixId: string, releaseValue: string | undefined): Promise<ObjectSnapshot | undefined> {
  if (releaseValue === undefined) return store.currentSnapshot(stixId);
  const releases = matchingReleases(await store.listReleases(), releaseValue);
  if (releases.length === 0) {
    throw new NotFoundError(`No imported release matches release=${releaseValue}; use a version such as 18.1 or <domain>-<version> such as enterprise-attack-18.1.`);
  }
  const snapshots: ObjectSnapshot[] = [];
  for (const release of releases) {
    const snapshot = await store.snapshot(stixId, release.id);
    if (snapshot) snapshots.push(snapshot);
  }
  // A version number alone can name releases of several domains; the object's own domain wins.
  return snapshots.find((snapshot) => snapshot.inDomain) ?? snapshots[0];
}

export function registerRawRoute(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { stixId: string }; Querystring: { release?: string } }>('/raw/:stixId', async (request, reply) => {
    const { stixId } = request.params;
    const releaseValue = request.query.release;
    if (!isStixId(stixId)) throw new BadRequestError(`"${stixId}" is not a STIX ID; expected <type>--<UUID>.`);
    const snapshot = await findSnapshot(store, stixId, releaseValue);
    if (!snapshot) {
      const where = releaseValue ? `release ${releaseValue}` : 'any imported release';
      throw new NotFoundError(`No object with STIX ID ${stixId} is in ${where}.`);
    }

    const etag = `W/"${snapshot.contentHash}"`;
    reply.header('ETag', etag);
    reply.header('X-Release', releaseKey(snapshot.release));
    reply.header('X-Raw-SHA256', snapshot.rawHash);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(snapshot.raw);
  });
}
