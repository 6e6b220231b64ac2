/**
 * `normalize` and `phonemize`: the text front-end on its own, one output line per input line,
 * for scripting and for measuring the G2P.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { G2PLang, Vocab } from '../../src-shared/g2p/index';
import { openLibrary } from './open-library';
import { sandboxedLexiconIndex } from '../services/library/lexicon';
import { lexiconReplacer } from '../../src-shared/lexicon/index';
import type { LexiconIndex } from '../../src-shared/lexicon/index';
import { phonemesToIds } from '../../src-shared/g2p/index';
import { normalizeToString } from '../../src-shared/text/normalize/index';
import { createG2P, loadVocab } from '../engine/g2p/index';
import { US_GOLD_FILE } from '../engine/g2p/load';
import { phonemizeText } from '../engine/kokoro/frontend';
import { COMMANDS, UsageError, parseCommand } from './usage';

export type Write = (text: string) => void;
/** Standard input as text; read only once the arguments are known to be right. */
export type ReadInput = () => Promise<string>;

/** Lines of a text, without the final empty line a trailing newline makes. */
function lines(input: string): string[] {
  const all = input.split(/\r?\n/);
  if (all.at(-1) === '') all.pop();
  return all;
}

export async function normalizeCommand(args: string[], write: Write, readInput: ReadInput): Promise<void> {
  const { values } = parseCommand(COMMANDS.normalize, args);
  const lang = parseLang(values.lang);
  const locale = lang === 'en-gb' ? 'en-GB' : 'en-US';
  // The user's replacement rules come before normalisation, as when the engines read.
  const index = values['data-dir'] ? lexiconIndexOf(values['data-dir']) : undefined;
  for (const line of lines(await readInput())) write(`${normalizeToString(index ? index.applyReplacements(line, lang).text : line, { locale })}\n`);
}

function parseLang(value: string | undefined): G2PLang {
  const lang = (value ?? 'en-us').toLowerCase();
  if (lang !== 'en-us' && lang !== 'en-gb') throw new UsageError(`--lang must be en-us or en-gb, got "${value}"`);
  return lang;
}

export async function phonemizeCommand(args: string[], write: Write, readInput: ReadInput, defaults: { modelDir: string }): Promise<void> {
  const { values } = parseCommand(COMMANDS.phonemize, args);
  const lang = parseLang(values.lang);
  const modelDir = values['model-dir'] ?? defaults.modelDir;
  const hasMisaki = existsSync(join(modelDir, US_GOLD_FILE));
  // Not named: the app's layers (misaki's lexicons when present, the model, then CMUdict).
  const lexicon = values.lexicon ?? (hasMisaki ? 'misaki' : 'none');
  if (!['misaki', 'cmudict', 'none'].includes(lexicon)) throw new UsageError(`--lexicon must be misaki, cmudict or none, got "${lexicon}"`);
  if (lexicon === 'misaki' && !hasMisaki) {
    throw new UsageError(`--lexicon misaki needs misaki's lexicons (${US_GOLD_FILE}) in ${modelDir}; download them with \`kokoro-reader models download\` or pass --model-dir`);
  }
  // The user's lexicon applies only when a data folder is named: measurements stay reproducible.
  const index = values['data-dir'] ? lexiconIndexOf(values['data-dir']) : undefined;
  const replacer = index ? lexiconReplacer(index) : undefined;
  const g2p = await createG2P({
    lexiconDir: lexicon === 'misaki' ? modelDir : undefined,
    // A named --lexicon lists what comes before the model; CMUdict after it is the app's default order.
    cmudict: values.lexicon === undefined || lexicon !== 'none',
    cmudictAfterModel: values.lexicon === undefined ? undefined : false,
    neural: values['no-model'] ? false : values.model ? true : undefined,
    user: index,
  });
  const vocab: Vocab | undefined = values.json ? await loadVocabIfPresent(modelDir) : undefined;

  for (const line of lines(await readInput())) {
    const words = await phonemizeText(line, lang, g2p, replacer);
    const phonemes = words.map((w) => w.phonemes).filter((p) => p !== '').join(' ');
    if (!values.json) {
      write(`${phonemes}\n`);
      continue;
    }
    const entry = {
      text: line,
      phonemes,
      words: words.map((w) => ({ text: w.text, start: w.start, end: w.end, phonemes: w.phonemes, ...(vocab ? { ids: phonemesToIds(w.phonemes, vocab).ids } : {}) })),
      ...(vocab ? { ids: phonemesToIds(phonemes, vocab).ids } : {}),
    };
    write(`${JSON.stringify(entry)}\n`);
  }
}

function lexiconIndexOf(dataDir: string): LexiconIndex {
  const library = openLibrary(dataDir);
  const index = sandboxedLexiconIndex(library.lexicon.list());
  library.close();
  return index;
}

async function loadVocabIfPresent(modelDir: string): Promise<Vocab | undefined> {
  for (const name of ['vocab.json', 'config.json']) {
    const path = join(modelDir, name);
    if (existsSync(path)) return loadVocab(path);
  }
  return undefined;
}
