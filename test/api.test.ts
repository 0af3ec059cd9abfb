import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { scanBundleObjects } from '../src/import/bundle-scanner.js';
import { bundleBytes, bundlePath, createTestStore, importFiles, importRelease, createTestServer, type TestStore } from './support.js';

/**
 * Values below were read by hand from the ics-attack-18.1 bundle that test/support.ts reads.
 * ICS 18.1 has 1,826 objects, 95 of them attack-patterns, and the group
 * OilRig (G0049) has five `uses` relationships to techniques, none revoked or deprecated.
 */
const ICS_OBJECTS = 1826;
const ICS_TECHNIQUES = 95;
const OILRIG_TECHNIQUES = ['T0817', 'T0853', 'T0859', 'T0865', 'T0869'];

interface ObjectItem {
  stixId: string;
  type: string;
  attackId: string | null;
  release: string;
}

interface ListBody {
  objects: ObjectItem[];
  nextCursor: string | null;
}

interface ErrorBody {
  error: { code: string; message: string; candidates?: { stixId: string; type: string }[] };
}

describe('JSON API on real data', () => {
  let t: TestStore;
  let app: FastifyInstance;

  const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  before(async () => {
    t = createTestStore();
    await importFiles(t.store, bundlePath('ics-attack', '18.1'));
    await importRelease(t.store, 'enterprise-attack', '18.1');
    const config = loadConfig({ dataDir: t.dir }, {});
    app = await createTestServer(t, config);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('releases list counts', async () => {
    const response = await get('/api/v1/releases');
    assert.equal(response.statusCode, 200);
    const body = response.json<{ releases: { release: string; objectCount: number; objectsByType: Record<string, number> }[] }>();
    const ics = body.releases.find((release) => release.release === 'ics-attack-18.1');
    assert.ok(ics, 'ics-attack-18.1 is listed');
    assert.equal(ics.objectCount, ICS_OBJECTS);
    assert.equal(ics.objectsByType['attack-pattern'], ICS_TECHNIQUES);
    assert.ok(body.releases.some((release) => release.release === 'enterprise-attack-18.1'));
  });

  test('pagination walks ICS techniques once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/v1/objects?type=attack-pattern&domain=ics-attack&limit=20${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await get(query);
      assert.equal(response.statusCode, 200, query);
      const body = response.json<ListBody>();
      assert.ok(body.objects.length <= 20);
      for (const object of body.objects) {
        assert.equal(object.type, 'attack-pattern');
        assert.equal(object.release, 'ics-attack-18.1');
        seen.push(object.stixId);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);

    assert.equal(seen.length, ICS_TECHNIQUES);
    assert.equal(new Set(seen).size, ICS_TECHNIQUES);
    assert.equal(pages, Math.ceil(ICS_TECHNIQUES / 20));
  });

  test('pagination sorts by ATT&CK ID', async () => {
    const response = await get('/api/v1/objects?type=attack-pattern&release=ics-attack-18.1&limit=500');
    const ids = response.json<ListBody>().objects.map((object) => object.attackId ?? '');
    assert.equal(ids.length, ICS_TECHNIQUES);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(response.json<ListBody>().nextCursor, null);
  });

  test('list type takes section names', async () => {
    const response = await get('/api/v1/objects?type=technique&release=ics-attack-18.1&limit=500');
    assert.equal(response.statusCode, 200);
    assert.equal(response.json<ListBody>().objects.length, ICS_TECHNIQUES);
  });

  test('status filter keeps deprecated only', async () => {
    const response = await get('/api/v1/objects?type=attack-pattern&release=ics-attack-18.1&status=deprecated&limit=500');
    assert.equal(response.statusCode, 200);
    // 12 of the 95 ICS 18.1 techniques carry x_mitre_deprecated.
    assert.equal(response.json<ListBody>().objects.length, 12);
  });

  test('limit over maximum is 400', async () => {
    const response = await get('/api/v1/objects?limit=501');
    assert.equal(response.statusCode, 400);
    const body = response.json<ErrorBody>();
    assert.equal(body.error.code, 'bad-request');
    assert.match(body.error.message, /limit=501/);
    assert.match(body.error.message, /maximum is 500/);
  });

  test('unknown parameter and bad cursor are 400', async () => {
    const unknown = await get('/api/v1/objects?colour=red');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json<ErrorBody>().error.message, /"colour"/);

    const cursor = await get('/api/v1/objects?cursor=bm90LWEtY3Vyc29y');
    assert.equal(cursor.statusCode, 400);
    assert.equal(cursor.json<ErrorBody>().error.code, 'bad-request');
  });

  test('unknown release is 404 JSON', async () => {
    const response = await get('/api/v1/objects?release=ics-attack-9.9');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json<ErrorBody>().error.code, 'not-found');
    assert.match(response.json<ErrorBody>().error.message, /ics-attack-9\.9/);
  });

  test('unknown API path is 404 JSON', async () => {
    const response = await get('/api/v1/nothing/here');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json<ErrorBody>().error.code, 'not-found');
  });

  test('T1114 without type is 409', async () => {
    const response = await get('/api/v1/objects/T1114');
    assert.equal(response.statusCode, 409);
    const body = response.json<ErrorBody>();
    assert.equal(body.error.code, 'conflict');
    const types = (body.error.candidates ?? []).map((candidate) => candidate.type).sort();
    assert.deepEqual(types, ['attack-pattern', 'course-of-action']);
  });

  test('T1114 with type is the technique', async () => {
    const response = await get('/api/v1/objects/t1114?type=attack-pattern');
    assert.equal(response.statusCode, 200);
    const body = response.json<{ object: ObjectItem & { name: string }; json: Record<string, unknown> }>();
    assert.equal(body.object.attackId, 'T1114');
    assert.equal(body.object.name, 'Email Collection');
    assert.equal(body.json.type, 'attack-pattern');
    assert.equal(body.json.id, body.object.stixId);
  });

  test('object by STIX ID and raw bytes', async () => {
    const found = (await get('/api/v1/objects/T0817?release=ics-attack-18.1')).json<{ object: ObjectItem }>();
    const stixId = found.object.stixId;

    const raw = await get(`/api/v1/objects/${stixId}/raw?release=ics-attack-18.1`);
    assert.equal(raw.statusCode, 200);
    assert.ok(bundleBytes('ics-attack', '18.1').includes(raw.rawPayload), 'raw bytes appear in the bundle');
    assert.equal(raw.headers['x-release'], 'ics-attack-18.1');
  });

  test('relationships and history of a technique', async () => {
    const relationships = await get('/api/v1/objects/T0817/relationships');
    assert.equal(relationships.statusCode, 200);
    const list = relationships.json<{ relationships: { relationshipType: string; direction: string; other: ObjectItem | null }[] }>().relationships;
    const oilRig = list.find((item) => item.relationshipType === 'uses' && item.other?.attackId === 'G0049');
    assert.ok(oilRig, 'OilRig uses T0817');
    assert.equal(oilRig.direction, 'incoming');

    const history = await get('/api/v1/objects/T0817/history');
    assert.equal(history.statusCode, 200);
    const versions = history.json<{ versions: { release: string; changed: boolean | null }[] }>().versions;
    assert.deepEqual(versions.map((version) => version.release), ['ics-attack-18.1']);
    assert.equal(versions[0]?.changed, null);
  });

  test('ETag and If-None-Match give 304', async () => {
    for (const url of ['/api/v1/releases', '/api/v1/objects?domain=ics-attack&limit=5', '/api/v1/objects/G0049', '/api/v1/openapi.json']) {
      const first = await get(url);
      assert.equal(first.statusCode, 200, url);
      const etag = first.headers.etag;
      assert.equal(typeof etag, 'string', `${url} has an ETag`);
      assert.match(String(etag), /^W\/"/);

      const second = await get(url, { 'if-none-match': String(etag) });
      assert.equal(second.statusCode, 304, url);
      assert.equal(second.body, '');

      const other = await get(url, { 'if-none-match': 'W/"something-else"' });
      assert.equal(other.statusCode, 200, url);
    }
  });

  test('OpenAPI document is 3.1', async () => {
    const response = await get('/api/v1/openapi.json');
    assert.equal(response.statusCode, 200);
    const document = response.json<{
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[]; responses: Record<string, unknown> }>>;
    }>();
    assert.equal(document.openapi, '3.1.0');
    assert.equal(typeof document.info.title, 'string');
    assert.equal(typeof document.info.version, 'string');

    const expected = [
      '/api/v1/releases',
      '/api/v1/releases/{release}/bundle',
      '/api/v1/objects',
      '/api/v1/objects/{id}',
      '/api/v1/objects/{id}/relationships',
      '/api/v1/objects/{id}/history',
      '/api/v1/objects/{id}/raw',
      '/api/v1/objects/{id}/layer',
      '/api/v1/openapi.json',
      '/api/v1/docs',
      '/api/v1/takes',
      '/api/v1/takes/{id}',
      '/api/v1/takes/{id}/submit',
      '/api/v1/takes/{id}/validate',
      '/api/v1/takes/{id}/publish',
      '/api/v1/takes/{id}/repin',
      '/api/v1/takes/{id}/withdraw',
      '/api/v1/audit',
      '/api/v1/me',
    ];
    assert.deepEqual(Object.keys(document.paths).sort(), [...expected].sort());

    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(operation.responses['200'] ?? operation.responses['201'], `${where} documents success`);
        const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        for (const name of pathNames) {
          const parameter = operation.parameters.find((candidate) => candidate.name === name && candidate.in === 'path');
          assert.ok(parameter, `${where} declares path parameter ${name}`);
          assert.equal(parameter.required, true);
        }
        for (const parameter of operation.parameters) {
          assert.equal(typeof parameter.schema, 'object', `${where} ${parameter.name} has a schema`);
          assert.equal(parameter.schema.$schema, undefined);
        }
      }
    }

    const limit = document.paths['/api/v1/objects']?.get?.parameters.find((parameter) => parameter.name === 'limit');
    assert.equal(limit?.schema.maximum, 500);
    assert.equal(limit?.schema.default, 50);
  });

  test('docs page lists endpoints', async () => {
    const response = await get('/api/v1/docs');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /GET \/api\/v1\/objects\/\{id\}\/layer/);
    assert.match(response.body, /<code>cursor<\/code>/);
    // The only script is the site's own keyboard-shortcut file; the docs page adds none.
    assert.doesNotMatch(response.body, /<script(?! src="\/static\/site\.js" defer><\/script>)/);
  });

  test('layer of ICS group OilRig', async () => {
    const response = await get('/api/v1/objects/G0049/layer?release=ics-attack-18.1');
    assert.equal(response.statusCode, 200);
    const layer = response.json<{
      name: string;
      description: string;
      domain: string;
      versions: { layer: string; attack: string };
      techniques: { techniqueID: string; score?: number; comment: string }[];
    }>();
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.versions.attack, '18');
    assert.equal(layer.domain, 'ics-attack');
    assert.match(layer.name, /OilRig/);
    assert.match(layer.name, /18\.1/);
    assert.match(layer.description, /OilRig/);
    assert.match(layer.description, /ics-attack-18\.1/);
    assert.deepEqual(layer.techniques.map((technique) => technique.techniqueID), OILRIG_TECHNIQUES);
    for (const technique of layer.techniques) {
      assert.equal(technique.score, 1);
      assert.match(technique.comment, /OilRig/);
    }
  });

  test('layer of a technique is 400', async () => {
    const response = await get('/api/v1/objects/T0817/layer');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<ErrorBody>().error.code, 'bad-request');
    assert.match(response.json<ErrorBody>().error.message, /attack-pattern/);
  });

  test('release bundle matches source', async () => {
    const response = await get('/api/v1/releases/ics-attack-18.1/bundle');
    assert.equal(response.statusCode, 200);
    const bundle = JSON.parse(response.body) as { type: string; id: string; objects: unknown[] };
    assert.equal(bundle.type, 'bundle');
    assert.match(bundle.id, /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(bundle.objects.length, ICS_OBJECTS);

    const original = bundleBytes('ics-attack', '18.1');
    const ranges = scanBundleObjects(response.rawPayload);
    assert.ok(ranges, 'the returned bundle can be scanned');
    assert.equal(ranges.length, ICS_OBJECTS);
    const missing = ranges.filter((range) => !original.includes(response.rawPayload.subarray(range.start, range.end)));
    assert.equal(missing.length, 0, 'every object is byte-for-byte in the source bundle');
  });

  test('bundle of unknown release is 404', async () => {
    const missing = await get('/api/v1/releases/ics-attack-1.0/bundle');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<ErrorBody>().error.code, 'not-found');

    const malformed = await get('/api/v1/releases/ics/bundle');
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.json<ErrorBody>().error.message, /release=ics/);
  });
});
