import type { EngineConfig } from '../../src-shared/ipc/engine-config';
import type { UnavailableEngine } from '../../src-shared/ipc/engine-protocol';
import { lexiconReplacer } from '../../src-shared/lexicon/index';
import type { EnginePorts, EngineLog } from './engine-ports';
import type { EspeakEngine } from './espeak/espeak-engine';
import { createKokoroEngine } from './kokoro/create-engine';
import { modelPresence, modelPresenceError } from './kokoro/inspect';
import type { SpeechEngine } from './speech-engine';

/** The engines a process offers, and those it cannot offer with the reason and fix. */
export interface EngineLineup {
  /** Kokoro first when its model is installed: the first engine listed gives the default voice. */
  engines: Map<string, SpeechEngine>;
  /** Said with `ready`, so that asking for a Kokoro voice names what is missing rather than "not installed". */
  unavailable: UnavailableEngine[];
}

/** Reads the model folder and lines up Kokoro (when its model is complete) before the built-in eSpeak NG. */
export function lineUpEngines(config: EngineConfig, ports: EnginePorts, espeak: EspeakEngine, log: EngineLog): EngineLineup {
  const engines = new Map<string, SpeechEngine>();
  const unavailable: UnavailableEngine[] = [];
  const { modelDir, cacheDir } = config;
  const presence = modelDir ? modelPresence(modelDir) : undefined;
  if (modelDir && presence?.state === 'installed') {
    engines.set(
      'kokoro',
      createKokoroEngine(modelDir, {
        ...config.kokoro,
        ...(cacheDir ? { cacheDir } : {}),
        userLexicon: ports.lexicon,
        hooks: { cache: ports.cache, log, replacer: lexiconReplacer(ports.lexicon) },
      }),
    );
  } else {
    // Not logged: the app and the CLI tell the user, once, when it matters.
    unavailable.push({ engine: 'kokoro', error: modelPresenceError(modelDir, presence?.state === 'incomplete' ? presence : { state: 'absent' }) });
  }
  engines.set('espeak', espeak);
  return { engines, unavailable };
}
