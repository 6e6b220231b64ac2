import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { ReaderService } from '../../src-main/services/reader-service';
import type { ReaderServiceOptions } from '../../src-main/services/reader-service';
import { ReadingTexts } from '../../src-main/services/reading-texts';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import type { PushChannel, PushMap } from '../../src-shared/ipc/contract';
import { longText, startTestEngine } from '../helpers/engine';

let engine: EngineSupervisor | undefined;
afterEach(() => {
  engine?.dispose();
  engine = undefined;
});

interface Recorded {
  event: PushChannel;
  data: PushMap[PushChannel];
}

function recordingClient(id = 'test'): ClientContext & { events: Recorded[]; waitFor(event: PushChannel, count?: number): Promise<void> } {
  const events: Recorded[] = [];
  const waiters: (() => void)[] = [];
  return {
    id,
    events,
    emit(event, data) {
      events.push({ event, data });
      for (const wake of waiters.splice(0)) wake();
    },
    async waitFor(event, count = 1) {
      const deadline = Date.now() + 20_000;
      while (events.filter((e) => e.event === event).length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} × ${event}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

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

const chunksOf = (events: Recorded[]): PushMap['speech:chunk'][] => events.filter((e) => e.event === 'speech:chunk').map((e) => e.data as PushMap['speech:chunk']);

describe('reader service', () => {
  it('reads from the requested sentence to the end, numbering chunks across the session', async () => {
    const reader = readerWith({ batchChars: 20 });
    const client = recordingClient();
    const started = await speakText(reader, client, 'One. Two. Three. Four.', { fromSentence: 1 });
    expect(started.sentenceCount).toBe(3);
    await client.waitFor('speech:end');
    const chunks = chunksOf(client.events);
    expect(chunks.map((c) => c.chunk.sequence)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => c.chunk.sentences[0]?.sentence)).toEqual([1, 2, 3]);
    expect(client.events.at(-1)).toEqual({ event: 'speech:end', data: { session: started.session, chunks: 3 } });
  });

  it('stays a bounded number of chunks ahead of playback, and continues as playback reports progress', async () => {
    const reader = readerWith({ chunksAhead: 2, batchChars: 1 });
    const client = recordingClient();
    const { session } = await speakText(reader, client, longText(10));
    await client.waitFor('speech:chunk', 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(chunksOf(client.events)).toHaveLength(2);
    await reader.handlers['speech:progress']({ session, playingSequence: 1 }, client);
    await client.waitFor('speech:chunk', 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(chunksOf(client.events)).toHaveLength(4);
    reader.stop(client);
  });

  it('stop: no chunk is emitted after it returns, and the next speak starts at once', async () => {
    const reader = readerWith({ chunksAhead: 1000, batchChars: 200 });
    const client = recordingClient();
    await speakText(reader, client, longText(300));
    await client.waitFor('speech:chunk', 3);
    expect(reader.stop(client)).toBe(true);
    const count = client.events.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(client.events.length).toBe(count);
    const next = await speakText(reader, client, 'Right away.');
    await client.waitFor('speech:end');
    const last = chunksOf(client.events).at(-1);
    expect(last?.session).toBe(next.session);
  });

  it('answers bad input with catalogue errors and survives it', async () => {
    const reader = readerWith();
    const client = recordingClient();
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
    await client.waitFor('speech:chunk', 1);
    reader.stop(client);

    // One megabyte of text is planned and read from the start without waiting for the whole.
    const big = longText(14_000).slice(0, 1_000_000);
    expect(big.length).toBe(1_000_000);
    const bigClient = recordingClient('big');
    const started = await speakText(reader, bigClient, big);
    expect(started.sentenceCount).toBeGreaterThan(1000);
    await bigClient.waitFor('speech:chunk', 1);
    reader.stop(bigClient);

    // And the engine is still fine.
    const after = recordingClient('after');
    await speakText(reader, after, 'Still working.');
    await after.waitFor('speech:end');
  });

  it('reads only texts the client registered, by id, and forgets them when the client goes', async () => {
    const reader = readerWith();
    const owner = recordingClient('owner');
    const other = recordingClient('other');
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

  it('checks every channel\'s params against its schema before the handler runs, with the field named', async () => {
    const reader = readerWith();
    const client = recordingClient();
    const refused = await dispatch(reader.handlers, 'speech:speak', { textId: 't1', fromSentence: -2 }, client);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', data: { channel: 'speech:speak' } } });
    expect(refused.ok ? '' : refused.error.message).toContain('(speech:speak: fromSentence: ');
    const missing = await dispatch(reader.handlers, 'speech:speak', { fromSentence: 1 }, client);
    expect(missing.ok ? '' : missing.error.message).toContain('textId');
    expect((await dispatch(reader.handlers, 'speech:stop', 'all', client)).ok).toBe(false);
  });
});
