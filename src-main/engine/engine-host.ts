import { AppError, toErrorData } from '../../src-shared/errors/catalogue';
import type { EngineMethods, EngineToParent, OfferedEngines, ParentToEngine } from '../../src-shared/ipc/engine-protocol';
import type { LexiconEntry } from '../../src-shared/lexicon/types';
import { streamToPort } from './audio-stream';
import type { AudioPortEnd } from './audio-stream';
import type { SpeechEngine } from './speech-engine';
import { ForegroundGate } from './foreground-gate';

export interface EngineHostOptions {
  /** The engines offered now (a reload may change them). */
  engines: () => ReadonlyMap<string, SpeechEngine>;
  send: (message: EngineToParent) => void;
  /** A window's audio channel, by the client id it was attached for. */
  audioPort?: (client: string) => AudioPortEnd | undefined;
  /** The user's lexicon arrived (entries as the library stores them). */
  onLexicon: (entries: LexiconEntry[]) => void;
  /** Re-read the model folder (with Kokoro's options changed, when given); answers what is offered now. */
  onReload: (params: EngineMethods['reload']['params']) => OfferedEngines;
  /** The process cannot be trusted any more (a wasm trap, an exhausted heap): end it, so a fresh one starts. */
  onFatal: () => void;
}

/**
 * The request side of the engine process: runs each request against the engines, streams
 * chunks, honours cancels, and answers with a result or error data. Transport-free, so it is
 * tested in-process.
 */
export function createEngineHost(options: EngineHostOptions): (message: ParentToEngine) => Promise<void> {
  const { send } = options;
  const running = new Map<number, AbortController>();
  const foreground = new ForegroundGate();

  return async (message) => {
    if ('cancel' in message) {
      running.get(message.cancel)?.abort();
      return;
    }
    // The process entry's own: the config before the host exists, and the windows' channels.
    if ('start' in message || 'attachAudio' in message) return;
    const { id } = message;
    const engines = options.engines();
    const controller = new AbortController();
    running.set(id, controller);
    try {
      let result: unknown;
      switch (message.method) {
        case 'lexicon':
          options.onLexicon(message.params.entries);
          result = null;
          break;
        case 'reload':
          result = options.onReload(message.params);
          break;
        case 'ping':
          result = { pid: process.pid, engines: [...engines.keys()] };
          break;
        case 'voices': {
          const lists = await Promise.all([...engines.values()].map((engine) => engine.voices()));
          result = lists.flat();
          break;
        }
        case 'stream': {
          const { engine: engineId, client, ...request } = message.params;
          const engine = engines.get(engineId);
          if (!engine) throw AppError.of('UNKNOWN_VOICE', `(no engine "${engineId}")`);
          const port = options.audioPort?.(client);
          if (!port) throw AppError.of('ENGINE_UNAVAILABLE', '(the window has no audio channel to the engine yet)');
          result = await streamToPort(engine, request, port, controller.signal, foreground);
          break;
        }
        case 'synthesize': {
          const engine = engines.get(message.params.engine);
          if (!engine) throw AppError.of('UNKNOWN_VOICE', `(no engine "${message.params.engine}")`);
          const { background, ...request } = message.params;
          const signal = controller.signal;
          if (background) await foreground.idle(signal);
          result = await engine.synthesize(request, signal, async (chunk) => {
            send({ event: 'chunk', id, data: chunk });
            if (background) await foreground.idle(signal);
          });
          if (controller.signal.aborted) throw AppError.of('CANCELLED');
          break;
        }
        default:
          throw AppError.of('UNKNOWN_METHOD', `(${(message as { method?: unknown }).method as string})`);
      }
      send({ id, result });
    } catch (thrown) {
      const error = toErrorData(thrown);
      send({ id, error });
      // After a wasm trap or an exhausted heap the runtime cannot be trusted, and its heap never
      // shrinks: only a fresh process frees it. The answer above is sent first.
      if (error.code === 'OUT_OF_MEMORY' || error.data?.restart === true) options.onFatal();
    } finally {
      running.delete(id);
    }
  };
}
