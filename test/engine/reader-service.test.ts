import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { ReaderService } from '../../src-main/services/reader-service';
import type { ReaderServiceOptions } from '../../src-main/services/reader-service';
import { ReadingTexts } from '../../src-main/services/reading-texts';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import type { AudioMessage, PlaybackReport } from '../../src-shared/ipc/audio-port';
import type { PastedText, PushChannel, PushMap } from '../../src-shared/ipc/contract';
import { FramedSocket } from '../../src-main/platform/framed-socket';
import { longText, startTestEngine } from '../helpers/engine';

let engine: EngineSupervisor | undefined;
afterEach(() => {
  engine?.dispose();
  engine = undefined;
});

/** A window as the reader service sees it: push events, and the audio that comes on its channel. */
interface TestWindow extends ClientContext {
  events: { event: PushChannel; data: unknown }[];
  audio: AudioMessage[];
  /** Reports playback on the audio channel (the engine's credit). */
  report(session: string, sequence: number): void;
  waitForAudio(until: (audio: AudioMessage[]) => boolean): Promise<void>;
}

/** A window with an audio channel to the engine, as the app and the bridge give one. */
function testWindow(id = 'test'): TestWindow {
  const events: { event: PushChannel; data: unknown }[] = [];
  const audio: AudioMessage[] = [];
  let channel: FramedSocket | undefined;
  let wake: (() => void) | undefined;
  const window: TestWindow = {
    id,
    events,
    audio,
    emit(event, data) {
      events.push({ event, data });
      // A failure main tells (the engine could not) counts as the channel's error.
      if (event === 'speech:error') audio.push({ kind: 'error', ...(data as PushMap['speech:error']) });
      wake?.();
    },
    report(session, sequence) {
      channel?.send({ kind: 'playing', session, sequence } satisfies PlaybackReport);
    },
    async waitForAudio(until) {
      while (!until(audio)) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
  engine?.attachAudio(id, (end) => {
    if (end.kind !== 'socket') throw new Error('the test engine gives sockets');
    channel = new FramedSocket(end.socket);
    channel.onMessage((message) => {
      audio.push(message as AudioMessage);
      wake?.();
    });
  });
  return window;
}

const chunksOf = (audio: AudioMessage[]) => audio.flatMap((m) => (m.kind === 'chunk' ? [m] : []));
const ended = (audio: AudioMessage[]): boolean => audio.some((m) => m.kind === 'end' || m.kind === 'error');

/** A reader service over the test engine, with its own store of texts. */
function readerWith(options: ReaderServiceOptions = {}): ReaderService {
  engine = startTestEngine();
  return new ReaderService(engine, new ReadingTexts(), options);
}

/** Registers a text for the client, as the window does on Play, and reads it. */
function speakText(reader: ReaderService, client: ClientContext, text: string, options: { fromSentence?: number; voice?: string; speed?: number } = {}) {
  const { textId } = reader.setText(text, client);
  return reader.speak({ textId, ...options }, client);
}

describe('reader service', () => {
  it('reads from the requested sentence to the end, numbering chunks across the session', async () => {
    const reader = readerWith({ batchChars: 20 });
    const client = testWindow();
    const started = await speakText(reader, client, 'One. Two. Three. Four.', { fromSentence: 1 });
    expect(started.sentenceCount).toBe(3);
    await client.waitForAudio(ended);
    const chunks = chunksOf(client.audio);
    expect(chunks.map((c) => c.chunk.sequence)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => c.chunk.sentences[0]?.sentence)).toEqual([1, 2, 3]);
    // The samples cross as Float32Arrays (structured clone), not as JSON.
    expect(chunks.every((c) => c.chunk.samples instanceof Float32Array && c.chunk.samples.length > 0)).toBe(true);
    expect(client.audio.at(-1)).toEqual({ kind: 'end', session: started.session, chunks: 3 });
    // Nothing of the audio went through main's push events.
    expect(client.events).toEqual([]);
  });

  it('reads a long text in windows of sentences, planned as reading gets there, numbered as one session', async () => {
    const reader = readerWith({ windowSentences: 3, chunksAhead: 2, batchChars: 1 });
    const client = testWindow();
    const asked: number[] = [];
    const request = engine?.request.bind(engine);
    if (!engine || !request) throw new Error('no engine');
    engine.request = ((method: string, params: { segments?: { sentence: number }[] }, ...rest: unknown[]) => {
      if (method === 'stream') asked.push(params.segments?.length ?? 0);
      return (request as (...args: unknown[]) => unknown)(method, params, ...rest);
    }) as typeof engine.request;
    const { session } = await speakText(reader, client, longText(8));
    let reported = -1;
    while (!ended(client.audio)) {
      await client.waitForAudio((audio) => ended(audio) || chunksOf(audio).length > reported + 1);
      reported = (chunksOf(client.audio).at(-1)?.chunk.sequence ?? -1);
      client.report(session, reported);
    }
    expect(asked).toEqual([3, 3, 2]);
    expect(chunksOf(client.audio).map((c) => c.chunk.sequence)).toEqual([...Array(8).keys()]);
    expect(chunksOf(client.audio).map((c) => c.chunk.sentences[0]?.sentence)).toEqual([...Array(8).keys()]);
    expect(client.audio.filter((m) => m.kind === 'end')).toEqual([{ kind: 'end', session, chunks: 8 }]);
  });

  it('stays within the credit the window gives: no chunk comes before playback has reached it', async () => {
    const reader = readerWith({ chunksAhead: 2, batchChars: 1 });
    const client = testWindow();
    const { session } = await speakText(reader, client, longText(10));
    // The window reports lazily, after a round trip to the engine: an engine that ignored the
    // credit would have sent chunks ahead by then.
    let reported = -1;
    const violations: string[] = [];
    while (!ended(client.audio)) {
      await client.waitForAudio((audio) => ended(audio) || chunksOf(audio).length > reported + 2);
      for (const chunk of chunksOf(client.audio)) if (chunk.chunk.sequence > reported + 2) violations.push(`chunk ${chunk.chunk.sequence} after report ${reported}`);
      await engine?.request('ping', null).result;
      if (ended(client.audio)) break;
      reported++;
      client.report(session, reported);
    }
    expect(violations).toEqual([]);
    expect(chunksOf(client.audio).map((c) => c.chunk.sequence)).toEqual([...Array(10).keys()]);
  });

  it('stop: nothing of the stopped session comes after the next one starts, which starts at once', async () => {
    const reader = readerWith({ chunksAhead: 1000, batchChars: 200 });
    const client = testWindow();
    const first = await speakText(reader, client, longText(300));
    await client.waitForAudio((audio) => chunksOf(audio).length >= 3);
    expect(reader.stop(client)).toBe(true);
    const next = await speakText(reader, client, 'Right away.');
    await client.waitForAudio((audio) => audio.some((m) => m.kind === 'end' && m.session === next.session));
    // The cancel reaches the engine before the next request, on one ordered path; what it had
    // sent before may still be on its way, but nothing after (the engine side is tested to stop
    // within one chunk in audio-stream.test.ts).
    const firstOfNext = client.audio.findIndex((m) => m.session === next.session);
    expect(client.audio.slice(firstOfNext).filter((m) => m.session === first.session)).toEqual([]);
    expect(client.audio.some((m) => m.kind === 'end' && m.session === first.session)).toBe(false);
    expect(chunksOf(client.audio).filter((c) => c.session === first.session).length).toBeLessThan(300);
  });

  it('gives the window a new audio channel when the engine restarts, and says that the session failed', async () => {
    const reader = readerWith({ chunksAhead: 2, batchChars: 1 });
    const client = testWindow();
    const first = await speakText(reader, client, longText(20));
    await client.waitForAudio((audio) => chunksOf(audio).length >= 1);
    const restarted = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (engine?.pid !== undefined && engine.pid !== pid) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const pid = engine?.pid ?? 0;
    process.kill(pid, 'SIGKILL');
    // The engine died mid-session: main says so, since the engine cannot.
    await client.waitForAudio((audio) => audio.some((m) => m.kind === 'error' && m.session === first.session));
    expect(client.audio.find((m) => m.kind === 'error')).toMatchObject({ error: { code: 'ENGINE_CRASHED' } });
    await restarted;
    const second = await speakText(reader, client, 'After the restart.');
    await client.waitForAudio((audio) => audio.some((m) => m.kind === 'end' && m.session === second.session));
  });

  it('answers bad input with catalogue errors and survives it', async () => {
    const reader = readerWith();
    const client = testWindow();
    const codeOf = async (text: unknown, options: Record<string, unknown> = {}) => {
      const set = await dispatch(reader.handlers, 'text:set', { text }, client);
      if (!set.ok) return set.error.code;
      const result = await dispatch(reader.handlers, 'speech:speak', { textId: (set.value as { textId: string }).textId, ...options }, client);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await codeOf('')).toBe('EMPTY_TEXT');
    expect(await codeOf(' \n\t  \u00a0 ')).toBe('EMPTY_TEXT');
    expect(await codeOf('😀 🎉 👍🏽')).toBe('NOTHING_SPEAKABLE');
    expect(await codeOf(42)).toBe('INVALID_REQUEST');
    expect(await codeOf('Hello.', { speed: 9 })).toBe('INVALID_SPEED');
    expect(await codeOf('Hello.', { voice: 'espeak:nope' })).toBe('UNKNOWN_VOICE');
    expect((await dispatch(reader.handlers, 'no:such', null, client)).ok).toBe(false);

    // Binary garbage: whatever is speakable in it is spoken, the rest is skipped, nothing crashes.
    const garbage = String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 65536));
    expect(['ok', 'NOTHING_SPEAKABLE']).toContain(await codeOf(garbage));
    await client.waitForAudio((audio) => chunksOf(audio).length >= 1 || ended(audio));
    reader.stop(client);

    // One megabyte of text is planned and read from the start without waiting for the whole.
    const big = longText(14_000).slice(0, 1_000_000);
    expect(big.length).toBe(1_000_000);
    const bigClient = testWindow('big');
    const started = await speakText(reader, bigClient, big);
    expect(started.sentenceCount).toBeGreaterThan(1000);
    await bigClient.waitForAudio((audio) => chunksOf(audio).length >= 1);
    reader.stop(bigClient);

    // And the engine is still fine.
    const after = testWindow('after');
    await speakText(reader, after, 'Still working.');
    await after.waitForAudio(ended);
    expect(after.audio.at(-1)?.kind).toBe('end');
  });

  it('reads only texts the client registered, by id, and forgets them when the client goes', async () => {
    const reader = readerWith();
    const owner = testWindow('owner');
    const other = testWindow('other');
    const { textId, sentences } = reader.setText('First one. Second one.', owner);
    expect(sentences.map((row) => [row.start, row.end])).toEqual([
      [0, 10],
      [11, 22],
    ]);
    const refused = await dispatch(reader.handlers, 'speech:speak', { textId }, other);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('TEXT_NOT_FOUND');
    // A new pasted text takes the place of the last.
    const second = reader.setText('Another.', owner);
    const replaced = await dispatch(reader.handlers, 'speech:speak', { textId }, owner);
    expect(replaced.ok ? 'ok' : replaced.error.code).toBe('TEXT_NOT_FOUND');
    reader.disconnect(owner);
    const gone = await dispatch(reader.handlers, 'speech:speak', { textId: second.textId }, owner);
    expect(gone.ok ? 'ok' : gone.error.code).toBe('TEXT_NOT_FOUND');
  });

  it('holds a sample (a voice preview, a word to hear) beside the pasted text, not in its place', async () => {
    const reader = readerWith();
    const owner = testWindow('owner');
    const pasted = await dispatch(reader.handlers, 'text:set', { text: 'The text being read.' }, owner);
    const sample = await dispatch(reader.handlers, 'text:set', { text: 'Hello!', sample: true }, owner);
    const again = await dispatch(reader.handlers, 'text:set', { text: 'Hello again!', sample: true }, owner);
    if (!pasted.ok || !sample.ok || !again.ok) throw new Error('text:set failed');
    const idOf = (value: unknown): string => (value as PastedText).textId;
    const speak = async (textId: string) => {
      const result = await dispatch(reader.handlers, 'speech:speak', { textId }, owner);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await speak(idOf(pasted.value))).toBe('ok');
    expect(await speak(idOf(again.value))).toBe('ok');
    // A new sample replaces the last sample only.
    expect(await speak(idOf(sample.value))).toBe('TEXT_NOT_FOUND');
    reader.stop(owner);
  });

  it('checks every channel\'s params against its schema before the handler runs, with the field named', async () => {
    const reader = readerWith();
    const client = testWindow();
    const refused = await dispatch(reader.handlers, 'speech:speak', { textId: 't1', fromSentence: -2 }, client);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', data: { channel: 'speech:speak' } } });
    expect(refused.ok ? '' : refused.error.message).toContain('(speech:speak: fromSentence: ');
    const missing = await dispatch(reader.handlers, 'speech:speak', { fromSentence: 1 }, client);
    expect(missing.ok ? '' : missing.error.message).toContain('textId');
    expect((await dispatch(reader.handlers, 'speech:stop', 'all', client)).ok).toBe(false);
  });
});
