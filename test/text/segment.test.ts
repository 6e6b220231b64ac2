import { describe, it, expect } from 'vitest';
import {
  segmentParagraphs,
  segmentSentences,
  segmentWords,
  segmentClauses,
  MAX_SENTENCE_LENGTH,
} from '../../src-shared/text/segment';
import type { TextRange } from '../../src-shared/text/segment';

const slices = (text: string, ranges: TextRange[]): string[] => ranges.map((r) => text.slice(r.start, r.end));
const sentences = (text: string): string[] => slices(text, segmentSentences(text));

describe('segmentParagraphs', () => {
  it('splits at blank lines and trims', () => {
    const t = '  First para\nstill first.\n\n\n  Second para. \r\n \r\nThird';
    const p = segmentParagraphs(t);
    expect(slices(t, p)).toEqual(['First para\nstill first.', 'Second para.', 'Third']);
    expect(p.map((x) => x.index)).toEqual([0, 1, 2]);
    expect(p[0]).toEqual({ start: 2, end: 25, index: 0 });
  });

  it('splits at paragraph separator, form feed', () => {
    const t = 'One.\u2029Two.\fThree.';
    expect(slices(t, segmentParagraphs(t))).toEqual(['One.', 'Two.', 'Three.']);
  });

  it('treats a short unpunctuated line (heading) as its own paragraph', () => {
    const t = 'Chapter One\nIt was a dark and stormy night.';
    expect(slices(t, segmentParagraphs(t))).toEqual(['Chapter One', 'It was a dark and stormy night.']);
  });

  it('treats list items as their own paragraphs', () => {
    const t = 'Shopping:\n1. Eggs\n2) Milk\n- bread\n• jam\n* tea';
    expect(slices(t, segmentParagraphs(t))).toEqual(['Shopping:', '1. Eggs', '2) Milk', '- bread', '• jam', '* tea']);
  });

  it('joins hard-wrapped prose', () => {
    const t =
      'This is a long line of prose that wraps onto the next line because it\nis long, and so on and so forth until the paragraph ends\nHere without punctuation.';
    expect(segmentParagraphs(t)).toHaveLength(1);
    const t2 = 'Roses are red,\nViolets are blue.\nSugar is sweet';
    expect(segmentParagraphs(t2)).toHaveLength(1);
  });

  it('handles empty and whitespace-only input', () => {
    expect(segmentParagraphs('')).toEqual([]);
    expect(segmentParagraphs(' \n\t\n ')).toEqual([]);
  });
});

describe('segmentSentences', () => {
  it('splits simple sentences with exact offsets', () => {
    const t = 'Hello there. How are you? Fine!';
    const s = segmentSentences(t);
    expect(s).toEqual([
      { start: 0, end: 12, index: 0, paragraph: 0 },
      { start: 13, end: 25, index: 1, paragraph: 0 },
      { start: 26, end: 31, index: 2, paragraph: 0 },
    ]);
  });

  it('numbers sentences globally and records their paragraph', () => {
    const t = 'A one. A two.\n\nB one.';
    const s = segmentSentences(t);
    expect(slices(t, s)).toEqual(['A one.', 'A two.', 'B one.']);
    expect(s.map((x) => [x.index, x.paragraph])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
  });

  it('does not split after titles', () => {
    expect(sentences('Dr. Smith met Mr. Jones and Mrs. Brown. Then they left.')).toEqual([
      'Dr. Smith met Mr. Jones and Mrs. Brown.',
      'Then they left.',
    ]);
    expect(sentences("We went to St. Paul's Cathedral. It was big.")).toEqual([
      "We went to St. Paul's Cathedral.",
      'It was big.',
    ]);
  });

  it('does not split after e.g., i.e., vs., and splits after a final etc.', () => {
    expect(sentences('Fruit, e.g. apples, i.e. food. Lakers vs. Celtics tonight.')).toEqual([
      'Fruit, e.g. apples, i.e. food.',
      'Lakers vs. Celtics tonight.',
    ]);
    expect(sentences('Pens, paper, etc. The rest is free. Pens, etc. are cheap.')).toEqual([
      'Pens, paper, etc.',
      'The rest is free.',
      'Pens, etc. are cheap.',
    ]);
  });

  it('handles U.S. mid-sentence and at a sentence end', () => {
    expect(sentences('The U.S. Army is big. He moved to the U.S. He liked it.')).toEqual([
      'The U.S. Army is big.',
      'He moved to the U.S.',
      'He liked it.',
    ]);
  });

  it('keeps decimals, numbers and abbreviations before numbers together', () => {
    expect(sentences('It cost $3.50 today. See No. 5 on p. 12. Version 2.0.1 shipped.')).toEqual([
      'It cost $3.50 today.',
      'See No. 5 on p. 12.',
      'Version 2.0.1 shipped.',
    ]);
  });

  it('handles ellipses', () => {
    expect(sentences('Wait... what? I was thinking\u2026 Then it hit me. So . . . we left.')).toEqual([
      'Wait... what?',
      'I was thinking\u2026',
      'Then it hit me.',
      'So . . . we left.',
    ]);
  });

  it('handles quotes around sentence ends', () => {
    expect(sentences('"Stop." she said. "Go!" He ran. \u201cReally?\u201d he asked.')).toEqual([
      '"Stop." she said.',
      '"Go!"',
      'He ran.',
      '\u201cReally?\u201d he asked.',
    ]);
  });

  it('handles brackets around sentence ends', () => {
    expect(sentences('Read on. (See below.) Next item (see above.) is here.')).toEqual([
      'Read on.',
      '(See below.)',
      'Next item (see above.) is here.',
    ]);
  });

  it('handles numbered and bulleted list markers', () => {
    const t = '1. Item one\n2. Item two\n- dash item\n\u2022 bullet item. Second sentence.';
    expect(sentences(t)).toEqual(['1. Item one', '2. Item two', 'dash item', 'bullet item.', 'Second sentence.']);
    const s = segmentSentences(t);
    expect(s[0]).toMatchObject({ start: 0, end: 11 });
    expect(s[2]).toMatchObject({ start: 26, end: 35 });
  });

  it('makes a heading line without punctuation its own sentence', () => {
    const t = 'Introduction\nThis book is about birds. They fly.';
    expect(sentences(t)).toEqual(['Introduction', 'This book is about birds.', 'They fly.']);
  });

  it('treats soft-wrapped newlines as spaces', () => {
    const t = 'The quick brown fox\njumps over the lazy dog. Done.';
    expect(sentences(t)).toEqual(['The quick brown fox\njumps over the lazy dog.', 'Done.']);
  });

  it('handles CJK full stops without spaces', () => {
    expect(sentences('\u4eca\u65e5\u306f\u3002\u660e\u65e5\u3082\uff01')).toEqual(['\u4eca\u65e5\u306f\u3002', '\u660e\u65e5\u3082\uff01']);
  });

  it('skips ranges with nothing speakable', () => {
    expect(sentences('   \n\n \u200e \n')).toEqual([]);
    expect(sentences('\u{1F600}\u{1F600}\n\nHi.')).toEqual(['Hi.']);
    expect(sentences('...')).toEqual(['...']);
  });

  it('splits an over-long sentence at clause punctuation', () => {
    const clause = 'word '.repeat(30).trim(); // 149 chars
    const t = `${clause}, ${clause}, ${clause}, ${clause}.`;
    const s = segmentSentences(t);
    expect(s.length).toBeGreaterThan(1);
    for (const x of s) {
      expect(x.end - x.start).toBeLessThanOrEqual(MAX_SENTENCE_LENGTH);
      expect(t.slice(x.start, x.end)).toBe(t.slice(x.start, x.end).trim());
    }
    expect(t.slice(s[0]!.start, s[0]!.end)).toBe(`${clause}, ${clause},`);
  });

  it('splits an over-long sentence without punctuation at word boundaries', () => {
    const t = 'word '.repeat(1000);
    const s = segmentSentences(t);
    for (const x of s) {
      expect(x.end - x.start).toBeLessThanOrEqual(MAX_SENTENCE_LENGTH);
      expect(t.slice(x.start, x.end)).toMatch(/^word( word)*$/);
    }
    // Nothing lost.
    expect(s.reduce((n, x) => n + t.slice(x.start, x.end).split(' ').length, 0)).toBe(1000);
  });

  it('honours a custom maxLength', () => {
    const s = segmentSentences('aaaa bbbb cccc dddd eeee ffff gggg hhhh', { maxLength: 20 });
    for (const x of s) expect(x.end - x.start).toBeLessThanOrEqual(20);
  });

  it('bounds a 1 MB line without spaces and does not split surrogate pairs', () => {
    const t = 'x'.repeat(1_000_000);
    const s = segmentSentences(t);
    expect(s.length).toBe(2500);
    expect(s.every((x) => x.end - x.start <= MAX_SENTENCE_LENGTH)).toBe(true);
    const e = '\u{1F600}'.repeat(300) + 'a'.repeat(3);
    for (const x of segmentSentences('a' + e)) {
      const c = ('a' + e).charCodeAt(x.start);
      expect(c >= 0xdc00 && c <= 0xdfff).toBe(false);
    }
  });

  it('runs on large inputs quickly (linear)', () => {
    const t = 'Dr. Smith said "hi." Then he left... '.repeat(30_000) + 'a. '.repeat(100_000);
    const s = segmentSentences(t);
    expect(s.length).toBeGreaterThan(60_000);
  });

  it('never throws on odd input', () => {
    const odd = '\ud800.\udc00 \u202e?! \u0000\u0001. \r\r\n\u2028\u0085...\u2029( ). "';
    expect(() => segmentSentences(odd)).not.toThrow();
    expect(() => segmentParagraphs(odd)).not.toThrow();
    expect(() => segmentWords(odd)).not.toThrow();
    expect(() => segmentClauses(odd)).not.toThrow();
  });
});

describe('segmentWords', () => {
  it('returns words with trimmed punctuation', () => {
    const t = 'Hello, "world" \u2014 it\'s well-known: U.S. $3.50, e.g. \u{1F600} ... end.';
    expect(slices(t, segmentWords(t))).toEqual(['Hello', 'world', "it's", 'well-known', 'U.S.', '$3.50', 'e.g.', 'end']);
    const w = segmentWords(t);
    expect(w[0]).toEqual({ start: 0, end: 5, index: 0 });
  });

  it('splits at em dashes and ellipses inside a token', () => {
    const t = 'yes\u2014no wait...what a--b';
    expect(slices(t, segmentWords(t))).toEqual(['yes', 'no', 'wait', 'what', 'a', 'b']);
  });

  it('restricts to a range', () => {
    const t = 'One two. Three four.';
    const s = segmentSentences(t);
    expect(slices(t, segmentWords(t, s[1]))).toEqual(['Three', 'four']);
  });
});

describe('segmentClauses', () => {
  it('splits at clause punctuation', () => {
    const t = 'First, second; third: fourth \u2014 fifth (sixth) seventh.';
    expect(slices(t, segmentClauses(t))).toEqual(['First,', 'second;', 'third:', 'fourth \u2014', 'fifth (sixth)', 'seventh.']);
  });

  it('does not split numbers with commas', () => {
    const t = 'We had 1,000 people, then more.';
    expect(slices(t, segmentClauses(t))).toEqual(['We had 1,000 people,', 'then more.']);
  });
});
