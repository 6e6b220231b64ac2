// Runs the rules over the tokens, in order, and gives each reading the punctuation that
// follows it.

import type { NormalizeContext, Rule } from './context';
import { PUNCT_RANK } from './emitter';
import type { Token } from './tokens';
import type { Punct } from './types';

/** Marks before a token that make a pause after the word before it: "a — b", "a ...b". */
const PAUSE_BEFORE = /[\u2014\u2013\u2015\u2026]|\.\.|^-$/;

/** Tries the rules on token `index` in order; the first that consumes tokens wins. Returns how many it consumed, 0 if none applied. */
export function applyRules(context: NormalizeContext, index: number, rules: readonly Rule[]): number {
  for (let r = 0; r < rules.length; r++) {
    const consumed = rules[r]!(context, index);
    if (consumed > 0) return consumed;
  }
  return 0;
}

/** Reads every token: each step reads at least one token, so this is linear in the tokens. */
export function readTokens(context: NormalizeContext, rules: readonly Rule[]): void {
  const { tokens, output } = context;
  for (let index = 0; index < tokens.length; ) {
    const token = tokens[index]!;
    const wordsBefore = output.count;
    if (PAUSE_BEFORE.test(token.lead) && token.core !== '') output.pause();
    let consumed: number;
    try {
      consumed = Math.max(1, applyRules(context, index, rules));
    } catch {
      // Defensive: a bug in one rule must not stop reading; drop this token's words.
      output.truncate(wordsBefore);
      consumed = 1;
    }
    const last = tokens[Math.min(tokens.length - 1, index + consumed - 1)]!;
    // A lone "-" read as "to" is not also a pause.
    const bare = last.core === '' && output.count === wordsBefore;
    punctuateAfter(context, last, wordsBefore, bare ? last.lead + last.trail : last.trail);
    index += consumed;
  }
}

/** Gives the words just read the punctuation in `trail`, the marks after the last token they consumed. */
function punctuateAfter(context: NormalizeContext, token: Token, wordsBefore: number, trail: string): void {
  const endsSentence = context.endsSentence(token);
  let mark: Punct | undefined;
  if (trail.includes('?') || trail.includes('\uff1f')) mark = '?';
  else if (trail.includes('!') || trail.includes('\uff01')) mark = '!';
  else if (trail.includes(';')) mark = ';';
  else if (trail.includes(':')) mark = ':';
  else if (trail.includes(',') || trail.includes('\uff0c') || trail.includes('\u3001')) mark = ',';
  else if (trail.includes('\u2026') || trail.includes('..')) mark = endsSentence ? '.' : ',';
  else if (trail.includes('.') || trail.includes('\u3002')) {
    if (endsSentence) mark = '.';
    else if (context.startsSentence(token) && /^\d{1,3}$/.test(token.core)) mark = ','; // "1. Item"
    else if (/\.["')\]]/.test(trail)) mark = ','; // "Stop." she said
  } else if (/[\u2014\u2013\u2015-]/.test(trail)) mark = ',';
  else if (trail === ')' && context.startsSentence(token) && token.core.length <= 3) mark = ','; // "a) item"
  // A sentence ends at least with a full stop (headings, list items too): Kokoro reads several
  // sentences in one chunk, and the stop is where it falls in pitch and pauses.
  if (endsSentence && (!mark || PUNCT_RANK[mark] < 3)) mark = '.';
  if (!mark) return;
  // Attach to the last word just read, or, at a sentence end, to the last word before it.
  // A token of punctuation alone ("—", "...") is a pause after the previous word.
  if (context.output.count > wordsBefore || endsSentence || token.core === '') context.output.punctuate(mark);
}
