/**
 * The engine process: the same code runs as an Electron utility process (messages through
 * `process.parentPort`) and as a Node child process (messages through `process.send`), so the
 * app, the CLI and the tests all exercise one engine. Storage (the audio cache, the user's
 * lexicon) comes in through `EnginePorts`, from the process entry in src-main/processes.
 */
import { toErrorData } from '../../src-shared/errors/catalogue';
import type { EngineToParent, ParentToEngine } from '../../src-shared/ipc/engine-protocol';
import { parseArgs } from 'node:util';
import { createEngineHost } from './engine-host';
import type { SpeechEngine } from './speech-engine';
import { EspeakEngine } from './espeak/espeak-engine';
import { createKokoroEngine } from './kokoro/create-engine';
import { modelPresence, modelPresenceError } from './kokoro/inspect';
import type { UnavailableEngine } from '../../src-shared/ipc/engine-protocol';
import type { ChunkCache } from './chunk-cache';
import { lexiconReplacer } from '../../src-shared/lexicon/index';
import type { LexiconEntry, LexiconIndex } from '../../src-shared/lexicon/index';

/** The user's lexicon as the engines use it: set from the library's entries, looked up per word and per text. */
export type EngineLexicon = Pick<LexiconIndex, 'lookup' | 'applyReplacements' | 'setEntries'>;

/** What the engine is given at start to reach storage. */
export interface EnginePorts {
  /** The audio cache of the data folder; none: every chunk is synthesised. */
  cache: ChunkCache | undefined;
  lexicon: EngineLexicon;
}

export type EngineLog = (line: string) => void;

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** Engine options as the app, the CLI and the tests pass them on the command line. */
export interface EngineOptions {
  modelDir?: string | undefined;
  dataDir?: string | undefined;
  cacheDir?: string | undefined;
  kokoroInverse?: string | undefined;
  kokoroNoise?: string | undefined;
}

/** Runs the engine process; `openPorts` gives it storage for its options. */
export function runEngineProcess(openPorts: (options: EngineOptions, log: EngineLog) => EnginePorts): void {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

  const send = (message: EngineToParent): void => {
    if (parentPort) parentPort.postMessage(message);
    else process.send?.(message);
  };

  // Options come as arguments from whoever started the engine (the app, the CLI, tests).
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'model-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      'cache-dir': { type: 'string' },
      'kokoro-inverse': { type: 'string' },
      'kokoro-noise': { type: 'string' },
    },
    strict: false,
  });
  const stringOption = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const options: EngineOptions = {
    modelDir: stringOption('model-dir'),
    dataDir: stringOption('data-dir'),
    cacheDir: stringOption('cache-dir'),
    kokoroInverse: stringOption('kokoro-inverse'),
    kokoroNoise: stringOption('kokoro-noise'),
  };

  const log = (line: string): void => void process.stderr.write(`engine: ${line}\n`);
  const { cache, lexicon } = openPorts(options, log);

  /** Kokoro first when its model is installed: the first engine listed gives the default voice. */
  const engines = new Map<string, SpeechEngine>();
  /** Said with `ready`, so that asking for a Kokoro voice names what is missing rather than "not installed". */
  const unavailable: UnavailableEngine[] = [];
  const { modelDir, cacheDir } = options;
  const presence = modelDir ? modelPresence(modelDir) : undefined;
  if (modelDir && presence?.state === 'installed') {
    engines.set(
      'kokoro',
      createKokoroEngine(modelDir, {
        inverse: options.kokoroInverse === 'bases' ? 'bases' : 'torch',
        noise: options.kokoroNoise !== 'off',
        ...(cacheDir ? { cacheDir } : {}),
        userLexicon: lexicon,
        hooks: { cache, log, replacer: lexiconReplacer(lexicon) },
      }),
    );
  } else {
    // Not logged: the app and the CLI tell the user, once, when it matters.
    unavailable.push({ engine: 'kokoro', error: modelPresenceError(modelDir, presence?.state === 'incomplete' ? presence : { state: 'absent' }) });
  }
  engines.set('espeak', new EspeakEngine(cache, lexiconReplacer(lexicon)));

  const handle = createEngineHost({
    engines,
    send,
    onLexicon: (entries) => lexicon.setEntries(entries as LexiconEntry[]),
    onFatal: () => setImmediate(() => process.exit(70)),
  });

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'object' || raw === null) return;
    void handle(raw as ParentToEngine);
  };

  if (parentPort) parentPort.on('message', (event) => onMessage(event.data));
  else if (process.send) {
    process.on('message', onMessage);
    // Ctrl+C in a terminal reaches the whole process group; the parent decides (and tells us by
    // disconnecting or SIGTERM), so the engine does not die under a CLI that is cancelling cleanly.
    process.on('SIGINT', () => undefined);
    // A child whose parent is gone has nobody to speak to.
    process.on('disconnect', () => {
      cache?.close();
      process.exit(0);
    });
  } else {
    process.stderr.write('The engine process must be started by the app or the CLI, not directly.\n');
    process.exit(2);
  }

  // Asked to stop (app quit, CLI done): close the cache cleanly, then go.
  process.once('SIGTERM', () => {
    cache?.close();
    process.exit(0);
  });

  // Warm the built-in voice before saying ready, so the first request does not pay for loading.
  void (async () => {
    try {
      await engines.get('espeak')?.voices();
      send({ event: 'ready', data: { pid: process.pid, engines: [...engines.keys()], unavailable } });
    } catch (thrown) {
      process.stderr.write(`engine failed to start: ${toErrorData(thrown).message}\n`);
      process.exit(1);
    }
  })();
}
