// A document and a realistic export timeline for the export writers' tests: sentences from the
// app's own segmenter, contiguous in the audio with pauses between some of them, a little
// silence before and after each chapter, and words spread over their sentence.
import { ChapterBuilder } from '../../src-shared/document/builder';
import type { BlockInput } from '../../src-shared/document/builder';
import type { ImportedDocument } from '../../src-shared/document/model';
import type { ChapterMark, SentenceCue, WordCue } from '../../src-shared/export/types';
import { segmentSentences, segmentWords } from '../../src-shared/text/segment';

export function sampleDocument(): ImportedDocument {
  const chapter = (title: string, order: number, blocks: BlockInput[]) => {
    const builder = new ChapterBuilder();
    for (const block of blocks) builder.add(block);
    return builder.build(title, order);
  };
  return {
    title: 'Tom & Jerry <the "complete"> edition',
    author: 'A. N. Author',
    language: 'en',
    format: 'markdown',
    chapters: [
      chapter('One & only', 0, [
        { kind: 'heading', level: 1, text: 'One & only' },
        { kind: 'paragraph', text: 'It began at 5 < 6 o\'clock. She said "a --> b" & left.   Then nothing happened for a while.', emphasis: [{ kind: 'emphasis', start: 0, end: 8 }] },
        // Emphasis across a sentence boundary, and strong overlapping it without nesting.
        { kind: 'paragraph', text: 'Bold words here. And more words there!', emphasis: [{ kind: 'strong', start: 5, end: 22 }, { kind: 'emphasis', start: 10, end: 30 }] },
        { kind: 'list-item', level: 1, text: 'First item.' },
        { kind: 'list-item', level: 2, text: 'Nested item.' },
        { kind: 'list-item', level: 1, text: 'Second item.' },
        { kind: 'code', text: 'const a = 1 < 2;\n\nreturn a;', skipFromReading: true },
        { kind: 'quote', text: 'A quote, with emoji 🎧 and a control\u0001 character.' },
      ]),
      chapter('Two', 1, [
        { kind: 'heading', level: 2, text: 'Two' },
        { kind: 'paragraph', text: 'Short one. Another short one? Yes.' },
        { kind: 'table-cell', text: 'Cell text.' },
        { kind: 'caption', text: 'A caption.' },
      ]),
      chapter('Three', 2, [
        { kind: 'heading', level: 2, text: 'Three' },
        { kind: 'paragraph', text: 'The last chapter has a single long paragraph that goes on. It ends here.' },
      ]),
    ],
  };
}

export interface Timeline {
  chapters: ChapterMark[];
  cues: SentenceCue[];
  words: WordCue[];
  /** Samples of each exported chapter's audio, by chapter index. */
  chapterSamples: Map<number, number>;
  totalSamples: number;
}

/** Deterministic: the same document and chapters give the same timeline. */
export function timelineOf(document: ImportedDocument, chapterIndexes: readonly number[]): Timeline {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const chapters: ChapterMark[] = [];
  const cues: SentenceCue[] = [];
  const words: WordCue[] = [];
  const chapterSamples = new Map<number, number>();
  let sample = 0;
  let sentenceIndex = 0;
  for (const [index, chapter] of document.chapters.entries()) {
    const sentences = segmentSentences(chapter.text).filter((sentence) => !chapter.blocks.some((block) => block.skipFromReading && sentence.start >= block.start && sentence.end <= block.end));
    const exported = chapterIndexes.includes(index);
    if (!exported) {
      sentenceIndex += sentences.length;
      continue;
    }
    const chapterStart = sample;
    sample += 1_200; // silence before the first sentence
    for (const sentence of sentences) {
      const text = chapter.text.slice(sentence.start, sentence.end);
      const sentenceWords = segmentWords(chapter.text, sentence);
      const perWord = 4_000 + Math.floor(random() * 3_000);
      const startSample = sample;
      for (const word of sentenceWords) {
        words.push({ sentence: sentenceIndex, text: chapter.text.slice(word.start, word.end), startSample: sample, endSample: sample + perWord });
        sample += perWord;
      }
      cues.push({ sentence: sentenceIndex, chapter: index, start: sentence.start, end: sentence.end, text, startSample, endSample: sample });
      sentenceIndex++;
      // Half of the sentences follow the previous one directly; the others after a pause.
      if (random() < 0.5) sample += 2_400 + Math.floor(random() * 9_600);
    }
    sample += 4_800; // silence after the last
    chapters.push({ chapter: index, title: chapter.title, startSample: chapterStart, endSample: sample });
    chapterSamples.set(index, sample - chapterStart);
  }
  return { chapters, cues, words, chapterSamples, totalSamples: sample };
}
