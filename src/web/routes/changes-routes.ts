/**
 * Changelog routes:
 * - `/changes/<domain>`: the domain's imported releases with links to the changelog of each adjacent pair.
 * - `/changes/<domain>/<from>...<to>?format=html|json|md|layer&unchanged=1`: one changelog.
 * - `/changes/<domain>/feed.atom`: an Atom entry per imported release, newest first.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { BadRequestError } from '../../errors.js';
import {
  buildChangelog,
  ChangeSeries,
  parseRange,
  ReleaseLookupError,
  renderChangelogMarkdown,
  renderChangelogPage,
  renderChangesFeed,
  renderChangesIndex,
  renderLookupNotFound,
  renderNavigatorLayer,
  requireDomain,
  type Changelog,
} from '../../history/changelog/index.js';
import type { ReleaseInfo, Store } from '../../storage/store.js';

const HTML = 'text/html; charset=utf-8';
const FORMATS = ['html', 'json', 'md', 'layer'] as const;
type Format = (typeof FORMATS)[number];

/** Changelogs kept in memory; imported releases never change, so a kept changelog stays true. */
const CACHED_CHANGELOGS = 8;

function parseFormat(value: string | undefined): Format {
  const format = value ?? 'html';
  if ((FORMATS as readonly string[]).includes(format)) return format as Format;
  throw new BadRequestError(`Unknown format "${format}"; use one of ${FORMATS.join(', ')}.`);
}

function fileName(changelog: Changelog, extension: string): string {
  return `${changelog.domain}-${changelog.from.version}-to-${changelog.to.version}${extension}`;
}

/** Sends the 404 of an unknown domain or release in the requested format. */
async function sendLookupError(reply: FastifyReply, config: Config, store: Store, error: ReleaseLookupError, format: Format, domain: string) {
  reply.log.info({ domain, value: error.value }, 'changelog domain or release not imported');
  if (format === 'json' || format === 'layer') {
    return reply.code(404).send({ error: { code: error.code, message: error.message, available: error.available } });
  }
  if (format === 'md') return reply.code(404).type('text/plain; charset=utf-8').send(`${error.message}\n`);
  const releases = (await store.listReleases()).filter((release) => release.domain === domain);
  const knownDomain = releases.length > 0 ? domain : undefined;
  return reply.code(404).type(HTML).send(renderLookupNotFound(config, error, knownDomain, releases));
}

export function registerChangesRoutes(app: FastifyInstance, store: Store, config: Config): void {
  const series = new ChangeSeries(store);
  const changelogs = new Map<string, Changelog>();

  const changelogOf = async (domain: string, from: string, to: string, includeUnchanged: boolean): Promise<Changelog> => {
    const key = JSON.stringify([domain, from, to, includeUnchanged]);
    const cached = changelogs.get(key);
    if (cached) return cached;
    const changelog = await buildChangelog(store, domain, from, to, { includeUnchanged });
    if (changelogs.size >= CACHED_CHANGELOGS) changelogs.delete(changelogs.keys().next().value as string);
    changelogs.set(key, changelog);
    return changelog;
  };

  app.get<{ Params: { domain: string } }>('/changes/:domain', async (request, reply) => {
    const { domain } = request.params;
    let releases: ReleaseInfo[];
    try {
      releases = await requireDomain(store, domain);
    } catch (error) {
      if (error instanceof ReleaseLookupError) return sendLookupError(reply, config, store, error, 'html', domain);
      throw error;
    }
    return reply.type(HTML).send(renderChangesIndex(config, domain, await series.stepsOf(releases)));
  });

  app.get<{ Params: { domain: string } }>('/changes/:domain/feed.atom', async (request, reply) => {
    const { domain } = request.params;
    let releases: ReleaseInfo[];
    try {
      releases = await requireDomain(store, domain);
    } catch (error) {
      if (error instanceof ReleaseLookupError) return sendLookupError(reply, config, store, error, 'md', domain);
      throw error;
    }
    const baseUrl = `${request.protocol}://${request.host}`;
    const feed = renderChangesFeed(domain, await series.stepsOf(releases), baseUrl);
    return reply.type('application/atom+xml; charset=utf-8').send(feed);
  });

  app.get<{ Params: { domain: string; range: string }; Querystring: { format?: string; unchanged?: string } }>(
    '/changes/:domain/:range',
    async (request, reply) => {
      const { domain, range } = request.params;
      const format = parseFormat(request.query.format);
      const versions = parseRange(range);
      if (!versions) throw new BadRequestError(`"${range}" is not a release range; write <from>...<to>, for example 17.1...18.1.`);
      const includeUnchanged = request.query.unchanged === '1' || request.query.unchanged === 'true';

      let changelog: Changelog;
      try {
        changelog = await changelogOf(domain, versions.from, versions.to, includeUnchanged);
      } catch (error) {
        if (error instanceof ReleaseLookupError) return sendLookupError(reply, config, store, error, format, domain);
        throw error;
      }

      switch (format) {
        case 'json':
          return reply.type('application/json; charset=utf-8').send(changelog);
        case 'md':
          return reply
            .type('text/markdown; charset=utf-8')
            .header('Content-Disposition', `inline; filename="${fileName(changelog, '.md')}"`)
            .send(renderChangelogMarkdown(changelog));
        case 'layer':
          return reply
            .type('application/json; charset=utf-8')
            .header('Content-Disposition', `attachment; filename="${fileName(changelog, '-layer.json')}"`)
            .send(renderNavigatorLayer(changelog));
        case 'html': {
          const steps = await series.stepsOf(await requireDomain(store, domain));
          return reply.type(HTML).send(renderChangelogPage({ config, changelog, steps }));
        }
      }
    },
  );
}
