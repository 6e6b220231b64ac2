import { describe, expect, it } from 'vitest';
import { BLOCK_SEPARATOR, ChapterBuilder, InlineText, chapterWordCount, countWords, documentProblems, documentWordCount } from '../../src-shared/document';
import type { ImportedDocument } from '../../src-shared/document';

describe('ChapterBuilder', () => {
  it('joins blocks with a blank line and keeps offsets exact', () => {
    const builder = new ChapterBuilder();
    builder.add({ kind: 'heading', level: 1, text: '  Chapter One ' });
    builder.add({ kind: 'paragraph', text: 'First paragraph.' });
    builder.add({ kind: 'paragraph', text: '   ' });
    builder.add({ kind: 'code', text: 'let x = 1;\n\nlet y = 2;', skipFromReading: true });
    const chapter = builder.build('Chapter One', 0);
    expect(chapter.text).toBe(`Chapter One${BLOCK_SEPARATOR}First paragraph.${BLOCK_SEPARATOR}let x = 1;\n\nlet y = 2;`);
    expect(chapter.blocks.map((block) => chapter.text.slice(block.start, block.end))).toEqual(['Chapter One', 'First paragraph.', 'let x = 1;\n\nlet y = 2;']);
    expect(chapter.blocks[0]?.level).toBe(1);
    expect(chapter.blocks[2]?.skipFromReading).toBe(true);
  });

  it('moves emphasis spans with trimming and collapsed blank lines', () => {
    const builder = new ChapterBuilder();
    builder.add({ kind: 'paragraph', text: 'Intro.' });
    // "  a\n\n\nbold" -> "a\nbold": the span on "bold" moves left by the trimmed space and the extra newlines.
    builder.add({ kind: 'paragraph', text: '  a\n\n\nbold', emphasis: [{ kind: 'strong', start: 6, end: 10 }] });
    const chapter = builder.build('x', 0);
    const block = chapter.blocks[1];
    expect(chapter.text.slice(block?.start, block?.end)).toBe('a\nbold');
    const span = block?.emphasis?.[0];
    expect(chapter.text.slice(span?.start, span?.end)).toBe('bold');
  });

  it('moves each span by the blank lines before it, inside and between them', () => {
    const builder = new ChapterBuilder();
    // "one\n\n\ntwo\n \n\nthree" -> "one\ntwo\nthree"; the last span starts inside a removed run.
    builder.add({
      kind: 'paragraph',
      text: 'one\n\n\ntwo\n \n\nthree',
      emphasis: [
        { kind: 'strong', start: 0, end: 3 },
        { kind: 'strong', start: 6, end: 9 },
        { kind: 'emphasis', start: 11, end: 18 },
      ],
    });
    const chapter = builder.build('x', 0);
    expect(chapter.text).toBe('one\ntwo\nthree');
    expect(chapter.blocks[0]?.emphasis?.map((span) => chapter.text.slice(span.start, span.end))).toEqual(['one', 'two', 'three']);
  });

  it('appends another builder (a title page merged into what follows)', () => {
    const title = new ChapterBuilder();
    title.add({ kind: 'heading', level: 1, text: 'Book' });
    const body = new ChapterBuilder();
    body.append(title);
    body.add({ kind: 'paragraph', text: 'Text with stress.', emphasis: [{ kind: 'emphasis', start: 10, end: 16 }] });
    const chapter = body.build('Book', 0);
    expect(chapter.text).toBe('Book\n\nText with stress.');
    const span = chapter.blocks[1]?.emphasis?.[0];
    expect(chapter.text.slice(span?.start, span?.end)).toBe('stress');
  });
});

describe('InlineText', () => {
  it('collapses whitespace as HTML does and records emphasis', () => {
    const inline = new InlineText();
    inline.append('  Hello \n ');
    inline.openEmphasis('emphasis');
    inline.append('big');
    inline.closeEmphasis();
    inline.append('   world ');
    inline.lineBreak();
    inline.append(' next');
    const { text, emphasis } = inline.take();
    expect(text).toBe('Hello big world\nnext');
    expect(emphasis).toEqual([{ kind: 'emphasis', start: 6, end: 9 }]);
  });

  it('drops the spaces before a line break even when they span several pieces', () => {
    const inline = new InlineText();
    inline.append('code  ', true);
    inline.append('   ', true);
    inline.lineBreak();
    inline.append('end');
    inline.openEmphasis('strong');
    inline.append(' ');
    inline.lineBreak();
    inline.lineBreak();
    inline.append('   ', true);
    inline.lineBreak();
    inline.append('after');
    inline.closeEmphasis();
    expect(inline.take().text).toBe('code\nend\nafter');
  });
});

describe('word counts and invariants', () => {
  const builder = new ChapterBuilder();
  builder.add({ kind: 'paragraph', text: "Don't count the well-known 3.14 twice." });
  builder.add({ kind: 'code', text: 'ignored code words', skipFromReading: true });
  const chapter = builder.build('One', 0);
  const document: ImportedDocument = { title: 'T', format: 'text', chapters: [chapter] };

  it('counts words, CJK characters one each, and skips unread blocks', () => {
    expect(countWords("Don't count the well-known 3.14 twice.")).toBe(6);
    expect(countWords('日本語のテキスト')).toBe(8);
    expect(chapterWordCount(chapter)).toBe(6);
    expect(documentWordCount(document)).toBe(6);
  });

  it('reports broken offsets', () => {
    expect(documentProblems(document)).toEqual([]);
    const broken: ImportedDocument = { ...document, chapters: [{ ...chapter, blocks: [{ kind: 'paragraph', start: 1, end: 5 }] }] };
    expect(documentProblems(broken).length).toBeGreaterThan(0);
  });
});
