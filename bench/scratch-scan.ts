import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { scanBundleObjects } from '../src/import/bundle-scanner.js';
import { contentHash, sha256Hex } from '../src/import/hashing.js';
let t = performance.now();
const gz = readFileSync('/work/shared/attack-data/enterprise-attack/enterprise-attack-18.1.json.gz');
const bytes = gunzipSync(gz); console.log('gunzip', performance.now() - t); t = performance.now();
const text = bytes.toString('utf8'); const b = JSON.parse(text); console.log('parse', performance.now() - t); t = performance.now();
const ranges = scanBundleObjects(bytes)!; console.log('scan', performance.now() - t, ranges.length, b.objects.length); t = performance.now();
for (let i = 0; i < ranges.length; i++) { const r = ranges[i]!; const s = bytes.subarray(r.start, r.end); if (i % 5000 === 0) { if (JSON.stringify(JSON.parse(s.toString())) !== JSON.stringify(b.objects[i])) throw new Error('mismatch ' + i); } sha256Hex(s); }
console.log('rawhash', performance.now() - t); t = performance.now();
for (const o of b.objects) contentHash(o); console.log('contenthash', performance.now() - t);
t = performance.now(); sha256Hex(bytes); console.log('bundlehash', performance.now() - t);
