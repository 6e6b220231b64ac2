import { describe, expect, it } from 'vitest';
import { createG2P, loadVocab } from '../../src-main/engine/g2p/index';
import { phonemizeText } from '../../src-main/engine/kokoro/frontend';
import { phonemesToIds } from '../../src-shared/g2p/index';
import { LEXICON_DIR, VOCAB_PATH } from './shared-data';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'hello', 'World', 'read', 'the', 'U.S.', 'NASA', 'Dr.', '$3.50', '2024-05-01', '12:30', '3pm', '½', '1/2', '-7', '1,234,567',
  '10-20', '1990s', '°C', 'km', 'Henry VIII', 'e-mail', 'https://example.com/a?b=c', 'me@example.org', '&', '%', '#', '@',
  '“quoted”', 'it’s', '…', '—', '(', ')', '!', '?', ';', ':', ',', '.', '\u0000', '\u0007', '\u001b[31m', '\u200f', '\u202e',
  '\u2066', '\ud800', '\udfff', '😀', '👍🏽', '🇺🇸', 'Ωμέγα', '日本語', 'naïve', 'Straße', '\t', '\n', '\r\n', '   ',
];

function randomText(random: () => number, pieces: number): string {
  const out: string[] = [];
  for (let i = 0; i < pieces; i++) {
    const r = random();
    if (r < 0.08) out.push(String.fromCharCode(Math.floor(random() * 0x10000)));
    else out.push(PIECES[Math.floor(random() * PIECES.length)] ?? '');
    out.push(random() < 0.7 ? ' ' : '');
  }
  return out.join('');
}

describe('text front-end fuzz (normalise, G2P, ids)', () => {
  it('never throws on random Unicode and gives only vocabulary ids, dropping nothing from English text', async () => {
    const [g2p, vocab] = await Promise.all([createG2P({ lexiconDir: LEXICON_DIR }), loadVocab(VOCAB_PATH)]);
    const validIds = new Set(Object.values(vocab));
    const random = rng(20261126);
    const inputs = [
      ...Array.from({ length: 40 }, () => randomText(random, 60)),
      '9'.repeat(100_000),
      `${'The quick brown fox jumps over the lazy dog, again and again '.repeat(16_700)}`.slice(0, 1_000_000),
    ];
    for (const text of inputs) {
      const words = await phonemizeText(text, 'en-us', g2p);
      for (const word of words) {
        expect(word.start).toBeGreaterThanOrEqual(0);
        expect(word.end).toBeLessThanOrEqual(text.length);
        const { ids } = phonemesToIds(word.phonemes, vocab);
        expect(ids.every((id) => validIds.has(id))).toBe(true);
      }
    }
    // Text made of English words, numbers and symbols maps to vocabulary symbols without loss.
    const english = 'Dr. Smith paid $3.50 on 2024-05-01 at 12:30, about 42% of the 1990s price; e-mail me@example.org.';
    for (const lang of ['en-us', 'en-gb'] as const) {
      const words = await phonemizeText(english, lang, g2p);
      expect(words.length).toBeGreaterThan(20);
      expect(words.reduce((n, w) => n + phonemesToIds(w.phonemes, vocab).dropped, 0)).toBe(0);
    }
  }, 240_000);
});
