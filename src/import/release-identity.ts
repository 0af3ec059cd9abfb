/**
 * Decides which domain and release a bundle is. The collection index entry or
 * the `--domain`/`--release` flags come first; otherwise the bundle's own
 * x-mitre-collection object (STIX 2.1 bundles from attack-stix-data carry
 * one, MITRE's cti bundles do not); otherwise a file name in MITRE's form,
 * such as enterprise-attack-18.1.json.gz. A conflict between the flags and the
 * collection object is an error, because importing a bundle under the wrong
 * release would corrupt history.
 */
import { DOMAINS, isDomain, type Domain } from '../domain/object-types.js';
import { parseVersion } from '../domain/versions.js';
import { stringField, type StixObject } from '../domain/stix-object.js';
import { ImportError } from '../errors.js';
import { domainFromCollectionName } from './collection-index.js';

export interface ReleaseHints {
  domain?: string;
  version?: string;
}

export interface ReleaseIdentity {
  domain: Domain;
  version: string;
}

function fromCollection(objects: readonly unknown[]): ReleaseHints {
  const collection = objects.find(
    (object): object is StixObject =>
      typeof object === 'object' && object !== null && (object as StixObject).type === 'x-mitre-collection',
  );
  if (!collection) return {};
  const domain = domainFromCollectionName(stringField(collection, 'name'));
  const version = stringField(collection, 'x_mitre_version');
  return { ...(domain ? { domain } : {}), ...(version ? { version } : {}) };
}

/** MITRE's file names: `<domain>-<major>.<minor>.json`, here also gzipped. */
const FILE_NAME = /(?:^|[/\\])((?:enterprise|mobile|ics)-attack)-(\d+\.\d+)\.json(?:\.gz)?$/;

function fromFileName(source: string): ReleaseHints {
  const match = FILE_NAME.exec(source.split('?')[0] ?? source);
  return match ? { domain: match[1] as string, version: match[2] as string } : {};
}

export function resolveReleaseIdentity(source: string, objects: readonly unknown[], hints: ReleaseHints): ReleaseIdentity {
  const own = fromCollection(objects);
  const named = fromFileName(source);

  if (hints.domain && own.domain && hints.domain !== own.domain) {
    throw new ImportError(source, `its x-mitre-collection object names domain ${own.domain}, but ${hints.domain} was requested; check the file or the --domain flag`);
  }
  if (hints.version && own.version && hints.version !== own.version) {
    throw new ImportError(source, `its x-mitre-collection object names release ${own.version}, but ${hints.version} was requested; check the file or the --release flag`);
  }

  const domain = hints.domain ?? own.domain ?? named.domain;
  const version = hints.version ?? own.version ?? named.version;
  if (!domain && !version) {
    throw new ImportError(
      source,
      'neither the bundle (it has no x-mitre-collection object) nor its file name says which ATT&CK domain and release it is; ' +
        `add --domain with one of ${DOMAINS.join(', ')} and --release with its version, for example --domain enterprise-attack --release 18.1`,
    );
  }
  if (!domain) {
    throw new ImportError(source, `the bundle does not say which ATT&CK domain it is (no x-mitre-collection object); add --domain with one of ${DOMAINS.join(', ')}`);
  }
  if (!isDomain(domain)) {
    throw new ImportError(source, `unknown domain "${domain}"; use one of ${DOMAINS.join(', ')}`);
  }
  if (!version) {
    throw new ImportError(source, 'the bundle does not say which ATT&CK release it is (no x-mitre-collection object); add --release with its version, for example --release 18.1');
  }
  if (!parseVersion(version)) {
    throw new ImportError(source, `invalid release version "${version}"; use major.minor, for example 18.1`);
  }
  return { domain, version };
}
