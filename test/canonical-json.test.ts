import assert from 'node:assert/strict';
import { test } from 'node:test';
import canonicalize from 'canonicalize';
import { canonicalJson } from '../src/import/canonical-json.js';
import { bundleBytes } from './support.js';

test('canonical JSON matches canonicalize on real objects', () => {
  for (const [domain, version] of [
    ['ics-attack', '18.1'],
    ['mobile-attack', '17.1'],
  ] as const) {
    const bundle = JSON.parse(bundleBytes(domain, version).toString('utf8')) as { objects: unknown[] };
    for (const object of bundle.objects) assert.equal(canonicalJson(object), canonicalize(object));
  }
});

test('canonical JSON sorts keys by UTF-16 code units', () => {
  // RFC 8785 section 3.2.3: "\u20ac" (euro sign) sorts before "\ud83d\ude00" (emoji), and "10" before "9".
  assert.equal(canonicalJson({ '\u{1F600}': 1, '\u20ac': 2, b: 3, a: 4 }), '{"a":4,"b":3,"\u20ac":2,"\u{1F600}":1}');
  assert.equal(canonicalJson({ 9: 'nine', 10: 'ten', a: [1e21, 0.5, -0, 'x'] }), '{"10":"ten","9":"nine","a":[1e+21,0.5,0,"x"]}');
});

test('canonical JSON rejects lone surrogates', () => {
  assert.throws(() => canonicalJson({ name: 'bad \uD800 text' }), /lone surrogate/);
  assert.equal(canonicalJson({ path: 'C:\\ud800' }), '{"path":"C:\\\\ud800"}');
});
