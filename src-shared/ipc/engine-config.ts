/**
 * How an engine process is set up: sent by the engine supervisor as the first message to every
 * process it starts, the same again after a crash. The app, the CLI and dev-web each build one.
 */
export interface EngineConfig {
  /** The Kokoro model folder; none, or an incomplete one: only eSpeak NG, with the reason. */
  modelDir?: string;
  /** The data folder whose audio cache the engine reads and fills; none: no cache. */
  dataDir?: string;
  /** A folder the engine may write caches to (LiteRT's threaded loader). */
  cacheDir?: string;
  kokoro?: KokoroHostOptions;
}

export interface KokoroHostOptions {
  /** 'torch' (default): exact torch.istft; 'bases': the shipped bases, as the graph export computes. */
  inverse?: 'torch' | 'bases';
  /** The source's noise and random phases (on, as in the model; tests may switch them off). */
  noise?: boolean;
}

/** The config as it arrived over IPC, checked field by field; throws naming the first wrong one. */
export function parseEngineConfig(raw: unknown): EngineConfig {
  const wrong = (field: string, expected: string): never => {
    throw new TypeError(`engine config: ${field} must be ${expected}`);
  };
  if (typeof raw !== 'object' || raw === null) return wrong('the config', 'an object');
  const { modelDir, dataDir, cacheDir, kokoro } = raw as Record<keyof EngineConfig, unknown>;
  const config: EngineConfig = {};
  for (const [field, value] of Object.entries({ modelDir, dataDir, cacheDir })) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') wrong(field, 'a folder path');
    config[field as 'modelDir' | 'dataDir' | 'cacheDir'] = value as string;
  }
  if (kokoro !== undefined) {
    if (typeof kokoro !== 'object' || kokoro === null) return wrong('kokoro', 'an object');
    const { inverse, noise } = kokoro as Record<keyof KokoroHostOptions, unknown>;
    if (inverse !== undefined && inverse !== 'torch' && inverse !== 'bases') wrong('kokoro.inverse', '"torch" or "bases"');
    if (noise !== undefined && typeof noise !== 'boolean') wrong('kokoro.noise', 'true or false');
    config.kokoro = { ...(inverse !== undefined ? { inverse: inverse as 'torch' | 'bases' } : {}), ...(noise !== undefined ? { noise: noise as boolean } : {}) };
  }
  return config;
}
