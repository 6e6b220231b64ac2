/** Builds the Kokoro engine for a model folder (the graphs are validated when they load). */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createG2P } from '../g2p/index';
import { FAST_INT8_RULE, KokoroGraphs } from './graphs';
import { MODEL_DIR_FILES, readHostFiles, readVocab } from './inspect';
import type { UserLexicon } from '../../../src-shared/g2p/index';
import type { KokoroHostOptions, KokoroPrecision } from '../../../src-shared/ipc/engine-config';
import { KokoroEngine } from './kokoro-engine';
import type { KokoroEngineHooks, KokoroResources } from './kokoro-engine';
import type { HostSettings } from './pipeline';
import { KokoroVoicePacks } from './voices';

/**
 * Sizes and times of the model files, the host settings, the precision and the G2P's version
 * (the neural model's sha256): a new download, setting or G2P model means new audio.
 */
export function modelVersionOf(dir: string, host: Omit<HostSettings, 'lLinear'>, g2pVersion: string, precision: KokoroPrecision = 'exact'): string {
  const files = MODEL_DIR_FILES.map((file) => {
    const info = statSync(join(dir, file));
    return `${file}:${info.size}:${Math.round(info.mtimeMs)}`;
  });
  // 'exact' adds nothing, so the audio cached before the setting existed stays valid.
  return JSON.stringify([files, host.stftPadding, host.inverse.kind, host.noise, g2pVersion, ...(precision === 'exact' ? [] : [precision, FAST_INT8_RULE])]);
}

export interface KokoroEngineOptions extends KokoroHostOptions {
  /** Where LiteRT's threaded loader may be copied (the user-data folder in the app). */
  cacheDir?: string;
  log?: (line: string) => void;
  /** The user's pronunciations (first layer of the G2P). */
  userLexicon?: UserLexicon;
  hooks?: KokoroEngineHooks;
  /** The vocoder's frame buckets (default VOCODER_BUCKETS; benchmarks compare others). */
  vocoderBuckets?: readonly number[];
}

/** Loads what the engine needs from a model folder: the three graphs (validated), host files, vocabulary and G2P. */
export async function loadKokoroResources(dir: string, options: KokoroEngineOptions = {}): Promise<KokoroResources> {
  const [graphs, hostFiles, vocab, g2p] = await Promise.all([
    KokoroGraphs.load(dir, {
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.precision ? { precision: options.precision } : {}),
      ...(options.vocoderBuckets ? { vocoderBuckets: options.vocoderBuckets } : {}),
    }),
    readHostFiles(dir),
    readVocab(dir),
    // misaki's lexicons live in the model folder when the model manager fetched them.
    createG2P({ lexiconDir: dir, user: options.userLexicon }),
  ]);
  const host: HostSettings = {
    lLinear: hostFiles.lLinear,
    stftPadding: 'reflect',
    inverse: options.inverse === 'bases' ? { kind: 'bases', bases: hostFiles.bases } : { kind: 'torch' },
    noise: options.noise ?? true,
  };
  return { graphs, g2p, vocab, host, modelVersion: modelVersionOf(dir, host, g2p.version, options.precision) };
}

export function createKokoroEngine(dir: string, options: KokoroEngineOptions = {}): KokoroEngine {
  return new KokoroEngine(() => loadKokoroResources(dir, options), new KokoroVoicePacks(), options.hooks ?? {});
}
