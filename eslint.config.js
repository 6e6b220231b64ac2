import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * The process layers, checked on resolved paths (in the spirit of VS Code's code-layering
 * check): each `target` folder may not import from its `from` folders. `test/layers/layering.test.ts`
 * lints a planted import per edge.
 */
const LAYER_ZONES = [
  {
    target: 'src-main/engine',
    from: ['src-main/services', 'src-main/electron', 'src-main/cli', 'src-main/processes'],
    message: 'The engine imports only src-shared, platform and itself; it is given storage through interfaces at start (see src-main/processes).',
  },
  {
    target: 'src-main/services',
    from: ['src-main/electron', 'src-main/cli', 'src-main/processes'],
    message: 'Services are plain Node: the Electron shell, the CLI and the process entries use them, never the other way round.',
  },
  {
    target: 'src-main/platform',
    from: ['src-main/engine', 'src-main/services', 'src-main/electron', 'src-main/cli', 'src-main/processes'],
    message: 'platform holds Node helpers every main-side layer may use (sockets, framing): it imports only src-shared.',
  },
  {
    target: 'src-shared',
    from: ['src-main', 'src-renderer'],
    message: 'src-shared runs in every process and imports nothing of theirs.',
  },
];

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'worker_threads', 'module', 'vm', 'zlib', 'buffer', 'process'];

export default ts.config(
  // The layering fixtures are linted by their test, as if they stood inside a layer.
  { ignores: ['dist/', 'release/', 'node_modules/', 'coverage/', 'test/layers/fixtures/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteConfig }, globals: { ...globals.browser } },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.svelte', '.json'] })] },
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: LAYER_ZONES }] },
  },
  // Layering: src-shared runs in every process, so it touches neither Electron nor Node.
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', ...nodeBuiltins], message: 'src-shared must not import Electron or Node built-ins.' }, { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared must not depend on a process side.' }] }],
    },
  },
  // The renderer talks to the app only through window.api.
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src-main/**', 'electron', ...nodeBuiltins], message: 'The renderer uses window.api, never main-side code, Electron or Node.' }] }],
    },
  },
  // Only the Electron shell may import electron; services must run in plain Node.
  {
    files: ['src-main/services/**', 'src-main/engine/**', 'src-main/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron'], message: 'Only src-main/electron may import Electron.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...ts.configs.disableTypeChecked,
  },
);
