import { beforeEach, describe, expect, it, vi } from 'vitest';
import { phonemizeText, wordsForSegments } from '../../src-main/engine/kokoro/frontend';
import type { Phonemizer, PhonemizeOptions } from '../../src-shared/g2p/index';
import type { TextReplacer } from '../../src-shared/lexicon/types';
import { planSegments } from '../../src-shared/speech/plan';
import { segmentSentences } from '../../src-shared/text/segment';
import type * as Segment from '../../src-shared/text/segment';
import { letterG2P, letterVocab as vocab } from '../helpers/letter-g2p';

vi.mock('../../src-shared/text/segment', async (importOriginal) => {
  const original = await importOriginal<typeof Segment>();
  return { ...original, segmentSentences: vi.fn(original.segmentSentences) };
});
const segmenter = vi.mocked(segmentSentences);

const FULL_STOP = vocab['.'];

beforeEach(() => {
  segmenter.mockClear();
});

describe('Kokoro front end', () => {
  it('reads each segment as the one sentence it is, without splitting it again', async () => {
    // One segment that the segmenter, run again on its text, would split in two.
    const text = 'Hello there. General Kenobi.';
    const { words } = await wordsForSegments([{ sentence: 3, start: 10, end: 10 + text.length, text }], 'en-us', letterG2P, vocab);
    expect(segmenter).not.toHaveBeenCalled();
    expect(words.map((w) => [text.slice(w.start - 10, w.end - 10), w.sentence, w.after])).toEqual([
      ['Hello', 3, 'word'],
      ['there', 3, 'word'],
      ['General', 3, 'word'],
      ['Kenobi', 3, 'sentence'],
    ]);
    expect(words[1]?.ids).not.toContain(FULL_STOP);
    expect(words[3]?.ids.at(-1)).toBe(FULL_STOP);
  });

  it('reads planned sentences as before', async () => {
    const text = 'Dr. Smith paid $3.50. Then he left!';
    const { words } = await wordsForSegments(planSegments(text), 'en-us', letterG2P, vocab);
    expect(words.map((w) => `${text.slice(w.start, w.end)}:${w.sentence}:${w.after}`)).toEqual([
      'Dr:0:word', 'Smith:0:word', 'paid:0:word',
      '$3.50:0:word', '$3.50:0:word', '$3.50:0:word', '$3.50:0:word', '$3.50:0:sentence',
      'Then:1:word', 'he:1:word', 'left:1:sentence',
    ]);
    expect(words.filter((w) => w.ids.at(-1) === FULL_STOP).map((w) => text.slice(w.start, w.end))).toEqual(['$3.50']);
  });

  it('ends a sentence with its full stop when a replacement leaves a space at its end', async () => {
    const replacer: TextReplacer = {
      apply: (text) => ({ text: text.replace('SQL', 'sequel '), toOriginal: (span) => ({ start: Math.min(span.start, 7), end: Math.min(span.end, 10) }), entryIds: [] }),
    };
    const words = await phonemizeText('I like SQL', 'en-us', letterG2P, replacer, { oneSentence: true });
    expect(words.map((w) => `${w.text}${w.punct ?? ''}`)).toEqual(['I', 'like', 'sequel.']);
  });

  it('splits a text into sentences itself when not told it is one (the CLI reads lines)', async () => {
    const words = await phonemizeText('Hello there. General Kenobi.', 'en-us', letterG2P);
    expect(segmenter).toHaveBeenCalledTimes(1);
    expect(words.map((w) => `${w.text}${w.punct ?? ''}`)).toEqual(['Hello', 'there.', 'General', 'Kenobi.']);
  });

  it('tells the G2P which words are letters of a spelled acronym and which letter ends each one', async () => {
    let asked: PhonemizeOptions | undefined;
    const recording: Phonemizer = {
      phonemizeWords: (words, lang, options) => {
        asked = options;
        return letterG2P.phonemizeWords(words, lang, options);
      },
    };
    const words = await phonemizeText('The FBI met the U.S.A. team, FBI CIA, and I.', 'en-us', recording);
    const roles = words.map((w, i) => `${w.text}:${asked?.spelled?.[i] ?? '-'}`);
    expect(roles).toEqual([
      'The:-', 'F:letter', 'B:letter', 'I:last-letter', 'met:-', 'the:-', 'U:letter', 'S:letter', 'A:last-letter', 'team:-',
      'F:letter', 'B:letter', 'I:last-letter', 'C:letter', 'I:letter', 'A:last-letter', 'and:-', 'I:-',
    ]);
  });

  it('marks a lone capital "A" as a letter inside a clause of ordinary text, and leaves the article unmarked', async () => {
    const rolesOfA = async (text: string): Promise<string[]> => {
      let asked: PhonemizeOptions | undefined;
      const recording: Phonemizer = {
        phonemizeWords: (words, lang, options) => {
          asked = options;
          return letterG2P.phonemizeWords(words, lang, options);
        },
      };
      const words = await phonemizeText(text, 'en-us', recording);
      return words.flatMap((w, i) => (w.text === 'A' ? [asked?.spelled?.[i] ?? '-'] : []));
    };
    expect(await rolesOfA('She got a grade A in maths. Is A the answer? Take vitamin A.')).toEqual(['last-letter', 'last-letter', 'last-letter']);
    // Followed by punctuation, a capitalised word after it does not make it Title Case.
    expect(await rolesOfA('We chose Plan A, Tom said.')).toEqual(['last-letter']);
    // The article: at a clause's start, after any punctuation or quote, in capitals, in Title Case.
    expect(await rolesOfA('A ghost. She said, "A ghost is here." He whispered: A ghost! Then (A fool) left.')).toEqual(['-', '-', '-', '-']);
    expect(await rolesOfA('THIS IS A TEST. CHAPTER ONE: A NEW HOPE')).toEqual(['-', '-']);
    expect(await rolesOfA('How To Build A Boat')).toEqual(['-']);
    // Spelled by the normaliser, it stays the end of its acronym.
    expect(await rolesOfA('the U.S.A. team')).toEqual(['last-letter']);
  });
});
