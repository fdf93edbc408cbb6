/**
 * README: exit status 2 "when … the command line is wrong". An unknown option used to be ignored
 * with exit 0: `log-hunt hunt --analytc CAR-2014-05-002 FILE` hunted with every rule and said
 * nothing. Every command now refuses an option it does not know, in one line that names it and,
 * for a typo, the option meant; every option the README documents is still known.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CommandSpec, parseArgs, UsageError } from '../../../src/cli/args';
import { assertBuiltCliFresh, CliRun, runBuiltCli, runCli } from '../../support/cli';
import { REPO_ROOT } from '../../support/corpus';
import { match, SHAPES } from '../../support/events';

/** A refusal: exit 2, one line on stderr, nothing on stdout (nothing ran). */
function assertRefused(run: CliRun, mentions: (string | RegExp)[], what: string): void {
  assert.equal(run.status, 2, `${what}: exit status`);
  assert.equal(run.err.length, 1, `${what}: one line, not ${JSON.stringify(run.err)}`);
  assert.doesNotMatch(run.err[0], /\n/, `${what}: one line`);
  assert.deepEqual(run.out, [], `${what}: nothing ran`);
  for (const m of mentions) {
    if (typeof m === 'string') assert.ok(run.err[0].includes(m), `${what}: ${JSON.stringify(run.err[0])} lacks ${m}`);
    else assert.match(run.err[0], m, what);
  }
}

/** `log-hunt CMD …` lines of the README's usage block, with their options. */
function readmeUsage(): { command: string; options: { name: string; placeholder?: string }[] }[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /## The `log-hunt` command\s+```\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a usage block under "The `log-hunt` command"');
  return block[1]
    .split('\n')
    .filter((line) => line.startsWith('log-hunt '))
    .map((line) => ({
      command: line.split(' ')[1],
      options: [...line.matchAll(/--([a-z][a-z-]*)(?: ([^\]\s]+))?/g)].map((m) => ({ name: m[1], placeholder: m[2] })),
    }));
}

/** A value each documented placeholder accepts. */
const EXAMPLE_VALUES: Record<string, string> = {
  ID: 'CAR-2014-05-002',
  'auto|xml|json': 'auto',
  N: '5',
  'spl|eql|dnif': 'spl',
  'precise|car': 'car',
  NAME: 'sysmon',
  LEVEL: 'high',
};

describe('guard: unknown options exit 2, naming the option', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'log-hunt-usage-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'one-match.xml');
  before(() => writeFileSync(log, SHAPES[0].write([match(1)])));

  const bogus: [string, string[]][] = [
    ['hunt', ['hunt', '--bogus', log]],
    ['hunt (before the value of an option)', ['hunt', '--json', '--bogus', log]],
    ['rules', ['rules', '--bogus']],
    ['query', ['query', '--target', 'spl', '--bogus']],
    ['analytics', ['analytics', '--bogus']],
  ];
  for (const [what, argv] of bogus) {
    it(`${what}: --bogus`, async () => {
      assertRefused(await runCli(...argv), ['--bogus', /unknown option/], what);
    });
  }

  const typos: [string[], string, string][] = [
    [['hunt', '--analytc', 'CAR-2014-05-002', log], '--analytc', '--analytic'],
    [['hunt', '--thread', '2', log], '--thread', '--threads'],
    [['hunt', '--max-match', '3', log], '--max-match', '--max-matches'],
    [['hunt', '--valdiate', log], '--valdiate', '--validate'],
    [['hunt', '--JSON', log], '--JSON', '--json'],
    [['hunt', '--formt=json', log], '--formt', '--format'],
    [['hunt', '-json', log], '-json', '--json'],
    [['query', '--targte', 'spl'], '--targte', '--target'],
    [['query', '--target', 'spl', '--stlye', 'car'], '--stlye', '--style'],
    [['query', '--target', 'dnif', '--limt', '5'], '--limt', '--limit'],
  ];
  for (const [argv, given, meant] of typos) {
    it(`${argv[0]} ${given}: suggests ${meant}`, async () => {
      assertRefused(await runCli(...argv), [given, `did you mean ${meant}?`], argv.join(' '));
    });
  }

  it('no suggestion when nothing is close', async () => {
    const run = await runCli('hunt', '--frobnicate', log);
    assertRefused(run, ['--frobnicate'], 'far from every option');
    assert.doesNotMatch(run.err[0], /did you mean/);
  });

  it('a short option, a flag given a value, a missing value, an operand where none is taken', async () => {
    assertRefused(await runCli('hunt', '-j', log), ['-j', /unknown option/], '-j');
    assertRefused(await runCli('hunt', '--json=yes', log), ['--json', /takes no value/], '--json=yes');
    assertRefused(await runCli('hunt', log, '--analytic'), ['--analytic', /needs a value/], 'trailing --analytic');
    assertRefused(await runCli('analytics', 'extra'), ['extra'], 'analytics extra');
    assertRefused(await runCli('query', '--target', 'spl', 'CAR-2014-05-002'), ['CAR-2014-05-002'], 'query with an operand');
  });

  it('an unknown command suggests the nearest one', async () => {
    assertRefused(await runCli('hutn', log), ['hutn', 'did you mean hunt?'], 'hutn');
  });

  it('--help and -h on each command print the usage and exit 0, running nothing else', async () => {
    for (const command of ['hunt', 'rules', 'query', 'analytics']) {
      for (const help of ['--help', '-h']) {
        const run = await runCli(command, help);
        assert.equal(run.status, 0, `${command} ${help}`);
        assert.match(run.out.join('\n'), /^usage:/m);
        assert.deepEqual(run.err, []);
      }
    }
  });

  it('every option in the README usage is known to its command, and works with a documented value', async () => {
    const usage = readmeUsage();
    assert.ok(usage.some((u) => u.command === 'hunt' && u.options.length > 0), 'the README documents hunt and its options');
    for (const { command, options } of usage) {
      for (const { name, placeholder } of options) {
        const value = placeholder === undefined ? [] : [EXAMPLE_VALUES[placeholder] ?? 'x'];
        const argv =
          command === 'hunt'
            ? ['hunt', `--${name}`, ...value, log]
            : command === 'search'
              ? ['search', `--${name}`, ...value, 'x', log]
              : command === 'query' && name !== 'target'
                ? ['query', '--target', 'spl', `--${name}`, ...value]
                : [command, `--${name}`, ...value];
        const run = await runCli(...argv);
        assert.doesNotMatch(run.err.join('\n'), /unknown option/, argv.join(' '));
        if (placeholder === undefined || placeholder in EXAMPLE_VALUES) assert.equal(run.status, 0, `${argv.join(' ')}: ${run.err.join(' | ')}`);
      }
    }
  });

  it('the built bin exits 2 on an unknown option of each command (the process status, not only main())', function () {
    assertBuiltCliFresh();
    for (const argv of [['hunt', '--bogus', log], ['rules', '--bogus'], ['query', '--target', 'spl', '--bogus'], ['analytics', '--bogus']]) {
      assertRefused(runBuiltCli(argv), ['--bogus'], `bin ${argv.join(' ')}`);
    }
  });
});

describe('guard: the option table is the whole parser contract', () => {
  const spec: CommandSpec = { name: 'demo', options: { json: 'flag', rules: 'value', 'no-builtin': 'flag' }, operands: true };

  it('adding an option is one entry: a value option may repeat, a flag is true', () => {
    const args = parseArgs(['--rules', 'a', '--no-builtin', '--rules=b', 'file', '--', '--json'], spec);
    assert.deepEqual(args.values.get('rules'), ['a', 'b']);
    assert.equal(args.flags.get('rules'), 'b', 'the last value wins where one is read');
    assert.equal(args.flags.get('no-builtin'), true);
    assert.deepEqual(args.positionals, ['file', '--json'], 'after --, everything is an operand');
    assert.equal(args.flags.has('json'), false);
  });

  it('anything outside the table is a UsageError naming it', () => {
    assert.throws(() => parseArgs(['--rule', 'x'], spec), (e: unknown) => e instanceof UsageError && /--rule\b.*did you mean --rules\?/.test(e.message));
    assert.throws(() => parseArgs(['--min-level', 'high'], spec), (e: unknown) => e instanceof UsageError && /unknown option --min-level/.test(e.message));
  });
});
