/**
 * The text front-end for Kokoro: segments (sentences with source ranges) -> normalised words
 * with source spans -> phonemes (layered G2P) -> vocabulary ids, as words the chunk planner
 * packs. Every word keeps the span of the source text it was spoken from.
 */
import type { G2PLang, Phonemizer, Vocab } from '../../../src-shared/g2p/index';
import { phonemesToIds, punctuationPhonemes } from '../../../src-shared/g2p/index';
import type { Boundary, PlannedWord } from '../../../src-shared/kokoro/planner';
import { normalizeText } from '../../../src-shared/text/normalize/index';
import type { SpeechSegment } from '../../../src-shared/speech/types';

const CLAUSE_PUNCT = new Set([',', ';', ':']);

export interface FrontEndResult {
  words: PlannedWord[];
  /** Phoneme symbols that are not in Kokoro's vocabulary, dropped and counted. */
  dropped: number;
}

export async function wordsForSegments(segments: readonly SpeechSegment[], lang: G2PLang, g2p: Phonemizer, vocab: Vocab): Promise<FrontEndResult> {
  const words: PlannedWord[] = [];
  let dropped = 0;
  for (const segment of segments) {
    const normalized = normalizeText(segment.text, { locale: lang === 'en-gb' ? 'en-GB' : 'en-US' }).words;
    if (normalized.length === 0) continue;
    const phonemes = await g2p.phonemizeWords(
      normalized.map((w) => w.text),
      lang,
    );
    normalized.forEach((word, i) => {
      const spoken = (phonemes[i]?.phonemes ?? '') + (word.punct ? punctuationPhonemes(word.punct) : '');
      const converted = phonemesToIds(spoken, vocab);
      dropped += converted.dropped;
      const last = i === normalized.length - 1;
      const after: Boundary = last ? 'sentence' : word.punct && CLAUSE_PUNCT.has(word.punct) ? 'clause' : word.punct ? 'sentence' : 'word';
      words.push({ ids: converted.ids, start: segment.start + word.start, end: segment.start + word.end, sentence: segment.sentence, after });
    });
  }
  return { words, dropped };
}
