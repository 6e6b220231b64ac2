import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentProblems } from '../../src-shared/document';
import type { ImportedDocument } from '../../src-shared/document';
import { importFile } from '../../src-main/services/import';
import { buildParagraphs, joinLines, pageLines, removePageFurniture } from '../../src-main/services/import/pdf-layout';
import type { PdfLine, PdfTextItem } from '../../src-main/services/import/pdf-layout';
import { blockTexts, FixtureDir, makeTwoColumnPdf } from './fixtures';
import type { TwoColumnPdfSpec } from './fixtures';

const dir = new FixtureDir();
afterAll(() => dir.remove());

const sentence = (label: string, count: number): string => Array.from({ length: count }, (_, i) => `${label} sentence number ${i + 1} goes on for a while.`).join(' ');

const PAGES: TwoColumnPdfSpec['pages'] = [
  [
    '# Chapter One',
    `Alpha opens the book with an extra~ordinary claim and a well-known fact. ${sentence('Alpha', 4)} Even the well-~known parts stay.`,
    `Bravo starts in the left column. ${sentence('Bravo', 3)} The paragraph carries | on in the right column. ${sentence('Bravo', 2)}`,
    `Charlie ends the first page. ${sentence('Charlie', 3)}`,
  ],
  ['# Chapter Two', `Delta opens the second chapter. ${sentence('Delta', 5)}`, '|', `Echo fills the right column. ${sentence('Echo', 5)}`],
  [`Foxtrot is on page three. ${sentence('Foxtrot', 4)}`, '|', `Golf closes the document. ${sentence('Golf', 4)}`],
];

describe('PDF', () => {
  let withOutline: ImportedDocument;
  let withoutOutline: ImportedDocument;

  beforeAll(async () => {
    const spec = { header: 'The Journal of Tests', pages: PAGES };
    withOutline = await importFile(dir.write('outline.pdf', await makeTwoColumnPdf({ ...spec, outline: [{ title: 'One', page: 0 }, { title: 'Two', page: 1 }] })));
    withoutOutline = await importFile(dir.write('plain.pdf', await makeTwoColumnPdf(spec)));
  });

  it('uses the outline for chapters and the info dictionary for metadata', () => {
    expect(withOutline).toMatchObject({ title: 'Two Columns', author: 'Test Author', format: 'pdf' });
    expect(withOutline.chapters.map((chapter) => chapter.title)).toEqual(['One', 'Two']);
    expect(documentProblems(withOutline)).toEqual([]);
  });

  it('reads two columns in order, joins paragraphs across the gutter and pages, drops headers and page numbers', () => {
    const first = blockTexts(withOutline, 0);
    expect(first.map((text) => text.split(' ')[0])).toEqual(['Chapter', 'Alpha', 'Bravo', 'Charlie']);
    expect(first[2]).toContain('The paragraph carries on in the right column.');
    const second = blockTexts(withOutline, 1);
    expect(second.map((text) => text.split(' ')[0])).toEqual(['Chapter', 'Delta', 'Echo', 'Foxtrot', 'Golf']);
    const all = withOutline.chapters.map((chapter) => chapter.text).join('\n\n');
    expect(all).not.toContain('Journal of Tests');
    expect(all.split('\n\n').filter((block) => /^\d+$/.test(block.trim()))).toEqual([]);
    expect(withOutline.chapters[0]?.blocks[0]).toMatchObject({ kind: 'heading', level: 1 });
  });

  it('joins words hyphenated over a line end, keeping real compounds', () => {
    const alpha = blockTexts(withOutline, 0)[1] ?? '';
    expect(alpha).toContain('an extraordinary claim');
    expect(alpha).toContain('Even the well-known parts stay.');
    expect(alpha).not.toMatch(/- /);
  });

  it('splits at headings found by font size when there is no outline', () => {
    expect(withoutOutline.chapters.map((chapter) => chapter.title)).toEqual(['Chapter One', 'Chapter Two']);
    expect(blockTexts(withoutOutline, 1).map((text) => text.split(' ')[0])).toEqual(['Chapter', 'Delta', 'Echo', 'Foxtrot', 'Golf']);
  });

  it('falls back to one chapter per 10 pages for a long PDF without structure', async () => {
    const pages = Array.from({ length: 21 }, (_, i) => [`Page ${['north', 'south', 'east', 'west'][i % 4]} body text ${'x'.repeat(i + 1)} ends here.`]);
    const document = await importFile(dir.write('long.pdf', await makeTwoColumnPdf({ pages })));
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['Pages 1–10', 'Pages 11–20', 'Pages 21–21']);
  });
});

describe('PDF layout', () => {
  const item = (str: string, x: number, y: number, fontSize = 10): PdfTextItem => ({ str, x, y, width: str.length * fontSize * 0.5, fontSize });

  it('reads a spanning title, then the left column, then the right', () => {
    const items = [item('A Title That Spans Both Columns Of The Page', 150, 60, 14)];
    for (let row = 0; row < 6; row++) {
      items.push(item(`left ${row} words words`, 50, 100 + row * 12), item(`right ${row} words words`, 330, 100 + row * 12));
    }
    const lines = pageLines({ index: 0, width: 612, height: 792, items });
    expect(lines.map((line) => line.text.split(' ').slice(0, 2).join(' '))).toEqual(['A Title', ...[0, 1, 2, 3, 4, 5].map((n) => `left ${n}`), ...[0, 1, 2, 3, 4, 5].map((n) => `right ${n}`)]);
  });

  it('keeps a single column in row order', () => {
    const items = [0, 1, 2, 3, 4].flatMap((row) => [item(`Row ${row} starts`, 50, 100 + row * 12), item(`and continues ${row}`, 140, 100 + row * 12)]);
    const lines = pageLines({ index: 0, width: 612, height: 792, items });
    expect(lines.map((line) => line.text)).toEqual([0, 1, 2, 3, 4].map((row) => `Row ${row} starts and continues ${row}`));
  });

  it('drops alternating running headers and roman page numbers', () => {
    const pages = Array.from({ length: 6 }, (_, page) =>
      pageLines({
        index: page,
        width: 612,
        height: 792,
        items: [item(page % 2 ? 'Chapter Title' : 'Book Title', 250, 40), item(`Body line ${page} of text.`, 50, 300), item(['i', 'ii', 'iii', 'iv', 'v', 'vi'][page] ?? '', 300, 760)],
      }),
    );
    const kept = removePageFurniture(pages, pages.map(() => 792));
    expect(kept.map((lines) => lines.map((line) => line.text))).toEqual(Array.from({ length: 6 }, (_, page) => [`Body line ${page} of text.`]));
  });

  it('drops a header split in two parts on one baseline, but keeps body lines near the edge', () => {
    const pages = Array.from({ length: 4 }, (_, page) =>
      pageLines({
        index: page,
        width: 612,
        height: 792,
        items: [
          item('Journal of Things', 50, 40),
          item(`Vol. ${page + 3}`, 500, 40),
          ...Array.from({ length: 6 }, (_, row) => item(row === 0 ? 'ends here.' : `Body ${page} row ${row} text`, 50, 70 + row * 12)),
          ...Array.from({ length: 6 }, (_, row) => item(`Right ${page} row ${row} text`, 330, 70 + row * 12)),
        ],
      }),
    );
    const kept = removePageFurniture(pages, pages.map(() => 792)).map((lines) => lines.map((line) => line.text));
    for (const lines of kept) {
      expect(lines).toContain('ends here.');
      expect(lines.join(' ')).not.toMatch(/Journal|Vol\./);
    }
  });

  it('joins hyphenated words and breaks paragraphs at gaps', () => {
    expect(joinLines('an extra-', 'ordinary day')).toBe('an extraordinary day');
    expect(joinLines('Jean-', 'Paul')).toBe('Jean-Paul');
    expect(joinLines('a well-', 'known fact', new Set(['well-known']))).toBe('a well-known fact');
    expect(joinLines('soft\u00ad', 'ware')).toBe('software');
    const lines = pageLines({ index: 0, width: 612, height: 792, items: [item('First paragraph line one', 50, 100), item('and line two.', 50, 112), item('Second paragraph.', 50, 140)] });
    expect(buildParagraphs(lines).map((paragraph) => paragraph.text)).toEqual(['First paragraph line one and line two.', 'Second paragraph.']);
  });

  it('ignores an item far outside the page, and still finds the columns', () => {
    const columns = (): PdfTextItem[] => [0, 1, 2, 3, 4, 5].flatMap((row) => [item(`left ${row} words words`, 50, 100 + row * 12), item(`right ${row} words words`, 330, 100 + row * 12)]);
    const expected = pageLines({ index: 0, width: 612, height: 792, items: columns() }).map((line) => line.text);
    for (const x of [1e12, 3e7, -1e9]) {
      const texts = pageLines({ index: 0, width: 612, height: 792, items: [...columns(), item('stray', x, 200)] }).map((line) => line.text);
      expect(texts, String(x)).toEqual(expected);
    }
  });

  it('finds the top of a line with very many items', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => item('a', i * 0.001, 100 + (i % 3) * 0.1));
    const lines = pageLines({ index: 0, width: 612, height: 792, items });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.y).toBeCloseTo(100.2);
  });
});

describe('PDF paragraphs', () => {
  const line = (text: string, index: number, x = 50): PdfLine => ({ page: Math.floor(index / 60), text, x, right: 560, y: 60 + (index % 60) * 12, fontSize: 10, column: 0 });

  it('joins tens of thousands of lines into one paragraph, hyphens handled', () => {
    // How fast (rebuilding the paragraph per line would be quadratic), `npm run bench:import` says.
    const lines = Array.from({ length: 30_000 }, (_, i) => line(i % 2 ? 'ordinary text goes on and on and' : 'words of an extra-', i));
    const paragraphs = buildParagraphs(lines);
    expect(paragraphs).toHaveLength(1);
    const text = paragraphs[0]?.text ?? '';
    expect(text.startsWith('words of an extraordinary text goes on and on and words of an extraordinary')).toBe(true);
    expect(text).toHaveLength(15_000 * ('words of an extraordinary text goes on and on and'.length + 1) - 1);
  });

  it('drops a soft hyphen and keeps known compounds across lines', () => {
    const paragraphs = buildParagraphs([line('soft\u00ad', 0), line('ware and a well-', 1), line('known fact, a well-known one.', 2)]);
    expect(paragraphs.map((paragraph) => paragraph.text)).toEqual(['software and a well-known fact, a well-known one.']);
  });

  it('ends a sentence at CJK full stops', () => {
    // Each next line is indented, which starts a paragraph only after a finished sentence.
    for (const end of ['。', '！', '？']) {
      const paragraphs = buildParagraphs([line(`これは最初の段落です${end}`, 0), line('次の段落が始まります。', 1, 70)]);
      expect(paragraphs.map((paragraph) => paragraph.text)).toEqual([`これは最初の段落です${end}`, '次の段落が始まります。']);
    }
    expect(buildParagraphs([line('これは続いている', 0), line('文です。', 1, 70)])).toHaveLength(1);
  });
});
