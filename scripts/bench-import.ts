// Import benchmark: generates a ~2 MB EPUB and a 300-page two-column PDF in a temp folder,
// then imports each in a fresh child process (so peak RSS belongs to that import alone) and
// prints time and memory. Then times the importers' steps on hostile input that once took
// quadratic time (their results are checked by the tests). Figures only, no assertions.
//   npx tsx scripts/bench-import.ts
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentWordCount } from '../src-shared/document';
import { importFile } from '../src-main/services/import';
import { splitByHeadings } from '../src-main/services/import/chapters';
import { buildParagraphs, pageLines } from '../src-main/services/import/pdf-layout';
import type { PdfLine, PdfTextItem } from '../src-main/services/import/pdf-layout';
import { importPlainText } from '../src-main/services/import/text-importer';
import { makeEpub, makeTwoColumnPdf } from '../test/import/fixtures';

interface CaseResult {
  name: string;
  bytes: number;
  ms: number;
  chapters: number;
  words: number;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapMb: number;
}

// A seeded generator keeps runs comparable; random words compress like prose, unlike repeats.
function words(seed: number): (count: number) => string {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tha', 'vo', 'qui', 'sel', 'dar', 'no', 'pe', 'strum', 'ba', 'fen', 'gor', 'il', 'ux', 'jo', 'wes', 'ti', 'cra', 'om', 'hy', 'zen'];
  const vocabulary = Array.from({ length: 20000 }, () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => syllables[Math.floor(next() * syllables.length)]).join(''));
  return (count) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      let word = vocabulary[Math.floor(next() * vocabulary.length)] ?? 'word';
      if (i === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
      out.push(i > 0 && i % 14 === 0 ? `${word}.` : word);
    }
    return `${out.join(' ').replace(/\.$/, '')}.`;
  };
}

async function generate(folder: string): Promise<{ epub: string; pdf: string }> {
  const text = words(42);
  const files = Array.from({ length: 80 }, (_, chapter) => ({
    name: `ch${chapter + 1}.xhtml`,
    body: `<h1>Chapter ${chapter + 1}</h1>${Array.from({ length: 50 }, () => `<p>${text(200)}</p>`).join('')}`,
  }));
  const epub = join(folder, 'bench.epub');
  writeFileSync(epub, await makeEpub({ title: 'Bench Book', files, toc: files.map((file, index) => ({ title: `Chapter ${index + 1}`, href: file.name })) }));

  const pages = Array.from({ length: 300 }, (_, page) => [...(page % 10 === 0 ? [`# Part ${page / 10 + 1}`] : []), text(110), text(100), '|', text(110), text(110)]);
  const pdf = join(folder, 'bench.pdf');
  writeFileSync(pdf, await makeTwoColumnPdf({ header: 'The Bench Journal', pages, outline: Array.from({ length: 30 }, (_, i) => ({ title: `Part ${i + 1}`, page: i * 10 })) }));
  return { epub, pdf };
}

async function runCase(name: string, file: string): Promise<CaseResult> {
  const rssBefore = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  const document = await importFile(file);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return {
    name,
    bytes: statSync(file).size,
    ms: Math.round(ms),
    chapters: document.chapters.length,
    words: documentWordCount(document),
    rssBeforeMb: mb(rssBefore),
    // maxRSS is in kilobytes and covers this child process only.
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    peakHeapMb: mb(peakHeap),
  };
}

/** Steps that must stay linear in their input, each timed at two sizes (10x apart). */
function hostileCases(): void {
  const spaces = (n: number) => (): unknown => importPlainText(new TextEncoder().encode(`${' '.repeat(n)}x`), 'spaces.txt');
  const item = (str: string, x: number, y: number): PdfTextItem => ({ str, x, y, width: str.length * 5, fontSize: 10 });
  const strays = (n: number) => (): unknown => {
    const columns = [0, 1, 2, 3, 4, 5].flatMap((row) => [item(`left ${row} words`, 50, 100 + row * 12), item(`right ${row} words`, 330, 100 + row * 12)]);
    for (let k = 0; k < n; k++) pageLines({ index: 0, width: 612, height: 792, items: [...columns, item('stray', 3e7 + k, 200)] });
    return undefined;
  };
  const line = (text: string, index: number): PdfLine => ({ page: Math.floor(index / 60), text, x: 50, right: 560, y: 60 + (index % 60) * 12, fontSize: 10, column: 0 });
  const paragraph = (n: number) => (): unknown => buildParagraphs(Array.from({ length: n }, (_, i) => line(i % 2 ? 'ordinary text goes on and on and' : 'words of an extra-', i)));
  const headings = (n: number) => (): unknown =>
    splitByHeadings(
      Array.from({ length: n }, (_, i) => (i % 2 ? { kind: 'paragraph' as const, text: `Text ${i}` } : { kind: 'heading' as const, level: i === 0 ? 1 : 2, text: `H${i}` })),
      'Fallback',
    );
  const cases: [string, (n: number) => () => unknown, number][] = [
    ['plain text: a run of N spaces before a line end', spaces, 100_000],
    ['PDF page: N pages with an item far off the page', strays, 1_000],
    ['PDF paragraph of N lines', paragraph, 30_000],
    ['N headings and paragraphs split into chapters', headings, 60_000],
  ];
  for (const [name, work, n] of cases) {
    const ms = [n, n * 10].map((size) => {
      const started = performance.now();
      work(size)();
      return Math.round(performance.now() - started);
    });
    console.log(`${name.padEnd(50)} N=${n}: ${String(ms[0]).padStart(5)} ms   N=${n * 10}: ${String(ms[1]).padStart(6)} ms (linear: about 10x)`);
  }
}

function inChild(name: string, file: string): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1] ?? '', ['--case', name, file], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as CaseResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${name} benchmark exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const caseIndex = process.argv.indexOf('--case');
  if (caseIndex >= 0) {
    const result = await runCase(process.argv[caseIndex + 1] ?? '', process.argv[caseIndex + 2] ?? '');
    process.send?.(result, () => process.exit(0));
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'kokoro-bench-import-'));
  try {
    const started = performance.now();
    const { epub, pdf } = await generate(folder);
    console.log(`generated fixtures in ${Math.round(performance.now() - started)} ms (${folder})`);
    for (const [name, file] of [
      ['EPUB', epub],
      ['PDF 300 pages', pdf],
    ] as const) {
      const r = await inChild(name, file);
      console.log(
        `${r.name.padEnd(14)} ${(r.bytes / (1024 * 1024)).toFixed(2)} MB  ${String(r.ms).padStart(6)} ms  ${r.chapters} chapters  ${r.words} words  ` +
          `rss before ${r.rssBeforeMb} MB, peak rss ${r.peakRssMb} MB, peak heap ${r.peakHeapMb} MB`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  hostileCases();
}

await main();
