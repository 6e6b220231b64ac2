// Import benchmark: generates in a temp folder a ~2 MB EPUB, a 300-page two-column PDF, the
// hostile files of issue #11 (a PDF whose Flate streams expand to 500 MB and 3 GB, two whose
// content hides from a byte scan (marked as an image; LZW) and expands to 500 MB, a DOCX and
// an EPUB with a 200 MB part, a 10,000-page PDF (refused by the page limit), a 200 MB text file), files just under each
// limit, and small files that repeat or nest (a <p> of 100k spans, a DOCX paragraph of 40k
// runs, 100k Markdown link references, 100k or 1M unclosed and 100k nested <div>s, EPUB TOCs
// 100k deep, a DOCX 50k deep); imports each in a fresh Node process (scripts/bench/import-case.ts,
// bundled, so peak RSS belongs to that import alone and pdf.js is not transpiled on the fly) and
// prints time, peak memory and what happened. Then times the importers' steps on hostile input
// that once took quadratic time (their results are checked by the tests). Figures only.
//   npx tsx scripts/bench-import.ts [--structure] [--only TEXT]
//   (--structure: the repeating and nesting files only; --only: the rows whose name contains TEXT)
import { fork } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { InlineText } from '../src-shared/document/builder';
import { DEFAULT_LIMITS } from '../src-main/services/import';
import { splitByHeadings } from '../src-main/services/import/chapters';
import { buildParagraphs, pageLines } from '../src-main/services/import/pdf-layout';
import type { PdfLine, PdfTextItem } from '../src-main/services/import/pdf-layout';
import { importPlainText } from '../src-main/services/import/text-importer';
import {
  deepDocx,
  deepNavEpub,
  deepNcxEpub,
  flateBombPdf,
  hiddenBombPdf,
  hugeChapterEpub,
  hugeDocx,
  makeEpub,
  makeTwoColumnPdf,
  manyLinkReferencesMarkdown,
  manyPagesPdf,
  manyRunsDocx,
  manySpansHtml,
  nestedDivsHtml,
  unclosedDivsHtml,
} from '../test/import/fixtures';
import type { CaseResult } from './bench/import-case';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// Inside node_modules so the bundle finds its external packages as dist/ does.
const CASE_BUNDLE = join(ROOT, 'node_modules/.cache/kokoro-bench-import/import-case.mjs');
const MiB = 1024 * 1024;

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

function writer(folder: string): (name: string, content: string | Uint8Array) => string {
  return (name, content) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };
}

async function generate(folder: string): Promise<[string, string][]> {
  const text = words(42);
  const files = Array.from({ length: 80 }, (_, chapter) => ({
    name: `ch${chapter + 1}.xhtml`,
    body: `<h1>Chapter ${chapter + 1}</h1>${Array.from({ length: 50 }, () => `<p>${text(200)}</p>`).join('')}`,
  }));
  const write = writer(folder);
  const epub = write('bench.epub', await makeEpub({ title: 'Bench Book', files, toc: files.map((file, index) => ({ title: `Chapter ${index + 1}`, href: file.name })) }));
  const pages = Array.from({ length: 300 }, (_, page) => [...(page % 10 === 0 ? [`# Part ${page / 10 + 1}`] : []), text(110), text(100), '|', text(110), text(110)]);
  const pdf = write('bench.pdf', await makeTwoColumnPdf({ header: 'The Bench Journal', pages, outline: Array.from({ length: 30 }, (_, i) => ({ title: `Part ${i + 1}`, page: i * 10 })) }));
  // Three paragraphs of 60 words a page, in lines of at most 70 characters (longer ones run
  // off the page, where the importer leaves them), a gap after each.
  const lines = (paragraph: string): string[] => {
    const out = [''];
    for (const word of paragraph.split(' ')) {
      if (out[out.length - 1] === '') out[out.length - 1] = word;
      else if (`${out.at(-1)} ${word}`.length > 70) out.push(word);
      else out[out.length - 1] += ` ${word}`;
    }
    return [...out, ''];
  };
  const manyPages = (count: number): Uint8Array => manyPagesPdf(count, () => [text(60), text(60), text(60)].flatMap(lines));
  return [
    ['EPUB 80 chapters', epub],
    ['PDF 300 pages', pdf],
    ['PDF Flate 500 MB', write('bomb-500m.pdf', flateBombPdf(500))],
    ['PDF Flate 3 GB', write('bomb-3g.pdf', flateBombPdf(3000))],
    // Streams a scan of the file's bytes missed: content marked as an image, and LZW.
    ['PDF "image" 500 MB', write('hidden-image-500m.pdf', hiddenBombPdf('content marked as an image', 500))],
    ['PDF LZW 500 MB', write('hidden-lzw-500m.pdf', hiddenBombPdf('LZW', 500))],
    ['DOCX 200 MB part', write('huge.docx', hugeDocx(200))],
    ['EPUB 200 MB chapter', write('huge.epub', hugeChapterEpub(200))],
    // The 10,000 pages: refused by the page limit, before any page is read.
    ['PDF 10,000 pages', write('pages-10000.pdf', manyPages(10_000))],
    ['text 200 MB', await writeText(join(folder, 'long-200m.txt'), 200 * MiB, text)],
    // Just under each limit: the largest file of each kind that opens (and past the page limit).
    ['DOCX part at limit', write('limit.docx', hugeDocx((DEFAULT_LIMITS.maxDocxEntryBytes - 64 * 1024) / MiB))],
    ['EPUB chapter at limit', write('limit.epub', hugeChapterEpub((DEFAULT_LIMITS.maxEpubEntryBytes - 64 * 1024) / MiB))],
    [`PDF ${DEFAULT_LIMITS.maxPdfPages.toLocaleString('en')} pages`, write('pages-at-limit.pdf', manyPages(DEFAULT_LIMITS.maxPdfPages))],
    [`PDF ${(DEFAULT_LIMITS.maxPdfPages + 1).toLocaleString('en')} pages`, write('pages-past-limit.pdf', manyPages(DEFAULT_LIMITS.maxPdfPages + 1))],
    ['text at limit', await writeText(join(folder, 'long-limit.txt'), DEFAULT_LIMITS.maxTextFileBytes - 64 * 1024, text)],
  ];
}

/** Small files that repeat or nest (issue #11): each once took quadratic time or overflowed the stack. */
async function generateStructure(folder: string): Promise<[string, string][]> {
  const write = writer(folder);
  return [
    ['HTML <p> 100k spans', write('spans.html', manySpansHtml(100_000))],
    ['DOCX 40k runs', write('runs.docx', manyRunsDocx(40_000))],
    ['MD 100k link refs', write('links.md', manyLinkReferencesMarkdown(100_000))],
    ['HTML 100k open divs', write('open-100k.html', unclosedDivsHtml(100_000))],
    ['HTML 1M open divs', write('open-1m.html', unclosedDivsHtml(1_000_000))],
    ['HTML 100k nested divs', write('nested.html', nestedDivsHtml(100_000))],
    ['EPUB nav 100k deep', write('deep-nav.epub', await deepNavEpub(100_000))],
    ['EPUB NCX 100k deep', write('deep-ncx.epub', await deepNcxEpub(100_000))],
    ['DOCX 50k deep', write('deep.docx', deepDocx(50_000))],
  ];
}

/** A text file of about `bytes` bytes of paragraphs, written a paragraph batch at a time. */
async function writeText(path: string, bytes: number, text: (count: number) => string): Promise<string> {
  const batch = Array.from({ length: 200 }, () => text(120)).join('\n\n') + '\n\n';
  const out = createWriteStream(path);
  for (let written = 0; written + batch.length <= bytes; written += batch.length) {
    if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return path;
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
  const inline = (n: number) => (): unknown => {
    const text = new InlineText();
    for (let i = 0; i < n; i++) {
      if (i % 2) text.openEmphasis('strong');
      text.append(` piece ${i} `);
      if (i % 2) text.closeEmphasis();
      if (i % 1000 === 999) text.lineBreak();
    }
    return text.take();
  };
  const cases: [string, (n: number) => () => unknown, number][] = [
    ['one paragraph of N inline pieces (spans, runs)', inline, 100_000],
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
    // Plain Node, no loaders: as the app's import worker runs.
    const child = fork(CASE_BUNDLE, [name, file], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as CaseResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${name} benchmark exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  mkdirSync(join(CASE_BUNDLE, '..'), { recursive: true });
  await build({ entryPoints: [join(ROOT, 'scripts/bench/import-case.ts')], outfile: CASE_BUNDLE, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'error' });
  const folder = mkdtempSync(join(tmpdir(), 'kokoro-bench-import-'));
  try {
    const started = performance.now();
    const structureOnly = process.argv.includes('--structure');
    const only = process.argv[process.argv.indexOf('--only') + 1];
    const all = [...(structureOnly ? [] : await generate(folder)), ...(await generateStructure(folder))];
    const cases = process.argv.includes('--only') && only ? all.filter(([name]) => name.includes(only)) : all;
    console.log(`generated fixtures in ${Math.round(performance.now() - started)} ms (${folder})`);
    for (const [name, file] of cases) {
      const r = await inChild(name, file);
      console.log(
        `${r.name.padEnd(22)} ${(r.bytes / MiB).toFixed(2).padStart(7)} MB ${String(r.ms).padStart(6)} ms (cpu ${String(r.cpuMs).padStart(6)} ms)  ` +
          `rss before ${r.rssBeforeMb} MB, peak rss ${r.peakRssMb} MB, peak heap ${r.peakHeapMb} MB  ${r.outcome}`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (!process.argv.includes('--structure') && !process.argv.includes('--only')) hostileCases();
}

await main();
