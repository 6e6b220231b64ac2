import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A fresh TMPDIR per run: nothing a previous run left behind can change a result.
    globalSetup: ['./test/helpers/run-temp-dir.ts'],
    // A ceiling for a hung test, not a speed check: on a loaded 2-core machine (measured: CI beside
    // a training run) the export, shadow-graph and engine tests passed 30 s and failed.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // expect.poll waits on a state the UI reaches; a loaded 2-core machine can take seconds
    // where an idle one takes milliseconds, so the ceiling is generous (Vitest's default is 1 s).
    expect: { poll: { timeout: 20_000 } },
    // Browser and engine-process tests start real processes; two cores do not gain from more.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts', 'src-main/**/*.test.ts', 'src-shared/**/*.test.ts'], environment: 'node' },
      },
      {
        // The renderer's stores beside their specs: Svelte compiles their runes for the browser.
        extends: true,
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: { name: 'renderer', include: ['src-renderer/**/*.test.ts'], environment: 'node' },
      },
    ],
  },
});
