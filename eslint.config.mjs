// Lint: typescript-eslint's type-aware rules for the TypeScript, ESLint's recommended rules for the
// plain Node ESM scripts (scripts/*.mjs, this file), and limits on size. Formatting is Prettier's
// (npm run format); unused exports, files and dependencies are knip's (knip.jsonc).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Sizes, counted without blank lines and comments. A function of more than 60 lines (a screen) does
// more than one thing; helpers of tests, benches and scripts, which drive a whole scenario, get 100;
// a test's own body is a scenario read top to bottom and has no limit. Past 4 positional parameters
// a call no longer says which argument is which: take an object. A file of more than 300 lines holds
// more than one concept.
const FUNCTION_LINES = { max: 60, skipBlankLines: true, skipComments: true };
const HELPER_FUNCTION_LINES = { ...FUNCTION_LINES, max: 100 };
const MAX_PARAMS = 4;

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test/e2e/node_modules/', 'test-results/', 'examples/', 'bench/node_modules/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'describe', 'it', 'suite', 'before', 'after'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/max-params': ['error', { max: MAX_PARAMS }],
      'max-lines-per-function': ['error', HELPER_FUNCTION_LINES],
    },
  },
  // What ships: the extension, the engine, the runtime in the user's node, the keep() API.
  {
    files: ['src/**/*.ts', 'node/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', FUNCTION_LINES],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['test/**/*.test.ts'], rules: { 'max-lines-per-function': 'off' } },
  // Tests and tools read JSON (reports, package.json, /proc) all the time: typing every parse adds nothing.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The protocol is one namespace per message, as vscode-languageserver's own protocol is written.
  { files: ['src/protocol.ts'], rules: { '@typescript-eslint/no-namespace': 'off' } },
  // Plain Node ESM: the build and packaging scripts and this file.
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-params': ['error', { max: MAX_PARAMS }],
      'max-lines-per-function': ['error', HELPER_FUNCTION_LINES],
    },
  },
);
