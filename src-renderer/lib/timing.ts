/**
 * Runs `work` between two User Timing marks, so that its cost shows in the browser's performance
 * tools (and a test can count how often it ran, without timing it).
 */
export function measured<T>(name: string, work: () => T): T {
  const start = performance.mark(`${name}:start`);
  try {
    return work();
  } finally {
    performance.measure(name, start.name);
  }
}
