import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanBundleObjects } from '../src/import/bundle-scanner.js';

function slices(text: string): string[] | undefined {
  const bytes = Buffer.from(text, 'utf8');
  return scanBundleObjects(bytes)?.map((range) => bytes.subarray(range.start, range.end).toString('utf8'));
}

test('scanner handles escapes and nesting', () => {
  const objects = [
    '{"id": "a", "description": "ends with a backslash \\\\"}',
    '{"id": "b", "text": "quote \\" inside, brackets ] } [ {"}',
    '{"id": "c", "nested": [{"x": [1, 2, {"y": "\\\\\\""}]}], "empty": ""}',
    '{"id": "d", "unicode": "\\u00e9 \u00e9 \ud55c\uad6d\uc5b4 \u200d"}',
  ];
  const text = `{"type": "bundle", "note": "\\"objects\\": [1]", "objects": [\n  ${objects.join(',\n  ')}\n], "spec_version": "2.0"}`;
  assert.deepEqual(slices(text), objects);
  for (const [index, slice] of (slices(text) ?? []).entries()) {
    assert.deepEqual(JSON.parse(slice), JSON.parse(objects[index] as string));
  }
});

test('scanner takes the last objects key', () => {
  assert.deepEqual(slices('{"objects": [{"a": 1}], "objects": [{"b": 2}, 3]}'), ['{"b": 2}', '3']);
});

test('scanner skips a byte order mark', () => {
  assert.deepEqual(slices('\ufeff{"objects": [ {"a": 1} ]}'), ['{"a": 1}']);
});

test('scanner returns undefined without objects', () => {
  assert.equal(slices('{"type": "bundle"}'), undefined);
  assert.deepEqual(slices('{"objects": []}'), []);
});
