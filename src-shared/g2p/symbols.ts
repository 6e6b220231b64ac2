/** Stress marks, written just before the vowel they stress. */
export const PRIMARY_STRESS = 'ˈ';
export const SECONDARY_STRESS = 'ˌ';

/** misaki's vowel letters (A I O Q W Y are diphthongs written as one letter). */
export const VOWELS: ReadonlySet<string> = new Set([...'AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ']);
export const CONSONANTS: ReadonlySet<string> = new Set([...'bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθTʔ']);

/** Punctuation Kokoro has tokens for; they pass through the G2P unchanged. */
export const KOKORO_PUNCT: ReadonlySet<string> = new Set([
  ';', ':', ',', '.', '!', '?', '—', '…', '"', '(', ')', '“', '”',
]);

/** Other punctuation folded onto a Kokoro token (the rest is silent). */
const PUNCT_ALIASES: Readonly<Record<string, string>> = {
  '–': '—',
  '―': '—',
  '...': '…',
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
  '«': '“',
  '»': '”',
  '„': '“',
};

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** True when the token has no letter or digit: punctuation or symbols only. */
export function isPunctuationToken(token: string): boolean {
  return token.length > 0 && !LETTER_OR_DIGIT.test(token);
}

/** Kokoro symbols for a punctuation token; '' for marks Kokoro cannot say (', -, /...). */
export function punctuationPhonemes(token: string): string {
  const t = token.trim();
  const alias = PUNCT_ALIASES[t];
  if (alias !== undefined) return alias;
  if (/^\.{2,}$/.test(t)) return '…';
  if (/^-{2,}$/.test(t)) return '—';
  let out = '';
  for (const ch of t) {
    if (KOKORO_PUNCT.has(ch)) out += ch;
    else {
      const a = PUNCT_ALIASES[ch];
      if (a !== undefined) out += a;
    }
  }
  return out;
}

/** Kokoro v1.0 was trained without flap/glottal symbols: misaki maps them last. */
export function toV1(phonemes: string): string {
  return phonemes.replace(/ɾ/g, 'T').replace(/ʔ/g, 't');
}

/**
 * Whether a word's pronunciation starts with a vowel (misaki's "future vowel"): the first
 * symbol that is a vowel or consonant decides; others are skipped, as misaki does (so the
 * weak article ɐ counts by the consonant after it: "to an" -> tə ɐn, like misaki). null when
 * there is neither.
 */
export function startsWithVowel(phonemes: string): boolean | null {
  for (const ch of phonemes) {
    if (VOWELS.has(ch)) return true;
    if (CONSONANTS.has(ch)) return false;
  }
  return null;
}

/** misaki's apply_stress: -2 strips, -1/0 demote, 0.5/1 add secondary, 2 promote to primary. */
export function applyStress(ps: string, stress: number | undefined): string {
  if (stress === undefined) return ps;
  const hasPrimary = ps.includes(PRIMARY_STRESS);
  const hasSecondary = ps.includes(SECONDARY_STRESS);
  const hasAny = hasPrimary || hasSecondary;
  const hasVowel = [...ps].some((c) => VOWELS.has(c));
  if (stress < -1) return ps.replaceAll(PRIMARY_STRESS, '').replaceAll(SECONDARY_STRESS, '');
  if (stress === -1 || ((stress === 0 || stress === -0.5) && hasPrimary)) {
    return ps.replaceAll(SECONDARY_STRESS, '').replaceAll(PRIMARY_STRESS, SECONDARY_STRESS);
  }
  if ((stress === 0 || stress === 0.5 || stress === 1) && !hasAny) {
    return hasVowel ? markFirstVowel(ps, SECONDARY_STRESS) : ps;
  }
  if (stress >= 1 && !hasPrimary && hasSecondary) {
    return ps.replaceAll(SECONDARY_STRESS, PRIMARY_STRESS);
  }
  if (stress > 1 && !hasAny) return hasVowel ? markFirstVowel(ps, PRIMARY_STRESS) : ps;
  return ps;
}

function markFirstVowel(ps: string, mark: string): string {
  const chars = [...ps];
  const i = chars.findIndex((c) => VOWELS.has(c));
  if (i < 0) return ps;
  chars.splice(i, 0, mark);
  return chars.join('');
}
