/**
 * Rule YAML is read by js-yaml first (fast, no positions) and by `yaml` when positions are asked or
 * js-yaml refuses: both must give the same values, and positions must be `yaml`'s.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadWithPositions, loadYaml, YamlDoc } from '../../../src/engine/rules/sigma/yamlDoc';
import { REPO_ROOT } from '../../support/corpus';
import { skipOrFailWithoutShared } from '../../support/shared';
import { filesUnder } from '../../support/files';

const SIGMA_RULES = path.resolve(REPO_ROOT, '..', 'shared', 'sigma', 'rules');

function docsOf(text: string): YamlDoc[] {
  const r = loadYaml(text);
  assert.ok('docs' in r, 'error' in r ? r.error : '');
  return r.docs;
}

function slowDocsOf(text: string): YamlDoc[] {
  const r = loadWithPositions(text);
  assert.ok('docs' in r, 'error' in r ? r.error : '');
  return r.docs;
}

const RULE = `title: t
id: 5f1c4a2e-0000-4000-8000-000000000000
logsource:
  category: process_creation
  product: windows
detection:
  sel:
    Image|endswith: '\\cmd.exe'
    LogonId: 0x3e7
    Version: 1.50
    Missing: null
    Tilde: ~
    Flag: true
    Word: yes
  condition: sel
`;

describe('rule YAML: the fast parser and the positional one', () => {
  it('numbers stay as written; nulls, booleans and YAML 1.2 words as the positional parser reads them', () => {
    const [doc] = docsOf(RULE);
    const sel = (doc.value as { detection: { sel: Record<string, unknown> } }).detection.sel;
    assert.deepEqual(sel, { 'Image|endswith': '\\cmd.exe', LogonId: '0x3e7', Version: '1.50', Missing: null, Tilde: null, Flag: true, Word: 'yes' });
    assert.deepEqual(doc.value, slowDocsOf(RULE)[0].value);
  });

  it('positions are the positional parser\'s, for top-level keys and deeper paths', () => {
    const [fast] = docsOf(RULE);
    const [slow] = slowDocsOf(RULE);
    for (const p of [['logsource'], ['detection'], ['detection', 'sel', 'LogonId'], ['detection', 'condition'], ['nothing']]) {
      assert.deepEqual(fast.positionOf(p), slow.positionOf(p), p.join('.'));
    }
    assert.deepEqual(fast.positionOf(['logsource']), { line: 3, column: 1 });
    assert.deepEqual(fast.start, slow.start);
  });

  it('aliases are read by the positional parser, with its bound on them', () => {
    const [doc] = docsOf('a: &x [1, 2]\nb: *x\n');
    assert.deepEqual(doc.value, { a: ['1', '2'], b: ['1', '2'] });
    const bomb = ['a: &a [x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    assert.ok('error' in loadYaml(bomb), 'an alias bomb is refused');
  });

  it('duplicate keys and custom tags are errors with a line', () => {
    const dup = loadYaml('title: a\ntitle: b\n');
    assert.ok('error' in dup && dup.position?.line === 2);
    assert.ok('error' in loadYaml('title: !!python/object:os.system x\n'));
  });

  it('every SigmaHQ rule reads to the same values with both parsers', function () {
    if (!existsSync(SIGMA_RULES)) skipOrFailWithoutShared(this, '../shared/sigma/rules', 'rule YAML');
    let files = 0;
    for (const file of filesUnder(SIGMA_RULES, /\.ya?ml$/)) {
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(docsOf(text).map((d) => d.value), slowDocsOf(text).map((d) => d.value), file);
      files++;
    }
    assert.ok(files > 3000, `${files} rule files`);
  });
});
