/**
 * The user's pronunciation lexicon, pure: entry types, whole-word and regex matching, the
 * replacement pre-pass and its offset maps. The SQLite store is src-main/services/library/lexicon.ts.
 */
export type * from './types';
export { LexiconIndex, type LexiconIndexOptions } from './lexicon-index';
export { expandReplacement, lexiconReplacer, toOriginalOffset, toOriginalSpan, toReplacedOffset } from './replacements';
export { matchKey, normalizeWord } from './words';
