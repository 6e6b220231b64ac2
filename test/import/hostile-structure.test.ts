// Files that nest or repeat far beyond any real document, generated here (issue #11): each once
// took time quadratic in its size or overflowed the call stack. Each must open with the right
// text, or be refused with DOCUMENT_TOO_DEEP. How fast is measured by `npm run bench:import`;
// the generous time limits here only stop a quadratic version from hanging the run. The spans
// and links are 150,000 rather than the 100,000 so that one clearly runs past them (it
// took 110 s and 120 s for 100,000 here; now about 1 s and 2 s).
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src-main/services/import';
import { extractHtml } from '../../src-main/services/import/html-importer';
import { walkHtml } from '../../src-main/services/import/html-walker';
import type { DomElement, DomNode, FlowBlock } from '../../src-main/services/import/html-walker';
import { checkNesting, MAX_NESTING } from '../../src-main/services/import/nesting';
import {
  blockTexts,
  deepDocx,
  deepNavEpub,
  deepNcxEpub,
  FixtureDir,
  makeEpub,
  manyLinkReferencesMarkdown,
  manyRunsDocx,
  manySpansHtml,
  nestedDivsHtml,
  pieceText,
  unclosedDivsHtml,
} from './fixtures';
import { refusal } from './refusal';

const dir = new FixtureDir();
afterAll(() => dir.remove());

const SLOW = 120_000;
const pieces = (count: number): string => Array.from({ length: count }, (_, i) => pieceText(i)).join(' ');

describe('a paragraph of very many pieces', () => {
  it('reads one <p> of 150,000 spans', async () => {
    const document = await importFile(dir.write('spans.html', manySpansHtml(150_000)));
    expect(blockTexts(document)).toEqual([pieces(150_000)]);
  }, SLOW);

  it('reads a DOCX paragraph of 40,000 runs, the bold ones marked', async () => {
    const document = await importFile(dir.write('runs.docx', manyRunsDocx(40_000)));
    expect(blockTexts(document)).toEqual([pieces(40_000)]);
    const chapter = document.chapters[0];
    const strong = chapter?.blocks[0]?.emphasis ?? [];
    expect(strong).toHaveLength(20_000);
    expect(strong.slice(0, 2).map((span) => chapter?.text.slice(span.start, span.end))).toEqual([pieceText(1), pieceText(3)]);
  }, SLOW);

  it('reads a Markdown paragraph of 150,000 reference links', async () => {
    const document = await importFile(dir.write('links.md', manyLinkReferencesMarkdown(150_000)));
    expect(blockTexts(document)).toEqual([pieces(150_000)]);
  }, SLOW);
});

describe('deep nesting', () => {
  it('refuses 100,000 unclosed and 100,000 nested <div>s with our message and the limit', async () => {
    for (const [name, html] of [
      ['unclosed.html', unclosedDivsHtml(100_000)],
      ['nested.html', nestedDivsHtml(100_000)],
    ]) {
      const { code, message } = await refusal(dir.write(name as string, html as string));
      expect(code).toBe('DOCUMENT_TOO_DEEP');
      expect(message).toContain('more than 1,000 levels deep; the limit is 1,000.');
    }
  }, SLOW);

  it('reads a page nested just under the limit', async () => {
    const document = await importFile(dir.write('deep-ok.html', nestedDivsHtml(MAX_NESTING - 10)));
    expect(blockTexts(document)).toEqual(['Deep inside.']);
  }, SLOW);

  it('walks a tree of 100,000 levels without recursion', () => {
    let node: DomNode = { nodeType: 3, nodeValue: 'Deep inside.', childNodes: [] };
    for (let i = 0; i < 100_000; i++) {
      const element: DomElement = { nodeType: 1, nodeValue: null, childNodes: [node], localName: i % 2 ? 'div' : 'em', getAttribute: () => null };
      node = element;
    }
    const blocks = walkHtml(node) as FlowBlock[];
    expect(blocks.map((block) => block.text)).toEqual(['Deep inside.']);
    expect(new Set(blocks[0]?.emphasis?.map((span) => `${span.start}-${span.end}`))).toEqual(new Set(['0-12']));
  });

  it('opens an EPUB whose nav nests 100,000 levels deep, without that TOC, and says why', async () => {
    const document = await importFile(dir.write('deep-nav.epub', await deepNavEpub(100_000)));
    expect(blockTexts(document)).toEqual(['The only chapter.']);
    expect(document.warnings).toEqual(['The table of contents nests more than 1,000 levels deep, so it was not used.']);
  }, SLOW);

  it('opens an EPUB 2 whose NCX nests 100,000 levels deep, without that TOC, and says why', async () => {
    const document = await importFile(dir.write('deep-ncx.epub', await deepNcxEpub(100_000)));
    expect(blockTexts(document)).toEqual(['The only chapter.']);
    expect(document.warnings).toEqual(['The table of contents nests more than 1,000 levels deep, so it was not used.']);
  }, SLOW);

  it('still reads a deep nav within the limit, in order', async () => {
    // 400 items, each holding the next list: 800 levels of <li> and <ol>.
    const document = await importFile(dir.write('nav-400.epub', await deepNavEpub(400)));
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['Deeper']);
    expect(document.warnings).toBeUndefined();
  }, SLOW);

  it('refuses an EPUB chapter and a DOCX nested too deep, naming the part', async () => {
    const epub = await makeEpub({ files: [{ name: 'c.xhtml', body: `${'<div>'.repeat(100_000)}Deep.${'</div>'.repeat(100_000)}` }] });
    const fromEpub = await refusal(dir.write('deep-chapter.epub', epub));
    expect(fromEpub.code).toBe('DOCUMENT_TOO_DEEP');
    expect(fromEpub.message).toContain('OEBPS/c.xhtml nests elements more than 1,000 levels deep');
    const fromDocx = await refusal(dir.write('deep.docx', deepDocx(50_000)));
    expect(fromDocx.code).toBe('DOCUMENT_TOO_DEEP');
    expect(fromDocx.message).toContain('word/document.xml nests elements more than 1,000 levels deep');
  }, SLOW);

  it('gives a web page deeper than 100 levels to the plain walker, not Readability', () => {
    const paragraph = `<p>${'This sentence belongs to the article and goes on for a while. '.repeat(8)}</p>`;
    const page = (depth: number): string =>
      `<!doctype html><html><head><title>Page</title></head><body><nav><a href="/">Home</a></nav>${'<div>'.repeat(depth)}${paragraph.repeat(5)}${'</div>'.repeat(depth)}<footer>Site footer</footer></body></html>`;
    expect(extractHtml(page(10)).usedReadability).toBe(true);
    const deep = extractHtml(page(150));
    expect(deep.usedReadability).toBe(false);
    expect(deep.blocks.map((block) => block.text)).toContain('Site footer');
  });
});

describe('checkNesting', () => {
  it('counts elements as the HTML parser nests them: implied ends and void elements do not add up', () => {
    expect(checkNesting('<p>one'.repeat(5000))).toBe(1);
    expect(checkNesting(`<ul>${'<li>item'.repeat(5000)}</ul>`)).toBe(2);
    expect(checkNesting('text<br>'.repeat(5000))).toBe(1);
    expect(checkNesting('<a/>'.repeat(5000), { xml: true })).toBe(1);
    expect(checkNesting('<div>'.repeat(MAX_NESTING))).toBe(MAX_NESTING);
    expect(() => checkNesting('<div>'.repeat(MAX_NESTING + 1))).toThrowError(expect.objectContaining({ code: 'DOCUMENT_TOO_DEEP' }));
    // XML has no implied ends: what HTML would close, XML nests.
    expect(() => checkNesting('<p>'.repeat(MAX_NESTING + 1), { xml: true })).toThrowError(expect.objectContaining({ code: 'DOCUMENT_TOO_DEEP' }));
  });
});
