import type { Vocab, WordPhonemes } from './types';

/** Symbols -> Kokoro ids. Symbols outside the vocab are dropped and counted. */
export function phonemesToIds(phonemes: string, vocab: Vocab): { ids: number[]; dropped: number } {
  const ids: number[] = [];
  let dropped = 0;
  for (const ch of phonemes) {
    const id = Object.hasOwn(vocab, ch) ? vocab[ch] : undefined;
    if (id === undefined) dropped++;
    else ids.push(id);
  }
  return { ids, dropped };
}

// Punctuation that leans on the word before it (no space before) or after it (no space after).
const CLOSING = new Set([';', ':', ',', '.', '!', '?', '…', ')', '”']);
const OPENING = new Set(['(', '“']);

/** Whether a space goes between two tokens of phonemes. Straight quotes alternate open/close. */
function spacing(tokens: readonly WordPhonemes[]): boolean[] {
  const spaceBefore: boolean[] = [];
  let quoteOpen = false;
  let prevOpening = true; // nothing before the first token
  for (const t of tokens) {
    const p = t.phonemes;
    if (p === '') {
      spaceBefore.push(false);
      continue;
    }
    let before = !prevOpening;
    let opening = false;
    if (t.source === 'punct' && p.length > 0) {
      const first = [...p][0] ?? '';
      const last = [...p].at(-1) ?? '';
      if (CLOSING.has(first)) before = false;
      if (first === '"') {
        if (quoteOpen) before = false;
        else opening = true;
        quoteOpen = !quoteOpen;
      }
      if (OPENING.has(last)) opening = true;
    }
    spaceBefore.push(before);
    prevOpening = opening;
  }
  return spaceBefore;
}

/** The phoneme string of a token sequence: words separated by spaces, punctuation attached. */
export function joinPhonemes(tokens: readonly WordPhonemes[]): string {
  const sp = spacing(tokens);
  let out = '';
  tokens.forEach((t, i) => {
    if (t.phonemes === '') return;
    if (sp[i] && out !== '') out += ' ';
    out += t.phonemes;
  });
  return out;
}

export interface AssembledTokens {
  phonemes: string;
  ids: number[];
  dropped: number;
  /** For each input token, its ids as [start, end) in `ids` (empty when silent). */
  spans: { start: number; end: number }[];
}

/**
 * Joins tokens like joinPhonemes and maps them to ids, keeping which ids each token owns so
 * that the engine can time words from the durations of their ids.
 */
export function assembleTokens(tokens: readonly WordPhonemes[], vocab: Vocab): AssembledTokens {
  const sp = spacing(tokens);
  const ids: number[] = [];
  const spans: { start: number; end: number }[] = [];
  let phonemes = '';
  let dropped = 0;
  tokens.forEach((t, i) => {
    if (t.phonemes === '') {
      spans.push({ start: ids.length, end: ids.length });
      return;
    }
    if (sp[i] && phonemes !== '') {
      phonemes += ' ';
      const space = phonemesToIds(' ', vocab);
      ids.push(...space.ids);
      dropped += space.dropped;
    }
    phonemes += t.phonemes;
    const r = phonemesToIds(t.phonemes, vocab);
    spans.push({ start: ids.length, end: ids.length + r.ids.length });
    ids.push(...r.ids);
    dropped += r.dropped;
  });
  return { phonemes, ids, dropped, spans };
}
