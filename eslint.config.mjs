// ESLint flat config: `npm run lint` (the first step of `npm test`). See docs/testing.md.
//
// Base: ESLint's and typescript-eslint's recommended rules, the type-checked variant, because
// the defects that matter here are asynchronous (a floating promise, an `await` of a
// non-promise, a promise where a callback is expected) or an `any` that slips past `strict`
// (JSON.parse, worker messages), and only type information finds those.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Nothing under src/engine/ or src/cli/ may reach into src/extension/. */
const NO_EXTENSION_IMPORTS = {
  // Relative from src/engine/** or src/cli/**: one or more `../` then `extension`.
  regex: '^(\\.\\./)+extension(/|$)|(^|/)src/extension(/|$)',
  message: 'src/engine and src/cli must not depend on src/extension (the VS Code face).',
};
const NO_VSCODE_IMPORT = {
  name: 'vscode',
  message: 'src/engine and src/cli run in plain Node (CLI, workers, unit tests): no `vscode` import.',
};
/** The faces import the engine through src/engine/index.ts only, so its insides can move freely. */
const ENGINE_ENTRY_ONLY = {
  group: ['../engine/*', '../../engine/*'],
  message: "Import the engine through its one entry, '../engine' (src/engine/index.ts).",
};

/** `require('vscode')` and `import('vscode')`, which no-restricted-imports does not see. */
const noVscodeRequire = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
    message: NO_VSCODE_IMPORT.message,
  },
  { selector: "ImportExpression[source.value='vscode']", message: NO_VSCODE_IMPORT.message },
];

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', '**/node_modules/**', '.vscode-test/**', '**/code-server-*/**'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Turned off, because they fight deliberate code rather than find defects:
      // - The code matches control characters on purpose: terminal-safe output, SPL/DNIF
      //   quoting, the prefilters and the tests of all three.
      'no-control-regex': 'off',
      // - An `async` method without `await` is how an async interface (an async iterable's
      //   chunks(), a close() that returns a promise) is implemented; the defect this rule
      //   hunts, a forgotten `await`, is caught by no-floating-promises instead.
      '@typescript-eslint/require-await': 'off',

      // The code base's convention for a deliberately unused binding: a leading `_`, or a
      // rest sibling that drops a field (`const { seconds: _s, ...rest } = summary`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],

      // Rejecting with what a catch caught passes the thrower's value on unchanged; the defect
      // this rule hunts is rejecting with a literal or a string, which it still reports.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],

      // Added to the recommended sets: each finds a real defect, and the code has none today.
      // A union that grows (a new log shape, a new SIEM target) must not fall through a switch.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // `return promise` inside try skips the catch/finally when the promise rejects.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-template-curly-in-string': 'error',
      'no-self-compare': 'error',
      'no-unreachable-loop': 'error',
      'array-callback-return': 'error',
    },
  },
  {
    // A `.only` left in a test silently skips the rest of the suite (mocha's --forbid-only
    // catches it too, but only when the suite runs).
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'context', 'suite', 'test'].map((object) => ({
          object,
          property: 'only',
          message: '.only skips every other test; remove it before committing.',
        })),
      ],
    },
  },
  {
    // The architecture's core promise: the engine runs without VS Code.
    files: ['src/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [NO_VSCODE_IMPORT], patterns: [NO_EXTENSION_IMPORTS] },
      ],
      'no-restricted-syntax': ['error', ...noVscodeRequire],
    },
  },
  {
    // The CLI is plain Node too (its bundle does not even mark `vscode` external).
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [NO_VSCODE_IMPORT], patterns: [NO_EXTENSION_IMPORTS, ENGINE_ENTRY_ONLY] },
      ],
      'no-restricted-syntax': ['error', ...noVscodeRequire],
    },
  },
  {
    // The extension adapts the engine through its one entry, as the CLI does.
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ENGINE_ENTRY_ONLY] }],
    },
  },
);
