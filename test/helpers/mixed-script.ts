/**
 * Random "words" mixing scripts (Latin, Cyrillic, Greek, Arabic, CJK, and the scripts eSpeak NG
 * has no dictionary for in the bundled build: Devanagari, Gurmukhi, Gujarati, Georgian, Hangul),
 * as pasted text in many languages or binary junk read as text can hold. Seeded: the same text
 * every run.
 */
const SCRIPTS: readonly (readonly [number, number])[] = [
  [0x61, 0x7a], // Latin
  [0x430, 0x44f], // Cyrillic
  [0x3b1, 0x3c9], // Greek
  [0x620, 0x64a], // Arabic
  [0x4e00, 0x9fff], // CJK
  [0x905, 0x939], // Devanagari (hi)
  [0xa05, 0xa39], // Gurmukhi (pa)
  [0xa85, 0xab9], // Gujarati (gu)
  [0x10d0, 0x10f0], // Georgian (ka)
  [0xac00, 0xd7a3], // Hangul (ko)
];

export function mixedScriptText(chars: number, lineChars = 100, seed = 1): string[] {
  let state = seed >>> 0;
  const random = (): number => {
    // mulberry32: 32-bit integer steps, so the sequence does not fall into a short cycle
    // (a text of repeated words would hit the word cache and hide the cost).
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < chars; i++) {
    if (random() < 0.15) line += ' ';
    else {
      const [from, to] = SCRIPTS[Math.floor(random() * SCRIPTS.length)] ?? [0x61, 0x7a];
      line += String.fromCodePoint(from + Math.floor(random() * (to - from + 1)));
    }
    if (line.length >= lineChars) {
      lines.push(line);
      line = '';
    }
  }
  if (line) lines.push(line);
  return lines;
}
