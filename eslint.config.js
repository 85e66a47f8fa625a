// Lint for the TypeScript core, its tests and the build scripts: correctness rules, and the core's "only here"
// invariants (one HTTP layer, one reader of the environment, one writer of stdout), each scoped by file globs.
// Formatting is Prettier's job (.prettierrc.json); nothing here checks layout.

import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * The "only here" invariants of the core (src/). Each names the one place allowed to do something and what the
 * rest of the core may not write. Each uses its own rule per kind of check (imports, properties, syntax), and the
 * allowed places do not overlap, so every file gets the checks of every invariant it is not the home of.
 */
const ONLY_HERE = [
  {
    home: ['src/http/**'],
    message: "only src/http/ imports 'undici' (one HTTP layer: src/http/client.ts); take an HttpClient or dispatcher",
    imports: [{ name: 'undici' }],
    importPatterns: [{ group: ['undici/*'] }],
    syntax: ["ImportExpression[source.value='undici']", "ImportExpression[source.value=/^undici\\//]"],
  },
  {
    // No narrow exception is needed: src/config/env.ts is the only reader of process.env in the core. Node itself
    // reads NODE_EXTRA_CA_CERTS at start-up and child processes inherit the environment; neither is our code.
    home: ['src/config/**'],
    message: 'only src/config/ reads process.env (readEnv() in src/config/env.ts); take the Env it returns',
    properties: [{ object: 'process', property: 'env' }],
    imports: [
      { name: 'process', importNames: ['env'] },
      { name: 'node:process', importNames: ['env'] },
    ],
    syntax: ["MemberExpression[object.property.name='process'][property.name='env']"],
  },
  {
    // src/main.ts is the one file that owns stdin, stdout and the exit code: it writes the one-shot envelope and
    // hands the resident core's writer (src/serve.ts, src/protocol/wire.ts) a function that writes stdout.
    home: ['src/main.ts'],
    message: 'only src/main.ts writes stdout (the protocol writer); take a write function as serve.ts does',
    properties: [{ object: 'process', property: 'stdout' }],
    imports: [
      { name: 'process', importNames: ['stdout'] },
      { name: 'node:process', importNames: ['stdout'] },
    ],
    syntax: ["MemberExpression[object.property.name='process'][property.name='stdout']"],
  },
]

/** The rules that hold every invariant except those listed in `skip` (the invariants whose home a file is in). */
function onlyHereRules(skip = []) {
  const kept = ONLY_HERE.filter((invariant) => !skip.includes(invariant))
  const paths = kept.flatMap((i) => (i.imports ?? []).map((entry) => ({ ...entry, message: i.message })))
  const patterns = kept.flatMap((i) => (i.importPatterns ?? []).map((entry) => ({ ...entry, message: i.message })))
  const properties = kept.flatMap((i) => (i.properties ?? []).map((entry) => ({ ...entry, message: i.message })))
  const syntax = kept.flatMap((i) => (i.syntax ?? []).map((selector) => ({ selector, message: i.message })))
  return {
    'no-restricted-imports': paths.length + patterns.length > 0 ? ['error', { paths, patterns }] : 'off',
    'no-restricted-properties': properties.length > 0 ? ['error', ...properties] : 'off',
    'no-restricted-syntax': syntax.length > 0 ? ['error', ...syntax] : 'off',
  }
}

const TS_FILES = ['**/*.ts']
const JS_FILES = ['**/*.js', '**/*.mjs']

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'module/bin/', 'test/.out/', '.cache/', 'test/lint/samples/'],
  },
  js.configs.recommended,
  {
    files: TS_FILES,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware, and cheap enough here: a promise nobody awaits loses its rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: [...TS_FILES, ...JS_FILES],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // The sanitizers and the protocol reader match control characters on purpose.
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    // test/browser/opener.mjs and the other scripts the tests start run in node; so do the build scripts.
    files: JS_FILES,
    languageOptions: { sourceType: 'module' },
  },
  {
    // Tests read envelopes and emulator bodies as parsed JSON.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The core: no console (console.log writes stdout, console.error bypasses the logger and its redactor), and
  // the "only here" invariants, each lifted in its home.
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error', ...onlyHereRules() },
  },
  ...ONLY_HERE.map((invariant) => ({ files: invariant.home, rules: onlyHereRules([invariant]) })),
)
