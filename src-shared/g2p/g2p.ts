import { BoundedCache } from '../cache/bounded-cache';
import { lookupCmu } from './cmudict';
import { isNumberCompound, joinCompound, joinNumberCompound } from './compound';
import { deriveFromDictionary } from './derive';
import { posTagsAfter, specialCaseOf, specialCasePhonemes } from './context';
import { espeakToMisaki } from './espeak-convert';
import { CMUDICT_US_RULES } from './learned/cmudict-us-rules';
import { ESPEAK_US_RULES } from './learned/espeak-us-rules';
import { applyRules, unpackRules, type RewriteRule } from './rewrite-rules';
import { suffixS, type MisakiLexicon } from './misaki-lexicon';
import { applyStress, isPunctuationToken, punctuationPhonemes, startsWithVowel, toV1 } from './symbols';
import type { NeuralG2P, NeuralG2PHints } from './neural/index';
import type {
  CmuDict,
  EspeakBackend,
  G2PLang,
  Phonemizer,
  PhonemizeOptions,
  PhonemeSource,
  UserLexicon,
  UserPronunciation,
  WordPhonemes,
} from './types';

/** Function words that misaki's lexicons (US and GB) carry without stress. */
const UNSTRESSED = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'could', 'for', 'from', 'had', 'has',
  'have', 'he', 'her', 'his', 'i', 'in', 'is', 'it', 'its', 'my', 'of', 'or', 'she', 'that',
  'the', 'their', 'there', 'they', 'this', 'to', 'was', 'we', 'were', 'will', 'with', 'would',
  'you', 'your',
]);

export interface G2PLayers {
  /** (a) the user's own pronunciations: always first. */
  user?: UserLexicon | undefined;
  /** (b) misaki's gold + silver lexicons (American). */
  misaki?: MisakiLexicon | undefined;
  /** (c) CMUdict (American). */
  cmudict?: CmuDict | undefined;
  /**
   * (d) the neural model trained on misaki's lexicons (American): any word of Latin letters
   * the layers before it lack. A model that reads other layers' output (its header's hints) runs
   * once eSpeak has spoken; one that reads CMUdict's takes CMUdict's words too.
   */
  neural?: NeuralG2P | undefined;
  /** (e) eSpeak NG: what the model cannot take (digits, symbols, other scripts), and all of British English. */
  espeak?: EspeakBackend | undefined;
}

export interface G2POptions {
  /**
   * true (default): CMUdict's and eSpeak's American output goes through the rewrite rules
   * learned against misaki's gold lexicon (src-shared/g2p/learned). false: the plain
   * conversions, as the rule learner needs them.
   */
  learnedRules?: boolean;
  /**
   * true: the neural model gets whole words before CMUdict, which keeps only the words the model
   * declines (unsure of them), ahead of eSpeak. false (default): CMUdict before the model.
   */
  cmudictAfterModel?: boolean;
}

interface LearnedRules {
  cmudict: readonly RewriteRule[];
  espeak: readonly RewriteRule[];
}

const NO_RULES: LearnedRules = { cmudict: [], espeak: [] };
let learned: LearnedRules | undefined;
const learnedRules = (): LearnedRules =>
  (learned ??= { cmudict: unpackRules(CMUDICT_US_RULES), espeak: unpackRules(ESPEAK_US_RULES) });

/** Words remembered per layer: a book's vocabulary fits. */
const WORD_CACHE_LIMIT = 50_000;

/** A word's phonemes from one of the layers; user-lexicon entry ids when the user's entries gave them. */
interface LayerHit {
  phonemes: string;
  source: PhonemeSource;
  lexiconEntryIds?: readonly number[];
}

/** eSpeak's word as converted to misaki's symbols: plain (what a hint-reading model reads) and after the learned rules. */
interface EspeakWord {
  plain: string;
  ruled: string;
}

interface Slot {
  word: string;
  phonemes: string;
  source: PhonemeSource;
  lexiconEntryIds?: readonly number[] | undefined;
  /** Set while the word waits for eSpeak. */
  pending: boolean;
}

/**
 * Word-by-word G2P into Kokoro symbols; the first layer that knows a word wins.
 *
 * British English: misaki's lexicons and CMUdict are American data, so for en-gb only the
 * user lexicon and eSpeak (en-gb voice, British conversion rules) are used, plus misaki's
 * weak forms of the/a/an/to/in/am/I, which are the same in both accents.
 */
export class G2P implements Phonemizer {
  private readonly rules: LearnedRules;
  private readonly cmudictAfterModel: boolean;
  // Each word converts the same wherever it stands, and books repeat their words.
  // (CMUdict is only asked for American English, so its key is the word alone.)
  private readonly cmudictCache = new BoundedCache<string, string | undefined>(WORD_CACHE_LIMIT);
  private readonly cmudictPlainCache = new BoundedCache<string, string | undefined>(WORD_CACHE_LIMIT);
  private readonly espeakCache = new BoundedCache<string, EspeakWord>(WORD_CACHE_LIMIT);

  constructor(
    private readonly layers: G2PLayers,
    options: G2POptions = {},
  ) {
    this.rules = options.learnedRules === false ? NO_RULES : learnedRules();
    this.cmudictAfterModel = options.cmudictAfterModel === true;
  }

  /** What besides the input decides the phonemes: the neural model's weights (sha256), if any, and whether CMUdict comes after it. */
  get version(): string {
    const neural = this.layers.neural;
    if (!neural) return 'no-model';
    // A model that reads CMUdict's output takes its words in either order.
    const order = this.cmudictAfterModel && this.layers.cmudict && this.modelBeforeCmudict() && !neural.hintLayers.includes('cmudict') ? ';cmudict-after-model' : '';
    return `neural:${neural.version}${order}`;
  }

  async phonemizeWords(
    words: readonly string[],
    lang: G2PLang,
    options: PhonemizeOptions = {},
  ): Promise<WordPhonemes[]> {
    const context = options.context ?? true;
    const slots: Slot[] = words.map((word) => ({ word, phonemes: '', source: 'none', pending: false }));
    const isWord = (i: number): boolean => {
      const w = words[i];
      return w !== undefined && w.trim() !== '' && !isPunctuationToken(w);
    };

    slots.forEach((slot, i) => {
      const raw = slot.word;
      if (raw.trim() === '') return;
      if (isPunctuationToken(raw)) {
        slot.phonemes = punctuationPhonemes(raw);
        slot.source = 'punct';
        return;
      }
      const prev = context && isWord(i - 1) ? normalizeWord(words[i - 1] ?? '') : undefined;
      const next = context && isWord(i + 1) ? normalizeWord(words[i + 1] ?? '') : undefined;
      const hit = options.spelled?.[i] ? this.letterName(normalizeWord(raw), lang) : this.lookupSync(normalizeWord(raw), lang, prev, next, true);
      if (hit) {
        slot.phonemes = hit.phonemes;
        slot.source = hit.source;
        slot.lexiconEntryIds = hit.lexiconEntryIds;
      } else if (this.layers.espeak) {
        slot.pending = true;
      }
    });

    await this.fillFromEspeak(slots, lang);

    // eSpeak says a lone word in its citation form; in running text the common function
    // words lose their stress (misaki's lexicons have them unstressed).
    if (context) {
      for (const slot of slots) {
        if ((slot.source === 'espeak' || slot.source === 'model') && UNSTRESSED.has(normalizeWord(slot.word).toLowerCase())) {
          slot.phonemes = slot.phonemes.replace(/[ˈˌ]/g, '');
        }
      }
    }

    // Weak forms need the next word's first sound, so they go last, right to left.
    if (context) {
      for (let i = slots.length - 1; i >= 0; i--) {
        const slot = slots[i];
        const next = slots[i + 1];
        if (!slot || !isWord(i) || !next || !isWord(i + 1)) continue;
        const word = normalizeWord(slot.word);
        const kind = specialCaseOf(word);
        // A capital "A" the front end found to be the letter ("grade A") comes marked as spelled.
        if (kind === undefined || slot.source === 'user' || options.spelled?.[i]) continue;
        const nextVowel = startsWithVowel(next.phonemes);
        if (nextVowel === null) continue;
        slot.phonemes = specialCasePhonemes(kind, nextVowel);
        slot.source = 'rule';
      }
    }

    // An acronym's letters but its last give up their primary (misaki's get_NNP: ˌɛfbˌiˈI).
    options.spelled?.forEach((role, i) => {
      const slot = slots[i];
      if (role === 'letter' && slot) slot.phonemes = applyStress(slot.phonemes, -0.5);
    });

    return slots.map((s) => ({
      word: s.word,
      phonemes: s.source === 'punct' ? s.phonemes : toV1(s.phonemes),
      source: s.source,
      ...(s.lexiconEntryIds?.length ? { lexiconEntryIds: s.lexiconEntryIds } : {}),
    }));
  }

  private lookupSync(
    word: string,
    lang: G2PLang,
    prev: string | undefined,
    next: string | undefined,
    wholeWord: boolean,
  ): LayerHit | undefined {
    const user = this.userHit(word, lang);
    if (user !== undefined) return user;
    if (lang !== 'en-us') return undefined;
    const { misaki, cmudict } = this.layers;
    if (misaki) {
      const tags = next?.toLowerCase() === 'to' && word.toLowerCase() === 'used' ? ['VBD'] : posTagsAfter(prev);
      // Nothing after a whole word: misaki's end-of-clause (stressed) forms.
      const nextVowel = wholeWord && next === undefined ? null : undefined;
      const hit = misaki.lookup(word, { tags, nextVowel });
      if (hit) return hit;
    }
    // A hyphenated word from its parts, if all are known (compoundOf).
    const compound = this.compoundOf(word, lang);
    // Numbers the normaliser spells out ("eighty-two") follow gold's one pattern, whichever layer
    // comes next: CMUdict stresses some on the tens part (twenty-two) and not others (twenty-six).
    if (compound?.numberWords) return compound;
    // A model that reads CMUdict's output, or is put before it, takes the whole words CMUdict has.
    const modelFirst = wholeWord && this.modelBeforeCmudict();
    if (cmudict && !modelFirst) {
      const ps = this.cmudictWord(cmudict, word);
      if (ps !== undefined) return { phonemes: ps, source: 'cmudict' };
    }
    // A model that comes first reads a hyphenated word whole instead: it learned gold's compounds,
    // which misaki's rule for joining parts often misses (of the 58 hyphenated gold validation
    // words, the parts joined by that rule get 16 right, the model 35; 2026-12-07), unless a part
    // is the user's own: their pronunciation of it wins over the model (its stress may still give
    // way, as misaki's rule has any part's).
    if (compound && (!modelFirst || compound.userPart)) return compound;
    // A model that reads no other layer answers here; one that does, after eSpeak.
    const neural = this.layers.neural;
    if (!neural || neural.hintLayers.length > 0) return undefined;
    const ps = cmudict && modelFirst ? this.cmudictWord(cmudict, word) : undefined;
    const predicted = neural.phonemize(word, {}, ps === undefined ? 'espeak' : 'cmudict');
    if (predicted !== undefined) return { phonemes: predicted, source: 'model' };
    if (ps !== undefined) return { phonemes: ps, source: 'cmudict' };
    return modelFirst ? compound : undefined;
  }

  /**
   * A letter of an acronym (PhonemizeOptions.spelled), by its name: the user's entry, else what the layers say, but
   * "A" and "I", which the layers take for the article and the pronoun, by the names misaki's
   * gold lexicon gives them (the same in both accents).
   */
  private letterName(letter: string, lang: G2PLang): LayerHit | undefined {
    const user = this.userHit(letter, lang);
    if (user !== undefined) return user;
    const name = LETTERS_MISTAKEN_FOR_WORDS[letter.toUpperCase()];
    if (name !== undefined) return { phonemes: name, source: 'rule' };
    return this.lookupSync(letter, lang, undefined, undefined, true);
  }

  /**
   * A hyphenated compound whose parts are all known, spoken as misaki speaks one its lexicons lack
   * (joinCompound; a tens word and a unit as gold writes them); "well-read-ish" is left to eSpeak.
   * `userPart` when one of the parts is the user's; `numberWords` for "eighty-two" and the like.
   */
  private compoundOf(word: string, lang: G2PLang): (LayerHit & { userPart: boolean; numberWords: boolean }) | undefined {
    if (!word.includes('-')) return undefined;
    const parts = word.split('-').filter((p) => p !== '');
    if (parts.length < 2) return undefined;
    const got = parts.map((p) => this.lookupSync(p, lang, undefined, undefined, false));
    const known = got.filter((g): g is LayerHit => g !== undefined);
    if (known.length < parts.length) return undefined;
    const numberWords = isNumberCompound(parts);
    const phonemes = numberWords
      ? joinNumberCompound(known[0]!.phonemes, known[1]!.phonemes)
      : joinCompound(parts.map((text, i) => ({ text, phonemes: known[i]!.phonemes })));
    const lexiconEntryIds = known.flatMap((g) => g.lexiconEntryIds ?? []);
    return { phonemes, source: known[0]!.source, lexiconEntryIds, userPart: known.some((g) => g.source === 'user'), numberWords };
  }

  /**
   * Whether the model gets whole words before CMUdict: it reads CMUdict's output, or the options
   * put CMUdict after it. A model that reads eSpeak's output runs only where eSpeak is there.
   */
  private modelBeforeCmudict(): boolean {
    const neural = this.layers.neural;
    if (!neural) return false;
    if (neural.hintLayers.length === 0) return this.cmudictAfterModel;
    return this.layers.espeak !== undefined && (this.cmudictAfterModel || neural.hintLayers.includes('cmudict'));
  }

  /**
   * CMUdict's pronunciation of a word, or of a word it derives from; remembered per word.
   * `plain`: without the learned rules (what a hint-reading model was trained on).
   */
  private cmudictWord(cmudict: CmuDict, word: string, plain = false): string | undefined {
    const rules = plain ? [] : this.rules.cmudict;
    return (plain ? this.cmudictPlainCache : this.cmudictCache).getOrCompute(word, () => {
      const lookup = (w: string): string | undefined => {
        const ps = lookupCmu(cmudict, w);
        return ps === undefined ? undefined : applyRules(toV1(ps), rules, w);
      };
      // A word CMUdict lacks may still be a known word plus a suffix or prefix.
      return lookup(word) ?? (/^[A-Za-z'-]+$/.test(word) ? deriveFromDictionary(word, lookup) : undefined);
    });
  }

  /** The user's entry as a layer's answer, naming the entry for the audio cache. */
  private userHit(word: string, lang: G2PLang): LayerHit | undefined {
    const user = this.userLookup(word, lang);
    return user === undefined ? undefined : { phonemes: user.phonemes, source: 'user', lexiconEntryIds: user.entryId === undefined ? [] : [user.entryId] };
  }

  /** The user's entry, also for its possessive ("Kokoro's" from "Kokoro"). */
  private userLookup(word: string, lang: G2PLang): UserPronunciation | undefined {
    const user = this.layers.user;
    if (!user) return undefined;
    const direct = user.lookup(word, lang);
    if (direct !== undefined) return direct;
    const base = /^(.+)(?:'s|s')$/i.exec(word)?.[1];
    const stem = base !== undefined ? user.lookup(base, lang) : undefined;
    return stem === undefined ? undefined : { ...stem, phonemes: suffixS(stem.phonemes) };
  }

  private async fillFromEspeak(slots: Slot[], lang: G2PLang): Promise<void> {
    const pending = slots.filter((s) => s.pending);
    if (!this.layers.espeak || pending.length === 0) return;
    const byWord = await this.espeakWords(pending.map((s) => normalizeWord(s.word)), lang);
    for (const s of pending) {
      s.pending = false;
      const word = normalizeWord(s.word);
      const said = byWord.get(word);
      const hit = lang === 'en-us' && said ? this.afterEspeak(word, said) : undefined;
      const ps = hit?.phonemes ?? said?.ruled ?? '';
      if (ps !== '') {
        s.phonemes = ps;
        s.source = hit?.source ?? 'espeak';
      }
    }
  }

  /** eSpeak's output for each distinct word, converted to misaki's symbols; remembered per word. */
  private async espeakWords(words: readonly string[], lang: G2PLang): Promise<Map<string, EspeakWord>> {
    const byWord = new Map<string, EspeakWord>();
    const espeak = this.layers.espeak;
    if (!espeak) return byWord;
    const key = (w: string): string => `${lang}\u0000${w}`;
    const todo: string[] = [];
    for (const w of new Set(words)) {
      const known = this.espeakCache.get(key(w));
      if (known === undefined) todo.push(w);
      else byWord.set(w, known);
    }
    if (todo.length > 0) {
      const raw = await espeak.phonemizeRaw(todo, lang);
      const rules = lang === 'en-us' ? this.rules.espeak : [];
      todo.forEach((w, i) => {
        // The spelling lets the conversion (-est, -ically, in-/un-, ...) and the rules see the word.
        const plain = toV1(espeakToMisaki(raw[i] ?? '', lang, w));
        const said = { plain, ruled: applyRules(plain, rules, w) };
        byWord.set(w, said);
        this.espeakCache.set(key(w), said);
      });
    }
    return byWord;
  }

  /**
   * What a hint-reading model is given for each (American) word: the plain output of eSpeak and
   * CMUdict. The model's trainer reads its words' hints from here (scripts/g2p-model/hints.ts),
   * so training and the app give the model the same input.
   */
  async modelHints(words: readonly string[]): Promise<NeuralG2PHints[]> {
    const normalized = words.map(normalizeWord);
    const byWord = await this.espeakWords(normalized, 'en-us');
    return normalized.map((w) => this.hintsOf(w, byWord.get(w)));
  }

  /** Without CMUdict loaded (--lexicon none), its hint is '' for every word, as for a word it lacks. */
  private hintsOf(word: string, said: EspeakWord | undefined): NeuralG2PHints {
    const { cmudict } = this.layers;
    return { espeak: said?.plain, cmudict: cmudict ? (this.cmudictWord(cmudict, word, true) ?? '') : '' };
  }

  /**
   * An American word no layer before eSpeak had, once eSpeak has spoken: the model that reads
   * eSpeak's (and CMUdict's) output, else CMUdict if the model took its words and then declined.
   */
  private afterEspeak(word: string, said: EspeakWord): LayerHit | undefined {
    const { neural, cmudict } = this.layers;
    if (!neural || neural.hintLayers.length === 0) return undefined;
    const ps = cmudict && this.modelBeforeCmudict() ? this.cmudictWord(cmudict, word) : undefined;
    const predicted = neural.phonemize(word, this.hintsOf(word, said), ps === undefined ? 'espeak' : 'cmudict');
    if (predicted !== undefined) return { phonemes: predicted, source: 'model' };
    if (ps !== undefined) return { phonemes: ps, source: 'cmudict' };
    // A compound the model took first (lookupSync) and declined: its parts, as without the model.
    return this.modelBeforeCmudict() ? this.compoundOf(word, 'en-us') : undefined;
  }
}

/** Letters whose names the layers would read as words: "A" the article, "I" the pronoun. */
const LETTERS_MISTAKEN_FOR_WORDS: Readonly<Record<string, string>> = { A: 'ˈA', I: 'ˈI' };

/** Curly apostrophes as straight ones, compatibility forms folded (misaki does the same). */
export function normalizeWord(word: string): string {
  return word.trim().replace(/[‘’]/g, "'").normalize('NFKC');
}
