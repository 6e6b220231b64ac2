import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NeuralG2P, readNeuralG2PWeights, type CmuDict, type MisakiDict, type MisakiLexiconData, type Vocab } from '../../../src-shared/g2p/index';

/** File names as misaki and Kokoro publish them (the model manager keeps them). */
export const VOCAB_FILE = 'vocab.json';
export const US_GOLD_FILE = 'us_gold.json';
export const US_SILVER_FILE = 'us_silver.json';

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** Kokoro's symbol -> id table, from a `vocab.json` or Kokoro `config.json` file, or a folder holding a vocab.json. */
export async function loadVocab(pathOrDir: string): Promise<Vocab> {
  const path = (await isDirectory(pathOrDir)) ? join(pathOrDir, VOCAB_FILE) : pathOrDir;
  let data = await readJson(path);
  // Kokoro's config.json carries the table under "vocab"; a vocab.json is the table itself.
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && typeof (data as { vocab?: unknown }).vocab === 'object') {
    data = (data as { vocab: unknown }).vocab;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`${path}: expected an object of symbol -> id`);
  }
  const vocab: Record<string, number> = {};
  for (const [sym, id] of Object.entries(data)) {
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new Error(`${path}: id of ${JSON.stringify(sym)} is not an integer`);
    vocab[sym] = id;
  }
  return vocab;
}

function checkDict(path: string, data: unknown): MisakiDict {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`${path}: expected an object of word -> phonemes`);
  }
  return data as MisakiDict;
}

/**
 * misaki's American lexicons from a folder: `us_gold.json` (required) and `us_silver.json`
 * (optional). Resolves to undefined when the folder has no gold lexicon, so callers can
 * fall back to CMUdict and eSpeak.
 */
export async function loadMisakiLexicon(
  dir: string,
  options: { silver?: boolean } = {},
): Promise<MisakiLexiconData | undefined> {
  const goldPath = join(dir, US_GOLD_FILE);
  if (!(await exists(goldPath))) return undefined;
  const gold = checkDict(goldPath, await readJson(goldPath));
  const silverPath = join(dir, US_SILVER_FILE);
  const silver =
    options.silver !== false && (await exists(silverPath)) ? checkDict(silverPath, await readJson(silverPath)) : undefined;
  return { gold, silver };
}

let cmuPromise: Promise<CmuDict> | undefined;

/** CMUdict from the npm package (ESM, ~135k words); loaded once per process. */
export function loadCmuDict(): Promise<CmuDict> {
  cmuPromise ??= import('cmu-pronouncing-dictionary').then((m) => m.dictionary as CmuDict);
  return cmuPromise;
}

/** The neural G2P's files (scripts/g2p-model/train.py writes them; models/g2p/README.md). */
export const NEURAL_G2P_HEADER = 'g2p-en-us.json';
export const NEURAL_G2P_WEIGHTS = 'g2p-en-us.bin';

/**
 * The committed weights' folder: models/g2p in the repository (src-main/engine/g2p is three
 * levels down), or dist/models/g2p beside a built bundle (dist/engine, dist/cli).
 */
export function bundledNeuralG2PDir(): string | undefined {
  // A CommonJS bundle (main) has no import.meta.url; __filename exists there.
  let dir = dirname(import.meta.url ? fileURLToPath(import.meta.url) : __filename);
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'models', 'g2p');
    if (existsSync(join(candidate, NEURAL_G2P_HEADER))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

const neuralByDir = new Map<string, Promise<NeuralG2P>>();

/** The neural G2P from a folder holding g2p-en-us.json + .bin; loaded once per folder and process. */
export function loadNeuralG2P(dir: string): Promise<NeuralG2P> {
  let loading = neuralByDir.get(dir);
  if (!loading) {
    loading = (async () => {
      const headerPath = join(dir, NEURAL_G2P_HEADER);
      const [header, bin] = await Promise.all([readJson(headerPath), readFile(join(dir, NEURAL_G2P_WEIGHTS))]);
      try {
        const weights = readNeuralG2PWeights(header, bin);
        // The header's sha256 is the model's version in the audio cache key: it must be the weights'.
        const actual = createHash('sha256').update(bin).digest('hex');
        if (actual !== weights.header.sha256) {
          throw new Error(`${NEURAL_G2P_WEIGHTS} has sha256 ${actual}, the header says ${weights.header.sha256}: the two files are from different trainings (rerun npm run train:g2p)`);
        }
        return new NeuralG2P(weights);
      } catch (err) {
        throw new Error(`${headerPath}: ${(err as Error).message}`, { cause: err });
      }
    })();
    loading.catch(() => neuralByDir.delete(dir));
    neuralByDir.set(dir, loading);
  }
  return loading;
}
