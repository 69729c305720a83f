// ESLint 9 flat config for Canvass.
//
// Two jobs:
//  1. Type-aware rules that carry real weight: no floating or misused promises, exhaustive
//     switches, type-only imports marked as such.
//  2. The layer boundaries of docs/development.md ("Layers"), enforced with
//     no-restricted-imports, one block per directory. The error messages are written to teach
//     the rule to whoever meets it first, so keep them specific when you change them.
//
// Run: npm run lint (check), npm run lint:fix (apply safe fixes).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];
const TEST_FILES = ['**/*.test.{ts,tsx}', 'test/**/*.{ts,tsx}', 'bench/**/*.ts'];

// ---------------------------------------------------------------------------------------
// Import-boundary building blocks.
//
// Imports inside src/ are relative ("../db/client.js"), so a layer is recognised by the
// first directory after the leading "../" segments. Each entry is a no-restricted-imports
// pattern: { regex, message }.
// ---------------------------------------------------------------------------------------

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Matches a relative import that lands in src/<name>/ (or src/<name>.js for a file). */
const layer = (name) => `^(?:\\.\\./)+${escape(name)}(?:/|(?:\\.js)?$)`;

/** Matches an npm package and its subpaths, e.g. "pg" and "pg/lib/x" but not "pg-boss". */
const pkg = (name) => (name.endsWith('/*') ? `^${escape(name.slice(0, -1))}` : `^${escape(name)}(?:/|$)`);

const bareBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const builtinRegex = (except = []) => {
  const allowed = new Set(except);
  const bare = bareBuiltins.filter((m) => !allowed.has(m)).map(escape);
  const prefixed = except.length ? `node:(?!(?:${except.map(escape).join('|')})$)` : 'node:';
  return `^(?:${prefixed}|(?:${bare.join('|')})(?:/|$))`;
};

// Server-side packages: database drivers, the HTTP framework, the job queue, the CLI kit,
// the headless browser, native password hashing.
const SERVER_PACKAGES = [
  'fastify',
  '@fastify/*',
  'fastify-type-provider-zod',
  'pg',
  '@electric-sql/pglite',
  'kysely',
  'pg-boss',
  'commander',
  'cli-progress',
  'playwright-core',
  '@node-rs/argon2',
];

const restrict = (patterns) => ['error', { patterns }];
const layers = (names, message) => names.map((name) => ({ regex: layer(name), message }));
const packages = (names, message) => names.map((name) => ({ regex: pkg(name), message }));

const DOMAIN_MSG =
  'src/domain holds the pure rules (people, consent, objection, audiences, permissions, the rules catalogue): ' +
  'no I/O, no framework, no database; it may import only src/domain and src/shared. Load what the rule needs in a use case in src/app and pass it in as plain ' +
  'values; return a decision and let src/app persist it. See docs/development.md#layers.';
const DOMAIN_NODE_MSG =
  'src/domain must stay free of I/O: of the Node built-ins only node:crypto (hashing) is allowed, imported with ' +
  'the node: prefix. Files, network, processes and the environment belong in src/app, src/db or src/config.ts.';

const APP_MSG =
  'src/app holds the use cases that the HTTP API, the CLI and the jobs all call, so it must not know which one ' +
  'called it: no HTTP, no Fastify, no CLI, no browser code. Throw an AppError (src/domain/errors.ts) and let ' +
  'src/http/errors.ts map it to a status. See docs/development.md#layers.';

const CLI_HTTP_MSG =
  'src/cli calls use cases in src/app, as src/http does; it must not reach into routes, presenters or request ' +
  'schemas. The one exception is src/http/server.js, which `canvass serve` starts. If a command needs logic that ' +
  'lives in src/http, move it into src/app. See docs/development.md#layers.';
const CLI_BROWSER_MSG = 'src/cli is server code: src/web and src/banner run in the browser and are built separately.';

const JOBS_MSG =
  'src/jobs runs outside any request: a job handler calls use cases in src/app, never HTTP routes, CLI commands ' +
  'or browser code. See docs/development.md#layers.';

const DB_MSG =
  'src/db is below src/app: it knows tables and transactions, not use cases, routes, jobs or commands. ' +
  'Depend the other way round (src/app imports src/db). See docs/development.md#layers.';

const HTTP_MSG =
  'src/http is an edge like src/cli: handlers parse, authorize, call a use case in src/app and present. They do ' +
  'not call CLI commands, and browser code (src/web, src/banner) is built separately. See docs/development.md#layers.';

const SCANNER_MSG =
  'src/scanner is a library that use cases and jobs call; it must not depend on the edges (http, cli) or on ' +
  'browser code. See docs/development.md#layers.';

const WEB_MSG =
  'src/web is the staff dashboard and runs in the browser: it may import src/shared and npm UI packages only, ' +
  'never server code. Put the enums, limits and schemas it shares with the server in src/shared, and get data ' +
  'from the HTTP API. See docs/development.md#layers.';
const WEB_PKG_MSG =
  'src/web runs in the browser: server packages (database drivers, Fastify, pg-boss, the CLI kit, Playwright, ' +
  'argon2) cannot be bundled into it. Call the HTTP API instead.';
const WEB_NODE_MSG = 'src/web runs in the browser, where Node built-ins (node:*) do not exist.';

const BANNER_MSG =
  'src/banner is the consent script that campaign websites embed: it is dependency-free and has a byte budget. ' +
  'It may import only its own files and src/shared. See docs/development.md#layers.';
const BANNER_PKG_MSG =
  'src/banner is dependency-free (it ships to every visitor of a campaign website and has a byte budget): no npm ' +
  'packages and no Node built-ins. Write the few lines you need, or put a tiny shared helper in src/shared.';

const SHARED_MSG =
  'src/shared is isomorphic: the browser code (src/web, src/banner) and the server both import it, so it may ' +
  'import only other src/shared files. Move the thing you need into src/shared, or keep this code on the server.';
const SHARED_PKG_MSG = 'src/shared is bundled into browser code: no server packages and no Node built-ins here.';

const ALL_LAYERS = [
  'domain',
  'app',
  'imports',
  'audiences',
  'db',
  'http',
  'jobs',
  'cli',
  'web',
  'banner',
  'scanner',
  'shared',
  'config',
];
const except = (...names) => ALL_LAYERS.filter((n) => !names.includes(n));

/** One boundary block per directory. Tests are exempt: they may reach across layers. */
const boundary = (dir, patterns) => ({
  name: `canvass/boundaries/${dir}`,
  files: [`src/${dir}/**/*.{ts,tsx,mts,cts,js}`],
  ignores: TEST_FILES,
  rules: { 'no-restricted-imports': restrict(patterns) },
});

const boundaries = [
  boundary('domain', [
    ...layers(except('domain', 'shared'), DOMAIN_MSG),
    ...packages(SERVER_PACKAGES, DOMAIN_MSG),
    { regex: builtinRegex(['crypto']), message: DOMAIN_NODE_MSG },
    { regex: '^crypto$', message: DOMAIN_NODE_MSG },
  ]),
  boundary('app', [
    ...layers(['http', 'cli', 'web', 'banner'], APP_MSG),
    ...packages(['fastify', '@fastify/*', 'fastify-type-provider-zod'], APP_MSG),
  ]),
  // src/imports reads and maps import files for the use cases: it sits beside src/app.
  boundary('imports', [
    ...layers(['http', 'cli', 'web', 'banner'], APP_MSG),
    ...packages(['fastify', '@fastify/*', 'fastify-type-provider-zod'], APP_MSG),
  ]),
  // src/audiences writes audience files for the use cases (hashing, files): beside src/app too.
  boundary('audiences', [
    ...layers(['http', 'cli', 'web', 'banner'], APP_MSG),
    ...packages(['fastify', '@fastify/*', 'fastify-type-provider-zod'], APP_MSG),
  ]),
  boundary('db', [...layers(['app', 'http', 'jobs', 'cli', 'web', 'banner'], DB_MSG)]),
  boundary('http', [...layers(['cli', 'web', 'banner'], HTTP_MSG)]),
  boundary('cli', [
    { regex: '^(?:\\.\\./)+http(?:\\.js)?$', message: CLI_HTTP_MSG },
    { regex: '^(?:\\.\\./)+http/(?!server(?:\\.js)?$)', message: CLI_HTTP_MSG },
    ...layers(['web', 'banner'], CLI_BROWSER_MSG),
  ]),
  boundary('jobs', [...layers(['http', 'cli', 'web', 'banner'], JOBS_MSG)]),
  boundary('scanner', [...layers(['http', 'cli', 'web', 'banner'], SCANNER_MSG)]),
  boundary('web', [
    ...layers(except('web', 'shared'), WEB_MSG),
    ...packages(SERVER_PACKAGES, WEB_PKG_MSG),
    { regex: builtinRegex(), message: WEB_NODE_MSG },
  ]),
  boundary('banner', [
    ...layers(except('banner', 'shared'), BANNER_MSG),
    { regex: '^(?!\\.{1,2}/)', message: BANNER_PKG_MSG },
  ]),
  boundary('shared', [
    ...layers(except('shared'), SHARED_MSG),
    ...packages(SERVER_PACKAGES, SHARED_PKG_MSG),
    { regex: builtinRegex(), message: SHARED_PKG_MSG },
  ]),
];

// ---------------------------------------------------------------------------------------

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'data/', 'scratch/', 'coverage/', 'test-results/'], 'canvass/ignores'),

  {
    name: 'canvass/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Plain JavaScript (this file, bin/): the recommended rules, no type information.
  {
    name: 'canvass/javascript',
    files: JS_FILES,
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },

  // TypeScript: src/, test/, bench/ and the root *.ts files, all covered by tsconfig.json.
  {
    name: 'canvass/typescript',
    files: TS_FILES,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript itself reports undefined names, with better messages.
      'no-undef': 'off',
      // Fastify hooks and handlers are written `async` without awaiting (the alternative is the
      // `done` callback), and fakes implement async interfaces; the promise rules below catch
      // the mistakes that matter.
      '@typescript-eslint/require-await': 'off',

      // A promise nobody awaits loses its error and escapes its transaction.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function passed where a void callback is expected: errors vanish. JSX event
      // handlers are left alone (React ignores the returned promise by design).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // A switch over a union must name every member, so adding a member (an audit event
      // type, a job status, a lawful basis) breaks the build where it must be handled.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        {
          allowDefaultCaseForExhaustiveSwitch: true,
          requireDefaultForNonUnion: false,
          considerDefaultExhaustiveForUnions: true,
        },
      ],

      // Type-only imports are marked, so they vanish from the emitted JavaScript
      // (tsconfig has verbatimModuleSyntax) and never pull server code into a bundle.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',

      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  // Tests: the same type-aware rules (a forgotten `await expect(...).rejects` is a floating
  // promise), a little looser where test doubles make strictness noisy.
  {
    name: 'canvass/tests',
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Response bodies (`res.json()`) and fixtures are `any` by nature; the assertions check them.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // The dashboard: React hooks hand out objects of functions (`const { setSession } =
  // useSession()`), which unbound-method misreads as detached class methods.
  {
    name: 'canvass/web',
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  ...boundaries,
]);
