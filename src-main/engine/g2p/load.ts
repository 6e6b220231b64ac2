import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CmuDict, MisakiDict, MisakiLexiconData, Vocab } from '../../../src-shared/g2p/index';

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
