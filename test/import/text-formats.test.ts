import { afterAll, describe, expect, it } from 'vitest';
import { documentProblems } from '../../src-shared/document';
import { importBytes, importFile } from '../../src-main/services/import';
import { splitByHeadings } from '../../src-main/services/import/chapters';
import { decodeText } from '../../src-main/services/import/text-decode';
import { importPlainText } from '../../src-main/services/import/text-importer';
import { blockTexts, FixtureDir } from './fixtures';

const dir = new FixtureDir();
afterAll(() => dir.remove());

describe('plain text', () => {
  const sample = 'Café déjà vu — “quoted” naïve text.\n\nSecond paragraph, über.';

  it('reads UTF-8', async () => {
    const document = await importFile(dir.write('utf8.txt', sample));
    expect(document.encoding).toBe('utf-8');
    expect(blockTexts(document)).toEqual(['Café déjà vu — “quoted” naïve text.', 'Second paragraph, über.']);
    expect(document.title).toBe('utf8');
  });

  it('reads UTF-16 LE and BE with a BOM', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    be[0] = 0xfe;
    be[1] = 0xff;
    const fromLe = await importFile(dir.write('le.txt', le));
    const fromBe = await importFile(dir.write('be.txt', be));
    expect(fromLe.encoding).toBe('utf-16le');
    expect(fromBe.encoding).toBe('utf-16be');
    expect(blockTexts(fromLe)).toEqual(blockTexts(fromBe));
    expect(fromLe.chapters[0]?.text).toBe(sample);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', async () => {
    // "Café – “x” €5" in Windows-1252: é=E9, en dash=96, quotes=93/94, euro=80.
    const bytes = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x93, 0x78, 0x94, 0x20, 0x80, 0x35]);
    const document = await importFile(dir.write('cp1252.txt', bytes));
    expect(document.encoding).toBe('windows-1252');
    expect(document.chapters[0]?.text).toBe('Café – “x” €5');
  });

  it('strips a UTF-8 BOM and normalises CRLF', async () => {
    const document = await importFile(dir.write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('One\r\nline.\r\n\r\nTwo.')])));
    expect(blockTexts(document)).toEqual(['One\nline.', 'Two.']);
  });

  it('splits at chapter lines when there are several', async () => {
    const text = 'Preface text.\n\nCHAPTER I\n\nIt began.\n\nCHAPTER II. The Return\n\nIt ended.\n\nPart of the problem is this line.';
    const document = await importFile(dir.write('novel.txt', text));
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['novel', 'CHAPTER I', 'CHAPTER II. The Return']);
    expect(blockTexts(document, 2)).toEqual(['CHAPTER II. The Return', 'It ended.', 'Part of the problem is this line.']);
    expect(documentProblems(document)).toEqual([]);
  });

  it('trims a line end after a long run of spaces inside the line', () => {
    // `/[ \t]+$/gm` is quadratic over such a run; how fast the trim is, `npm run bench:import` says.
    const document = importPlainText(new TextEncoder().encode(`${' '.repeat(100_000)}x`), 'spaces.txt');
    expect(document.chapters[0]?.text).toBe('x');
  });

  it('drops spaces and tabs before each line end and keeps the rest', () => {
    const document = importPlainText(new TextEncoder().encode('one \t\r\n  two\u00a0 \nthree\u2028four  \n\nnext  '), 'ends.txt');
    expect(document.chapters[0]?.text).toContain('one\n  two\u00a0\nthree\u2028four');
    expect(document.chapters[0]?.text).toContain('next');
    expect(document.chapters[0]?.text).not.toMatch(/[ \t]\n/);
  });
});

describe('Markdown', () => {
  it('splits at the top heading level, keeps code but skips it, and reads front matter', async () => {
    const markdown = [
      '---',
      'title: Field Guide',
      'author: Sam Lee',
      '---',
      'A short preface.',
      '',
      '# Birds',
      '',
      'Birds *fly* and **sing**.',
      '',
      '```js',
      'const bird = "tweet";',
      '```',
      '',
      '## Owls',
      '',
      '- Barn owl',
      '- Snowy owl',
      '',
      '# Fish',
      '',
      '> Fish swim.',
      '',
      '<script>alert("no")</script>',
    ].join('\n');
    const document = await importFile(dir.write('guide.md', markdown));
    expect(document.format).toBe('markdown');
    expect(document.title).toBe('Field Guide');
    expect(document.author).toBe('Sam Lee');
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['Field Guide', 'Birds', 'Fish']);
    expect(blockTexts(document, 1)).toEqual(['Birds', 'Birds fly and sing.', 'const bird = "tweet";', 'Owls', 'Barn owl', 'Snowy owl']);
    const birds = document.chapters[1];
    expect(birds?.blocks.map((block) => block.kind)).toEqual(['heading', 'paragraph', 'code', 'heading', 'list-item', 'list-item']);
    expect(birds?.blocks[2]?.skipFromReading).toBe(true);
    const emphasis = birds?.blocks[1]?.emphasis ?? [];
    expect(emphasis.map((span) => [span.kind, birds?.text.slice(span.start, span.end)])).toEqual([
      ['emphasis', 'fly'],
      ['strong', 'sing'],
    ]);
    expect(blockTexts(document, 2)).toEqual(['Fish', 'Fish swim.']);
    expect(document.chapters[2]?.blocks[1]?.kind).toBe('quote');
    expect(JSON.stringify(document)).not.toContain('alert');
    expect(documentProblems(document)).toEqual([]);
  });

  it('takes a lone top heading as the title and splits at the next level', async () => {
    const document = await importFile(dir.write('book.md', '# The Book\n\nBy someone.\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n'));
    expect(document.title).toBe('The Book');
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['The Book', 'One', 'Two']);
  });
});

describe('HTML', () => {
  it('splits at headings, keeps lists, tables and quotes, and moves notes out of the flow', async () => {
    const html = `<!doctype html><html lang="en-GB"><head><title>Handbook</title><meta name="author" content="Kim"></head><body>
      <h1>Start</h1><p>Hello <b>there</b>, friend<sup><a href="#n1" role="doc-noteref">1</a></sup>.</p>
      <ul><li>One</li><li>Two<ul><li>Two and a half</li></ul></li></ul>
      <h1>Tables</h1><table><caption>Scores</caption><tr><th>Name</th><th>Score</th></tr><tr><td>Ada</td><td>10</td></tr></table>
      <blockquote><p>Quoted words.</p></blockquote><pre>code  kept</pre>
      <aside role="doc-footnote" id="n1"><p>The note.</p></aside></body></html>`;
    const document = await importFile(dir.write('handbook.html', html));
    expect(document).toMatchObject({ title: 'Handbook', author: 'Kim', language: 'en-GB', format: 'html' });
    expect(document.chapters.map((chapter) => chapter.title)).toEqual(['Start', 'Tables']);
    expect(blockTexts(document, 0)).toEqual(['Start', 'Hello there, friend.', 'One', 'Two', 'Two and a half']);
    expect(document.chapters[0]?.blocks.map((block) => block.level)).toEqual([1, undefined, 1, 1, 2]);
    expect(blockTexts(document, 1)).toEqual(['Tables', 'Scores', 'Name', 'Score', 'Ada', '10', 'Quoted words.', 'code  kept', 'The note.']);
    expect(document.chapters[1]?.blocks.map((block) => block.kind)).toEqual(['heading', 'caption', 'table-cell', 'table-cell', 'table-cell', 'table-cell', 'quote', 'code', 'paragraph']);
    expect(document.chapters[1]?.blocks.at(-1)?.skipFromReading).toBe(true);
    expect(documentProblems(document)).toEqual([]);
  });

  it('uses the charset a page declares', async () => {
    const bytes = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"><title>T</title></head><body><p>Caf'), Buffer.from([0xe9]), Buffer.from('</p></body></html>')]);
    const document = await importFile(dir.write('legacy.htm', bytes));
    expect(blockTexts(document)).toEqual(['Café']);
    expect(document.encoding).toBe('windows-1252');
  });

  it('reads an ASCII page that declares utf-16 (without a BOM) as UTF-8', async () => {
    const html = '<!DOCTYPE html><html><head><meta charset="utf-16"><title>Page</title></head><body><h1>Heading</h1><p>Plain café text.</p></body></html>';
    const document = await importBytes(new TextEncoder().encode(html), 'page.html');
    expect(document.chapters.map((chapter) => chapter.text).join('\n')).toContain('Plain café text.');
    expect(decodeText(new TextEncoder().encode('abc'), { declared: 'UTF-16BE' })).toEqual({ text: 'abc', encoding: 'utf-8' });
    // A real UTF-16 file (recognised by its zero bytes) is still read as UTF-16.
    expect(decodeText(new Uint8Array(Buffer.from('abcd', 'utf16le')), { declared: 'utf-16' })).toEqual({ text: 'abcd', encoding: 'utf-16le' });
  });

  it('reads only the article of a saved web page', async () => {
    const paragraph = (n: number): string => `<p>Paragraph ${n} of the article says something long enough to count as real content, with commas, clauses, and more words.</p>`;
    const html = `<html><head><title>News story</title></head><body>
      <header><div class="logo">Site name</div></header><nav><a href="/">Home</a> <a href="/a">About</a></nav>
      <div class="sidebar"><a href="/x">Related one</a><a href="/y">Related two</a></div>
      <article><h2>What happened</h2>${[1, 2, 3, 4, 5, 6].map(paragraph).join('')}</article>
      <footer>Copyright Site</footer></body></html>`;
    const document = await importFile(dir.write('saved.html', html));
    const text = document.chapters.map((chapter) => chapter.text).join('\n');
    expect(text).toContain('Paragraph 6 of the article');
    expect(text).not.toContain('Copyright Site');
    expect(text).not.toContain('Home');
  });
});

describe('chapters from headings', () => {
  it('splits a flow with more headings than a spread can pass', () => {
    const blocks = Array.from({ length: 600_000 }, (_, i) =>
      i % 2 ? { kind: 'paragraph' as const, text: `Text ${i}` } : { kind: 'heading' as const, level: i === 0 ? 1 : 2, text: `H${i}` },
    );
    const split = splitByHeadings(blocks, 'Fallback');
    expect(split.documentHeading).toBe('H0');
    expect(split.chapters).toHaveLength(300_000);
  });
});
