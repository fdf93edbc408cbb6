/**
 * The lineage index's columns (lineageStore.ts): every GUID and pid reads back as the string it
 * was, in Sysmon's form (kept as numbers) or any other (kept as a string); the GUID table gives
 * the first index of a key, across its growth; pid keys are equal exactly when host and pid are.
 */
import assert from 'node:assert/strict';
import { guidKey } from '../../src/engine/lineage';
import { GuidColumn, guidHash, GuidTable, pidKey, PidColumn, ProcessColumns } from '../../src/engine/lineageStore';
import { Rng } from '../fuzz/fuzz';
import { assertEvery } from '../support/assertions';

function randomGuid(rng: Rng): string {
  const h = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');
  return `{${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}}`;
}

describe('lineage: the index\'s columns', () => {
  it('GUIDs read back as given, in Sysmon\'s form or not; the table gives the first index of each', () => {
    const rng = new Rng(3);
    const columns = new ProcessColumns();
    const table = new GuidTable(columns.guid);
    const odd = ['{ffffffff-ffff-ffff-ffff-ffffffffffff}x', 'abc', '{00000000-0000-0000-0000-00000000000g}', '5770385f-c22a-43e0-bf4c-06f5698ffbd9', ''];
    const keys: (string | undefined)[] = [];
    // Over 5,000 processes (the table grows several times), a tenth of them repeating an earlier GUID.
    for (let n = 0; n < 5000; n++) {
      const r = rng.int(20);
      const key = r === 0 ? undefined : r === 1 ? odd[rng.int(odd.length)] : r === 2 && keys.length > 0 ? keys[rng.int(keys.length)] : randomGuid(rng);
      const i = columns.push();
      columns.guid.set(i, key);
      table.addFirst(i);
      keys.push(key);
    }
    keys.push('{00000000-0000-0000-0000-000000000000}', '{ffffffff-ffff-ffff-ffff-ffffffffffff}');
    for (const key of keys.slice(-2)) {
      const i = columns.push();
      columns.guid.set(i, key);
      table.addFirst(i);
    }
    assertEvery(keys.map((key, i) => [key, i] as const), ([key, i]) => columns.guid.get(i) === key, 'GUIDs read back');
    assertEvery(keys.map((key, i) => [key, i] as const), ([key, i]) => key === undefined || table.find(key) === keys.indexOf(key) && table.findFrom(columns.guid, i) === keys.indexOf(key), 'the first index of each key');
    assert.equal(table.find(randomGuid(new Rng(99))), undefined);
    assert.equal(table.find('nothing'), undefined);
    // Another column's key is found in this table (a parent GUID).
    const parents = new GuidColumn();
    parents.grow(2);
    parents.set(0, keys[10]);
    parents.set(1, '{12345678-9abc-def0-1234-56789abcdef0}');
    assert.equal(table.findFrom(parents, 0), keys.indexOf(keys[10]));
    assert.equal(table.findFrom(parents, 1), undefined);
  });

  it('a GUID as a note gives it is packed without a string into guidKey\'s key, in either case, or left to guidKey', () => {
    const rng = new Rng(5);
    const given: (string | undefined)[] = [undefined, '', '{00000000-0000-0000-0000-000000000000}', ' {5770385F-C22A-43E0-BF4C-06F5698FFBD9}', '{5770385F-C22A-43E0-BF4C-06F5698FFBD9} ', '{5770385G-C22A-43E0-BF4C-06F5698FFBD9}', '{5770385F-C22A-43E0+BF4C-06F5698FFBD9}', '5770385F-C22A-43E0-BF4C-06F5698FFBD9xx', '{00000000-0000-0000-0000-00000000000A}'];
    for (let n = 0; n < 500; n++) {
      const g = randomGuid(rng);
      given.push(g, g.toUpperCase(), [...g].map((c) => (rng.int(2) ? c.toUpperCase() : c)).join(''));
    }
    const column = new GuidColumn();
    column.grow(given.length);
    given.forEach((g, i) => column.setGiven(i, g, guidKey));
    assertEvery(given.map((g, i) => [g, i] as const), ([g, i]) => column.get(i) === guidKey(g) && column.has(i) === (guidKey(g) !== undefined), 'keys as guidKey gives them');
  });

  it('the table\'s hash spreads GUIDs of one host (one first word, low bytes zero) over the low bits a slot is taken from', () => {
    // Sysmon's form: {host-time-seq...}, e.g. {8e88d4ce-bc0a-65ee-5b00-0000000e2c00}.
    const count = 4096;
    const words = new Uint32Array(count * 4);
    for (let i = 0; i < count; i++) words.set([0x8e88d4ce, (0xbc0a65ee + i * 0x10000) >>> 0, (((i * 37) & 0xff) << 24) >>> 0, (i << 8) >>> 0], i * 4);
    const mask = 2 * 4096 - 1; // the table's size at this many keys (half full at most)
    const slots = new Set<number>();
    for (let i = 0; i < count; i++) slots.add(guidHash(words, i * 4) & mask);
    // Uniform hashing of 4,096 keys into 8,192 slots fills about 3,220; the hash without its final mix filled 32.
    assert.ok(slots.size > 0.7 * count, `${slots.size} distinct slots for ${count} GUIDs`);
  });

  it('pids read back as given; keys match exactly when host and pid do', () => {
    const pids = new PidColumn();
    const given = ['0', '4', '100', '999999999', '1000000000', '4294967296', '0100', '00', '-1', ' 7', '7 ', '1e3', '1.5', 'abc', '٣', '', undefined];
    pids.grow(given.length);
    given.forEach((pid, i) => pids.set(i, pid));
    assertEvery(given.map((pid, i) => [pid, i] as const), ([pid, i]) => pids.get(i) === pid, 'pids read back');
    const keys = given.map((pid, i) => (pid === undefined ? undefined : [pids.keyAt(3, i), pidKey(3, pid)]));
    assertEvery(keys, (k) => k === undefined || k[0] === k[1], 'column keys are pidKey\'s');
    const distinct = new Set(given.filter((p) => p !== undefined).flatMap((pid) => [pidKey(1, pid), pidKey(2, pid)]));
    assert.equal(distinct.size, 2 * (given.length - 1));
  });
});
