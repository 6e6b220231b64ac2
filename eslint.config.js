import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'worker_threads', 'module', 'vm', 'zlib', 'buffer', 'process'];

export default ts.config(
  { ignores: ['dist/', 'release/', 'node_modules/', 'coverage/'] },
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
