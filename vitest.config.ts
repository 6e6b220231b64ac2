import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src-*/**/*.test.ts'],
    environment: 'node',
    // A fresh TMPDIR per run: nothing a previous run left behind can change a result.
    globalSetup: ['./test/helpers/run-temp-dir.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits on a state the UI reaches; a loaded 2-core machine can take seconds
    // where an idle one takes milliseconds, so the ceiling is generous (Vitest's default is 1 s).
    expect: { poll: { timeout: 20_000 } },
    // Browser and engine-process tests start real processes; two cores do not gain from more.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
