/**
 * README, bad input: "zip, PNG, gzip, ELF, PE, PDF, other binary | Refused: 'not a Sysmon text log:
 * it is a zip archive'", and "A refusal is one line, and the CLI then exits with 2". The ELF, PE
 * and PDF rows had no test. A PDF's head has no NUL byte, so without its own check it would be
 * hunted as text (exit 0, a warning per line); ELF and PE would fall back on the generic
 * "binary data" refusal, which does not name what the file is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { assertBuiltCliFresh, runBuiltCli, runCli } from '../../support/cli';

/** The first bytes of each kind of file, as the tools that make them write them. */
const BINARIES: { name: string; bytes: Buffer; names: RegExp }[] = [
  {
    name: 'program.elf',
    // ELF64, little-endian, version 1, System V ABI; an x86-64 executable.
    bytes: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(8), Buffer.from([0x02, 0x00, 0x3e, 0x00]), Buffer.alloc(500)]),
    names: /\bELF\b/,
  },
  {
    name: 'setup.exe',
    // MZ header, the DOS stub's message, then the PE signature at 0x80.
    bytes: (() => {
      const b = Buffer.alloc(512);
      b.write('MZ', 0, 'latin1');
      b.writeUInt32LE(0x80, 0x3c);
      b.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
      b.write('PE\0\0', 0x80, 'latin1');
      return b;
    })(),
    names: /Windows executable|\bPE\b/i,
  },
  {
    name: 'report.pdf',
    // A PDF starts with text and no NUL: only its signature tells it from a log.
    bytes: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n', 'latin1'),
    names: /\bPDF\b/,
  },
];

describe('guard: ELF, PE and PDF files are refused, in one line, with exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-binary-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files = BINARIES.map((b) => ({ ...b, file: path.join(dir, b.name) }));
  before(() => files.forEach((f) => writeFileSync(f.file, f.bytes)));

  for (const f of files) {
    it(`${f.name}: "not a Sysmon text log", naming what it is`, async () => {
      for (const argv of [['hunt', f.file], ['hunt', '--json', f.file], ['hunt', '--validate', f.file]]) {
        const run = await runCli(...argv);
        assert.equal(run.status, 2, argv.join(' '));
        assert.equal(run.err.length, 1, `one line: ${run.err.join(' | ')}`);
        assert.doesNotMatch(run.err[0], /\n/);
        assert.ok(run.err[0].includes(f.file), 'the line names the file');
        assert.match(run.err[0], /not a Sysmon text log/);
        assert.match(run.err[0], f.names, `the line names the kind of file: ${run.err[0]}`);
        assert.doesNotMatch(run.err[0], /NUL bytes/, 'named for what it is, not only as binary data');
        assert.deepEqual(run.out, [], 'nothing is reported from it');
      }
    });
  }

  it('among good files, the built bin refuses each, hunts the rest, and exits 2', function () {
    assertBuiltCliFresh();
    const good = path.join(dir, 'good.xml');
    writeFileSync(good, '<Event><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>3</EventID></System></Event>\n');
    const run = runBuiltCli(['hunt', ...files.map((f) => f.file), good]);
    assert.equal(run.status, 2);
    assert.equal(run.err.length, files.length, run.err.join('\n'));
    files.forEach((f, i) => assert.match(run.err[i], f.names));
    assert.match(run.out.join('\n'), /good\.xml: 0 match\(es\) in 1 events/);
  });
});
