/**
 * The engine process: the same code runs as an Electron utility process (messages through
 * `process.parentPort`) and as a Node child process (messages through `process.send`), so the
 * app, the CLI and the tests all exercise one engine. Its first message is the EngineConfig;
 * storage (the audio cache, the user's lexicon) comes in through `EnginePorts`, from the
 * process entry in src-main/processes.
 */
import { errorData, toErrorData } from '../../src-shared/errors/catalogue';
import { parseEngineConfig } from '../../src-shared/ipc/engine-config';
import type { EngineConfig } from '../../src-shared/ipc/engine-config';
import type { EngineToParent, ParentToEngine } from '../../src-shared/ipc/engine-protocol';
import { lexiconReplacer } from '../../src-shared/lexicon/index';
import { createEngineHost } from './engine-host';
import { lineUpEngines } from './engine-lineup';
import type { EnginePorts, EngineLog } from './engine-ports';
import { EspeakEngine } from './espeak/espeak-engine';
import { messagePortEnd, socketEnd } from './audio-port-ends';
import type { MessagePortMainLike, WindowAudioPort } from './audio-port-ends';
import { Socket } from 'node:net';

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports?: MessagePortMainLike[] }) => void): void;
  postMessage(message: unknown): void;
}

/** Runs the engine process; `openPorts` gives it storage for the config its parent sends first. */
export function runEngineProcess(openPorts: (config: EngineConfig, log: EngineLog) => EnginePorts): void {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  const send = (message: EngineToParent): void => {
    if (parentPort) parentPort.postMessage(message);
    else process.send?.(message);
  };
  const log: EngineLog = (line) => void process.stderr.write(`engine: ${line}\n`);
  let ports: EnginePorts | undefined;
  let handle: ((message: ParentToEngine) => Promise<void>) | undefined;
  /** Each window's audio channel (a new one replaces the window's previous one). */
  const audioPorts = new Map<string, WindowAudioPort>();
  const attachAudio = (client: string, port: WindowAudioPort | undefined): void => {
    if (!port) return log(`an audio channel for ${client} came without its port`);
    audioPorts.get(client)?.close();
    audioPorts.set(client, port);
    // A window that went away leaves nothing behind here.
    port.onClose(() => {
      if (audioPorts.get(client) === port) audioPorts.delete(client);
    });
  };

  const start = (config: EngineConfig): void => {
    const opened = openPorts(config, log);
    ports = opened;
    // One eSpeak NG for the life of the process: it is warm, and needs no model folder.
    const espeak = new EspeakEngine(opened.cache, lexiconReplacer(opened.lexicon));
    let lineup = lineUpEngines(config, opened, espeak, log);
    handle = createEngineHost({
      engines: () => lineup.engines,
      send,
      audioPort: (client) => audioPorts.get(client),
      onLexicon: (entries) => opened.lexicon.setEntries(entries),
      onReload: (params) => {
        // Kept for later reloads too: the parent sends a change once.
        if (params?.kokoro) config = { ...config, kokoro: { ...config.kokoro, ...params.kokoro } };
        const previous = lineup;
        lineup = lineUpEngines(config, opened, espeak, log);
        for (const [id, engine] of previous.engines) if (lineup.engines.get(id) !== engine) engine.retire?.();
        return { engines: [...lineup.engines.keys()], unavailable: lineup.unavailable };
      },
      onFatal: () => setImmediate(() => process.exit(70)),
    });
    // Warm the built-in voice before saying ready, so the first request does not pay for loading.
    void (async () => {
      try {
        await espeak.voices();
        send({ event: 'ready', data: { pid: process.pid, engines: [...lineup.engines.keys()], unavailable: lineup.unavailable } });
      } catch (thrown) {
        process.stderr.write(`engine failed to start: ${toErrorData(thrown).message}\n`);
        process.exit(1);
      }
    })();
  };

  /** `port`: what came with the message, a MessagePort (utility process) or a socket (child process). */
  const onMessage = (raw: unknown, port?: WindowAudioPort): void => {
    if (typeof raw !== 'object' || raw === null) return;
    const message = raw as ParentToEngine;
    if ('attachAudio' in message) {
      attachAudio(String(message.attachAudio.client), port);
      return;
    }
    if ('start' in message) {
      if (handle) return log('a second start message was ignored');
      try {
        start(parseEngineConfig(message.start));
      } catch (thrown) {
        process.stderr.write(`engine failed to start: ${toErrorData(thrown).message}\n`);
        process.exit(2);
      }
      return;
    }
    if (handle) void handle(message);
    else if ('id' in message) send({ id: message.id, error: errorData('ENGINE_UNAVAILABLE', '(the engine was sent a request before its config)') });
  };

  if (parentPort) parentPort.on('message', (event) => onMessage(event.data, event.ports?.[0] ? messagePortEnd(event.ports[0]) : undefined));
  else if (process.send) {
    process.on('message', (message, sendHandle) => onMessage(message, sendHandle instanceof Socket ? socketEnd(sendHandle) : undefined));
    // Ctrl+C in a terminal reaches the whole process group; the parent decides (and tells us by
    // disconnecting or SIGTERM), so the engine does not die under a CLI that is cancelling cleanly.
    process.on('SIGINT', () => undefined);
    // A child whose parent is gone has nobody to speak to.
    process.on('disconnect', () => {
      ports?.cache?.close();
      process.exit(0);
    });
  } else {
    process.stderr.write('The engine process must be started by the app or the CLI, not directly.\n');
    process.exit(2);
  }

  // Asked to stop (app quit, CLI done): close the cache cleanly, then go.
  process.once('SIGTERM', () => {
    ports?.cache?.close();
    process.exit(0);
  });
}
