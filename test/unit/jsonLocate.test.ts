/**
 * locateJsonValue against JSON.parse: on random documents (nesting, duplicate keys, escaped
 * quotes and backslashes, `\u` and `\/` escapes, spacing), every leaf's span reads back as the
 * value JSON.parse gives at that path, and absent paths are not found.
 */
import * as assert from 'node:assert/strict';
import { JsonPath, locateJsonValue } from '../../src/engine/readers/jsonLocate';
import { Rng } from '../fuzz/fuzz';

const KEYS = ['a', 'Image', 'b"q', 'c\\d', 'Image ', 'é', 'x/y', ''];
const CHARS = ['a', 'Z', ' ', '"', '\\', '/', '{', '}', '[', ']', ',', ':', 'é', '\n', '\\"'];

/** A string token, its characters written plainly or escaped in one of JSON's ways. */
function stringToken(rng: Rng, value: string): string {
  let out = '"';
  for (const ch of value) {
    const plain = JSON.stringify(ch).slice(1, -1);
    const r = rng.int(6);
    if (r === 0) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else if (r === 1 && ch === '/') out += '\\/';
    else out += plain;
  }
  return `${out}"`;
}

function space(rng: Rng): string {
  return rng.pick(['', '', ' ', '\n  ', '\t']);
}

/** Writes a random value; objects may repeat a key (JSON.parse keeps the last). */
function value(rng: Rng, depth: number): string {
  const r = rng.int(depth > 3 ? 5 : 8);
  if (r === 0) return stringToken(rng, Array.from({ length: rng.int(6) }, () => rng.pick(CHARS)).join(''));
  if (r === 1) return rng.pick(['0', '-12', '3.5e2', '1E-3', '42']);
  if (r === 2) return rng.pick(['true', 'false']);
  if (r === 3) return 'null';
  if (r === 4) return stringToken(rng, rng.pick(['C:\\Windows\\cmd.exe', '\\\\', 'say "hi"', '']));
  if (r === 5) return `[${space(rng)}${Array.from({ length: rng.int(4) }, () => value(rng, depth + 1)).join(`,${space(rng)}`)}${space(rng)}]`;
  const members = Array.from({ length: rng.int(5) }, () => `${stringToken(rng, rng.pick(KEYS))}${space(rng)}:${space(rng)}${value(rng, depth + 1)}`);
  return `{${space(rng)}${members.join(`,${space(rng)}`)}${space(rng)}}`;
}

/** Every path in a parsed value, with what is there. */
function leaves(parsed: unknown, path: (string | number)[] = [], out: [JsonPath, unknown][] = []): [JsonPath, unknown][] {
  out.push([path, parsed]);
  if (Array.isArray(parsed)) parsed.forEach((v, i) => leaves(v, [...path, i], out));
  else if (parsed !== null && typeof parsed === 'object') for (const [k, v] of Object.entries(parsed)) leaves(v, [...path, k], out);
  return out;
}

/** What a located span reads as: a string's contents decoded, or a token parsed. */
function readBack(text: string, span: [number, number]): unknown {
  const quoted = text[span[0] - 1] === '"';
  return JSON.parse(quoted ? `"${text.slice(span[0], span[1])}"` : text.slice(span[0], span[1]));
}

describe('locateJsonValue', () => {
  it('finds every scalar JSON.parse reads, at the path it reads it from, on random documents', () => {
    const rng = new Rng(2026);
    let checked = 0;
    for (let n = 0; n < 3000; n++) {
      const text = `{${space(rng)}${stringToken(rng, rng.pick(KEYS))}:${value(rng, 0)}${space(rng)}}`;
      for (const [path, expected] of leaves(JSON.parse(text))) {
        if (path.length === 0) continue;
        const span = locateJsonValue(text, path);
        const scalar = expected === null || typeof expected !== 'object';
        if (!scalar || expected === null) {
          assert.equal(span, undefined, `${text} at ${JSON.stringify(path)}: objects, arrays and null are not located`);
          continue;
        }
        assert.ok(span, `${text}: ${JSON.stringify(path)} not found`);
        assert.deepEqual(readBack(text, span), expected, `${text} at ${JSON.stringify(path)}`);
        checked++;
      }
      assert.equal(locateJsonValue(text, ['no such key']), undefined);
    }
    assert.ok(checked > 3000, `only ${checked} values checked`);
  });

  it('takes the last of repeated keys, as JSON.parse does', () => {
    const text = '{"Image": "first", "x": {"Image": "nested"}, "Image" : "last"}';
    assert.deepEqual(readBack(text, locateJsonValue(text, ['Image'])!), 'last');
    assert.deepEqual(readBack(text, locateJsonValue(text, ['x', 'Image'])!), 'nested');
  });
});
