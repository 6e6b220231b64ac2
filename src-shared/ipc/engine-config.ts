import { z } from 'zod';

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
  /** 'exact' (default): the graphs as downloaded, fp32; 'fast': the vocoder's heavy convolutions with int8 weights. */
  precision?: KokoroPrecision;
}

export const KOKORO_PRECISIONS = ['exact', 'fast'] as const;
export type KokoroPrecision = (typeof KOKORO_PRECISIONS)[number];
/** Whether a stored or typed value (a setting, a CLI flag) names a precision. */
export const isKokoroPrecision = (value: unknown): value is KokoroPrecision => (KOKORO_PRECISIONS as readonly unknown[]).includes(value);

const folder = z.string({ error: 'must be a folder path' }).min(1, { error: 'must be a folder path' });

/** The one schema of the config (the interfaces above are what it produces). */
const ENGINE_CONFIG_SCHEMA = z.object(
  {
    modelDir: folder.optional(),
    dataDir: folder.optional(),
    cacheDir: folder.optional(),
    kokoro: z
      .object(
        {
          inverse: z.enum(['torch', 'bases'], { error: 'must be "torch" or "bases"' }).optional(),
          noise: z.boolean({ error: 'must be true or false' }).optional(),
          precision: z.enum(KOKORO_PRECISIONS, { error: 'must be "exact" or "fast"' }).optional(),
        },
        { error: 'must be an object' },
      )
      .optional(),
  },
  { error: 'must be an object' },
) satisfies z.ZodType<EngineConfig>;

/** The config as it arrived over IPC, checked; throws naming the first wrong field. */
export function parseEngineConfig(raw: unknown): EngineConfig {
  const checked = ENGINE_CONFIG_SCHEMA.safeParse(raw);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'the config';
  throw new TypeError(`engine config: ${field} ${issue?.message ?? 'is malformed'}`);
}
