/**
 * Kokoro's voices: the 54 voice packs that npm `kokoro-js` ships as `voices/NAME.bin`, each
 * 510 rows x 256 float32 (little-endian). A voice is Kokoro's `ref_s` input: one row, chosen by
 * the length of the utterance. Blends ("af_heart*0.6+bf_emma*0.4") mix packs before the row is taken.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { BoundedCache } from '../../../src-shared/cache/bounded-cache';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { VoiceInfo } from '../../../src-shared/speech/types';

/** Rows of a pack: one per utterance length of 1..510 phonemes. */
export const VOICE_ROWS = 510;
/** Values of a style vector (128 for the decoder, then 128 for the prosody predictor). */
export const STYLE_SIZE = 256;
export const VOICE_PACK_BYTES = VOICE_ROWS * STYLE_SIZE * 4;

const LANGUAGES: Record<string, { tag: string; name: string }> = {
  a: { tag: 'en-US', name: 'American English' },
  b: { tag: 'en-GB', name: 'British English' },
  e: { tag: 'es', name: 'Spanish' },
  f: { tag: 'fr-FR', name: 'French' },
  h: { tag: 'hi-IN', name: 'Hindi' },
  i: { tag: 'it-IT', name: 'Italian' },
  j: { tag: 'ja-JP', name: 'Japanese' },
  p: { tag: 'pt-BR', name: 'Brazilian Portuguese' },
  z: { tag: 'zh-CN', name: 'Mandarin Chinese' },
};

/** "af_heart": language letter, gender letter, underscore, name. */
const VOICE_NAME = /^([a-z])([fm])_([a-z0-9]+)$/;

export interface KokoroVoiceInfo extends VoiceInfo {
  engine: 'kokoro';
  /** The pack name without the engine prefix, e.g. "af_heart". */
  voice: string;
  gender: 'female' | 'male';
  languageName: string;
}

export interface VoicePart {
  voice: string;
  weight: number;
}

export interface KokoroVoice {
  /** Canonical spec, e.g. "af_heart" or "af_heart*0.6+bf_emma*0.4". */
  spec: string;
  id: string;
  /** The packs mixed, with weights normalised to sum to 1. */
  parts: VoicePart[];
  /** VOICE_ROWS x STYLE_SIZE values, row-major. */
  pack: Float32Array;
}

let defaultDir: string | undefined;

/**
 * The `voices` folder of the installed kokoro-js. Its package.json is not in the package's
 * `exports`, so when resolving it is refused, the package entry is resolved instead and the
 * package folder found above it.
 */
export function kokoroVoicesDir(): string {
  if (defaultDir !== undefined) return defaultDir;
  let root: string;
  try {
    const resolver = createRequire(import.meta.url);
    try {
      root = dirname(resolver.resolve('kokoro-js/package.json'));
    } catch {
      let dir = dirname(resolver.resolve('kokoro-js'));
      while (parse(dir).base !== 'kokoro-js' && dirname(dir) !== dir) dir = dirname(dir);
      root = dir;
    }
  } catch (thrown) {
    const why = thrown instanceof Error ? (thrown.message.split('\n')[0] ?? '') : String(thrown);
    throw AppError.of('VOICE_PACK_INVALID', `(the kokoro-js package was not found: ${why})`);
  }
  defaultDir = join(root, 'voices');
  return defaultDir;
}

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Describes a pack name; undefined when it does not follow Kokoro's naming. */
export function describeKokoroVoice(voice: string): KokoroVoiceInfo | undefined {
  const match = VOICE_NAME.exec(voice);
  if (!match) return undefined;
  const [, lang = '', gender = '', name = ''] = match;
  const language = LANGUAGES[lang] ?? { tag: 'und', name: 'unknown language' };
  const genderName = gender === 'f' ? 'female' : 'male';
  return {
    id: `kokoro:${voice}`,
    engine: 'kokoro',
    voice,
    name: `${titleCase(name)} (${language.name}, ${genderName})`,
    language: language.tag,
    gender: genderName,
    languageName: language.name,
  };
}

const listCache = new Map<string, KokoroVoiceInfo[]>();

/** Every voice pack in the folder (default: kokoro-js's), sorted by name. */
export function listKokoroVoices(dir: string = kokoroVoicesDir()): KokoroVoiceInfo[] {
  const cached = listCache.get(dir);
  if (cached) return cached;
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (thrown) {
    throw AppError.of('VOICE_PACK_INVALID', `(cannot read ${dir}: ${(thrown as NodeJS.ErrnoException).code ?? String(thrown)})`, { dir });
  }
  const voices = files
    .filter((file) => file.endsWith('.bin'))
    .map((file) => describeKokoroVoice(file.slice(0, -'.bin'.length)))
    .filter((info): info is KokoroVoiceInfo => info !== undefined)
    .sort((a, b) => (a.voice < b.voice ? -1 : a.voice > b.voice ? 1 : 0));
  listCache.set(dir, voices);
  return voices;
}

function badBlend(spec: string, why: string): never {
  throw AppError.of('INVALID_VOICE_BLEND', `(${why} in "${spec}")`, { spec });
}

const WEIGHT = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Parses "af_heart", "kokoro:af_heart" or "af_heart*0.6+bf_emma*0.4" (a part without `*w`
 * weighs 1). Checks the syntax only; loadVoice checks that the voices exist.
 */
export function parseVoiceSpec(spec: string): VoicePart[] {
  const body = spec.trim().replace(/^kokoro:/, '');
  if (body.trim() === '') badBlend(spec, 'no voice given');
  return body.split('+').map((raw) => {
    const part = raw.trim();
    if (part === '') badBlend(spec, 'an empty part');
    const pieces = part.split('*');
    if (pieces.length > 2) badBlend(spec, `more than one "*" in "${part}"`);
    const voice = (pieces[0] ?? '').trim();
    if (voice === '') badBlend(spec, `no voice name in "${part}"`);
    if (pieces.length === 1) return { voice, weight: 1 };
    const weightText = (pieces[1] ?? '').trim();
    const weight = Number(weightText);
    if (!WEIGHT.test(weightText) || !Number.isFinite(weight) || weight <= 0) badBlend(spec, `bad weight "${weightText}" (a positive number is needed)`);
    return { voice, weight };
  });
}

function decodePack(bytes: Uint8Array, voice: string): Float32Array {
  if (bytes.byteLength !== VOICE_PACK_BYTES) throw AppError.of('VOICE_PACK_INVALID', `(${voice}.bin has ${bytes.byteLength} bytes, expected ${VOICE_PACK_BYTES})`, { voice });
  // DataView with an explicit byte order: correct on any host, and the copy is aligned.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(VOICE_ROWS * STYLE_SIZE);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

const packCache = new Map<string, Promise<Float32Array>>();

function unknownVoice(voice: string, dir: string): AppError {
  const known = listKokoroVoices(dir);
  return AppError.of('UNKNOWN_VOICE', `("${voice}" is not one of the ${known.length} Kokoro voices, e.g. af_heart, bf_emma)`, { voice });
}

/** One pack, read once per process. */
async function loadPack(voice: string, dir: string): Promise<Float32Array> {
  // Only names from the listing are read: a spec can never name a path.
  if (!listKokoroVoices(dir).some((v) => v.voice === voice)) throw unknownVoice(voice, dir);
  const key = join(dir, `${voice}.bin`);
  let pending = packCache.get(key);
  if (!pending) {
    pending = readFile(key).then((bytes) => decodePack(bytes, voice));
    packCache.set(key, pending);
    pending.catch(() => packCache.delete(key));
  }
  return pending;
}

function formatWeight(weight: number): string {
  return String(Number(weight.toFixed(6)));
}

/**
 * Loads a voice or a blend. A blend is the weighted mean of the packs: the weights are divided by
 * their sum. kokoro's own pipeline averages the packs of a comma-separated voice list (equal
 * weights summing to 1), and KOKORO.md defines a blend as the weighted mean; without normalising,
 * "af_heart+bf_emma" would double the style vector, far outside what the model was trained on.
 * Weights that already sum to 1 give exactly the weighted sum.
 */
export async function loadVoice(spec: string, options: { dir?: string } = {}): Promise<KokoroVoice> {
  const dir = options.dir ?? kokoroVoicesDir();
  const parsed = parseVoiceSpec(spec);
  // The same voice named twice counts once, with the weights added.
  const merged = new Map<string, number>();
  for (const part of parsed) merged.set(part.voice, (merged.get(part.voice) ?? 0) + part.weight);
  const packs = await Promise.all([...merged.keys()].map((voice) => loadPack(voice, dir)));
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  const parts = [...merged.entries()].map(([voice, weight]) => ({ voice, weight: weight / total }));
  const only = packs[0];
  if (parts.length === 1 && only) {
    const voice = parts[0]?.voice ?? '';
    return { spec: voice, id: `kokoro:${voice}`, parts, pack: only };
  }
  const pack = new Float32Array(VOICE_ROWS * STYLE_SIZE);
  packs.forEach((source, k) => {
    const weight = parts[k]?.weight ?? 0;
    for (let i = 0; i < pack.length; i++) pack[i] = (pack[i] ?? 0) + weight * (source[i] ?? 0);
  });
  const canonical = parts.map((p) => `${p.voice}*${formatWeight(p.weight)}`).join('+');
  return { spec: canonical, id: `kokoro:${canonical}`, parts, pack };
}

/**
 * The style vector (ref_s) for an utterance of `phonemeCount` phonemes, not counting the two
 * bounding 0 ids: row `phonemeCount - 1`, clamped to the pack, as the reference Python does
 * (kokoro-js takes row `phonemeCount`; we follow the reference). A copy, so callers may keep it.
 */
export function styleFor(voice: KokoroVoice, phonemeCount: number): Float32Array {
  if (!Number.isFinite(phonemeCount)) throw AppError.of('INVALID_REQUEST', `(phoneme count ${phonemeCount})`);
  const row = Math.min(Math.max(Math.trunc(phonemeCount) - 1, 0), VOICE_ROWS - 1);
  return voice.pack.slice(row * STYLE_SIZE, (row + 1) * STYLE_SIZE);
}

/**
 * The voices as the Kokoro engine consumes them: `list()` and `style(spec, phonemeCount)`.
 * Blends are kept (a few) so a long reading does not mix the packs again for every chunk.
 */
export class KokoroVoicePacks {
  private readonly voices: BoundedCache<string, Promise<KokoroVoice>>;

  constructor(
    private readonly dir: string = kokoroVoicesDir(),
    maxBlends = 16,
  ) {
    this.voices = new BoundedCache(maxBlends);
  }

  list(): Promise<VoiceInfo[]> {
    return Promise.resolve(listKokoroVoices(this.dir));
  }

  voice(spec: string): Promise<KokoroVoice> {
    return this.voices.getOrCompute(spec, () => {
      const pending = loadVoice(spec, { dir: this.dir });
      // A failed load is not remembered: the next call tries again.
      pending.catch(() => this.voices.delete(spec));
      return pending;
    });
  }

  async style(spec: string, phonemeCount: number): Promise<Float32Array> {
    return styleFor(await this.voice(spec), phonemeCount);
  }
}
