/**
 * One case of bench-import.ts, in a process of its own so that its peak RSS belongs to that
 * import alone. Bundled by the bench and run by plain Node, as the app's worker runs the parsers
 * (pdf.js and friends loaded from node_modules, not transpiled on the fly).
 */
import { statSync } from 'node:fs';
import { documentWordCount } from '../../src-shared/document';
import { describeError, toErrorData } from '../../src-shared/errors/catalogue';
import { importFile } from '../../src-main/services/import';

export interface CaseResult {
  name: string;
  bytes: number;
  ms: number;
  /** CPU time of the process over the import (user + system): wall time on a busy machine says less. */
  cpuMs: number;
  /** Chapters and words when it opened; the one-line error when it was refused. */
  outcome: string;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

async function runCase(name: string, file: string): Promise<CaseResult> {
  const rssBefore = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let outcome: string;
  try {
    const document = await importFile(file);
    outcome = `${document.chapters.length} chapters, ${documentWordCount(document)} words`;
  } catch (error) {
    outcome = `refused: ${describeError(toErrorData(error), 'cli')}`;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  return {
    name,
    bytes: statSync(file).size,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    outcome,
    rssBeforeMb: mb(rssBefore),
    // maxRSS is in kilobytes and covers this child process only.
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    peakHeapMb: mb(peakHeap),
  };
}

const [name = '', file = ''] = process.argv.slice(2);
const result = await runCase(name, file);
process.send?.(result, () => process.exit(0));
