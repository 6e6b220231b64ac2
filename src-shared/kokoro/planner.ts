import { TOKEN_BUCKET } from './constants';

/** Kokoro's vocabulary id of the space between words. */
export const SPACE_ID = 16;
/** Phoneme tokens a chunk can hold: the bucket less the two bounding 0 ids. */
export const MAX_CHUNK_TOKENS = TOKEN_BUCKET - 2;

/** What follows a word: decides where a chunk may be cut, best first. */
export type Boundary = 'sentence' | 'clause' | 'word';

/** A spoken word with its phoneme ids (punctuation after it included) and where it came from. */
export interface PlannedWord {
  ids: readonly number[];
  /** Source range [start, end) in UTF-16 units of the whole text. */
  start: number;
  end: number;
  sentence: number;
  /** The boundary after this word. The last word of a sentence has 'sentence'. */
  after: Boundary;
}

/** One piece of a word in a chunk (a word longer than a whole chunk is cut into pieces). */
export interface ChunkWord {
  word: number;
  ids: readonly number[];
}

/** A chunk: consecutive (pieces of) words that fit the token bucket. */
export interface ChunkPlan {
  words: ChunkWord[];
}

export interface ChunkTokens {
  /** [0, ...phonemes with spaces between words..., 0]. */
  ids: number[];
  /** For each entry of `ids`, the index of its word in the input, or -1 for pads and spaces. */
  owner: number[];
}

const RANK: Record<Boundary, number> = { word: 0, clause: 1, sentence: 2 };

/** Tokens of a run of chunk words including the spaces between them (no pads). */
function runLength(words: readonly ChunkWord[]): number {
  let n = 0;
  for (const w of words) n += w.ids.length;
  return n + Math.max(0, words.length - 1);
}

/**
 * Packs words into chunks of at most `maxTokens` phoneme tokens: whole sentences while they
 * fit; a sentence that does not fit is cut at clause boundaries, then at words, and a word
 * longer than a chunk is cut into pieces. A chunk costs the same whatever it holds, so every
 * chunk is filled as far as it goes. Nothing is ever dropped. `fromWord` plans only the words
 * from that index on (indices stay those of `words`).
 */
export function planChunks(words: readonly PlannedWord[], maxTokens = MAX_CHUNK_TOKENS, fromWord = 0): ChunkPlan[] {
  // Words without phonemes say nothing and would only add spaces. Their boundary (a sentence
  // end, say) moves to the spoken word before them.
  const after = words.map((w) => w.after);
  let lastSpoken = -1;
  words.forEach((w, i) => {
    if (w.ids.length > 0) lastSpoken = i;
    else if (lastSpoken >= 0 && RANK[w.after] > RANK[after[lastSpoken] ?? 'word']) after[lastSpoken] = w.after;
  });
  const spoken = words.map((w, i) => ({ word: i, ids: w.ids })).filter((w) => w.word >= fromWord && w.ids.length > 0);
  const units = cutToFit(spoken, (i) => after[i] ?? 'word', maxTokens);
  const chunks: ChunkPlan[] = [];
  let current: ChunkWord[] = [];
  for (const unit of units) {
    if (current.length > 0 && runLength(current) + 1 + runLength(unit) > maxTokens) {
      chunks.push({ words: current });
      current = [];
    }
    current = current.concat(unit);
  }
  if (current.length > 0) chunks.push({ words: current });
  return chunks;
}

/**
 * Splits the word list into units that each fit: first at sentence ends, and any unit still
 * too long at the next-best boundary, down to pieces of single words.
 */
function cutToFit(items: readonly ChunkWord[], boundaryAfter: (word: number) => Boundary, maxTokens: number): ChunkWord[][] {
  const out: ChunkWord[][] = [];
  const visit = (unit: ChunkWord[], level: Boundary | 'piece'): void => {
    if (runLength(unit) <= maxTokens) {
      out.push(unit);
      return;
    }
    if (level === 'piece') {
      // A single word longer than a chunk: cut its phonemes; each piece keeps the word's span.
      for (const item of unit) {
        for (let at = 0; at < item.ids.length; at += maxTokens) out.push([{ word: item.word, ids: item.ids.slice(at, at + maxTokens) }]);
      }
      return;
    }
    const next: Boundary | 'piece' = level === 'sentence' ? 'clause' : level === 'clause' ? 'word' : 'piece';
    for (const part of splitAfter(unit, boundaryAfter, level)) visit(part, next);
  };
  for (const sentence of splitAfter(items, boundaryAfter, 'sentence')) visit(sentence, 'clause');
  return out;
}

/** Splits a run after every word whose boundary ranks at least `level`. */
function splitAfter(unit: readonly ChunkWord[], boundaryAfter: (word: number) => Boundary, level: Boundary): ChunkWord[][] {
  const parts: ChunkWord[][] = [];
  let current: ChunkWord[] = [];
  for (const item of unit) {
    current.push(item);
    if (RANK[boundaryAfter(item.word)] >= RANK[level]) {
      parts.push(current);
      current = [];
    }
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** The token ids of a chunk with the bounding 0 ids, and which word owns each token. */
export function chunkTokens(plan: ChunkPlan): ChunkTokens {
  const ids = [0];
  const owner = [-1];
  plan.words.forEach((w, i) => {
    if (i > 0) {
      ids.push(SPACE_ID);
      owner.push(-1);
    }
    for (const id of w.ids) {
      ids.push(id);
      owner.push(w.word);
    }
  });
  ids.push(0);
  owner.push(-1);
  return { ids, owner };
}

/**
 * Splits a chunk whose audio would be too long (more frames than the bucket) in two, at the
 * best boundary near where the frames reach `targetFrames`: sentence, then clause, then word.
 * `framesPerWord[i]` are the predicted frames of the chunk's i-th word (spaces included).
 * Returns undefined when the chunk is a single word piece that cannot be split further.
 */
export function splitOverlong(plan: ChunkPlan, words: readonly PlannedWord[], framesPerWord: readonly number[], targetFrames: number): [ChunkPlan, ChunkPlan] | undefined {
  const n = plan.words.length;
  if (n <= 1) {
    const only = plan.words[0];
    if (!only || only.ids.length < 2) return undefined;
    const half = Math.ceil(only.ids.length / 2);
    return [{ words: [{ word: only.word, ids: only.ids.slice(0, half) }] }, { words: [{ word: only.word, ids: only.ids.slice(half) }] }];
  }
  // Candidate cut after word i (1..n-1 words on the left); prefer the best boundary whose left part fits.
  let cumulative = 0;
  let best = -1;
  let bestRank = -1;
  for (let i = 0; i < n - 1; i++) {
    cumulative += framesPerWord[i] ?? 0;
    if (cumulative > targetFrames && best >= 0) break;
    const item = plan.words[i];
    const rank = RANK[(item && words[item.word]?.after) ?? 'word'];
    if (rank >= bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  const cut = Math.max(0, best) + 1;
  return [{ words: plan.words.slice(0, cut) }, { words: plan.words.slice(cut) }];
}
