import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { ReaderService } from '../../src-main/services/reader-service';
import type { ClientContext } from '../../src-main/services/reader-service';
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

const chunksOf = (events: Recorded[]): PushMap['speech:chunk'][] => events.filter((e) => e.event === 'speech:chunk').map((e) => e.data as PushMap['speech:chunk']);

describe('reader service', () => {
  it('reads from the requested sentence to the end, numbering chunks across the session', async () => {
    engine = startTestEngine();
    const reader = new ReaderService(engine, { batchChars: 20 });
    const client = recordingClient();
    const started = await reader.speak({ text: 'One. Two. Three. Four.', fromSentence: 1 }, client);
    expect(started.sentenceCount).toBe(3);
    await client.waitFor('speech:end');
    const chunks = chunksOf(client.events);
    expect(chunks.map((c) => c.chunk.sequence)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => c.chunk.sentences[0]?.sentence)).toEqual([1, 2, 3]);
    expect(client.events.at(-1)).toEqual({ event: 'speech:end', data: { session: started.session, chunks: 3 } });
  });

  it('stays a bounded number of chunks ahead of playback, and continues as playback reports progress', async () => {
    engine = startTestEngine();
    const reader = new ReaderService(engine, { chunksAhead: 2, batchChars: 1 });
    const client = recordingClient();
    const { session } = await reader.speak({ text: longText(10) }, client);
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
    engine = startTestEngine();
    const reader = new ReaderService(engine, { chunksAhead: 1000, batchChars: 200 });
    const client = recordingClient();
    await reader.speak({ text: longText(300) }, client);
    await client.waitFor('speech:chunk', 3);
    expect(reader.stop(client)).toBe(true);
    const count = client.events.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(client.events.length).toBe(count);
    const next = await reader.speak({ text: 'Right away.' }, client);
    await client.waitFor('speech:end');
    const last = chunksOf(client.events).at(-1);
    expect(last?.session).toBe(next.session);
  });

  it('answers bad input with catalogue errors and survives it', async () => {
    engine = startTestEngine();
    const reader = new ReaderService(engine);
    const client = recordingClient();
    const call = (params: unknown) => dispatch(reader.handlers, 'speech:speak', params, client);
    const codeOf = async (params: unknown) => {
      const result = await call(params);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await codeOf({ text: '' })).toBe('EMPTY_TEXT');
    expect(await codeOf({ text: ' \n\t  \u00a0 ' })).toBe('EMPTY_TEXT');
    expect(await codeOf({ text: '😀 🎉 👍🏽' })).toBe('NOTHING_SPEAKABLE');
    expect(await codeOf({ text: 42 })).toBe('INVALID_REQUEST');
    expect(await codeOf({ text: 'Hello.', speed: 9 })).toBe('INVALID_SPEED');
    expect(await codeOf({ text: 'Hello.', voice: 'espeak:nope' })).toBe('UNKNOWN_VOICE');
    expect((await dispatch(reader.handlers, 'no:such', null, client)).ok).toBe(false);

    // Binary garbage: whatever is speakable in it is spoken, the rest is skipped, nothing crashes.
    const garbage = String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 65536));
    expect(['ok', 'NOTHING_SPEAKABLE']).toContain(await codeOf({ text: garbage }));
    await client.waitFor('speech:chunk', 1);
    reader.stop(client);

    // One megabyte of text is planned and read from the start without waiting for the whole.
    const big = longText(14_000).slice(0, 1_000_000);
    expect(big.length).toBe(1_000_000);
    const bigClient = recordingClient('big');
    const started = await dispatch(reader.handlers, 'speech:speak', { text: big }, bigClient);
    expect(started.ok).toBe(true);
    await bigClient.waitFor('speech:chunk', 1);
    reader.stop(bigClient);

    // And the engine is still fine.
    const after = recordingClient('after');
    await reader.speak({ text: 'Still working.' }, after);
    await after.waitFor('speech:end');
  });
});
