import { describe, expect, it } from 'vitest';
import { streamToPort } from '../../src-main/engine/audio-stream';
import type { AudioPortEnd } from '../../src-main/engine/audio-stream';
import type { SpeechEngine } from '../../src-main/engine/speech-engine';
import { AppError } from '../../src-shared/errors/catalogue';
import type { AudioMessage, PlaybackReport } from '../../src-shared/ipc/audio-port';
import { planSegments } from '../../src-shared/speech/plan';
import type { AudioChunk, SynthesisRequest } from '../../src-shared/speech/types';

/** An engine that makes one chunk per segment, as eSpeak does, yielding between chunks. */
function fakeEngine(options: { failAt?: number } = {}): SpeechEngine & { made: number } {
  const engine = {
    id: 'espeak' as const,
    made: 0,
    voices: () => Promise.resolve([]),
    async synthesize(request: SynthesisRequest, signal: AbortSignal, onChunk: (chunk: AudioChunk) => void) {
      let sequence = 0;
      for (const segment of request.segments) {
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) break;
        if (engine.made === options.failAt) throw AppError.of('ENGINE_FAILED', '(planted)');
        engine.made++;
        onChunk({ sequence: sequence++, sampleRate: 24000, samples: new Float32Array(240), sentences: [{ sentence: segment.sentence, startSample: 0, endSample: 240, start: segment.start, end: segment.end }], words: [] });
      }
      return { chunks: sequence, samples: sequence * 240, sampleRate: 24000 };
    },
  };
  return engine;
}

/** The window's end: what it received, and a way to report playback. */
function fakeWindow(): AudioPortEnd & { received: AudioMessage[]; play(sequence: number): void; waitFor(count: number): Promise<void>; goAway(): void } {
  const received: AudioMessage[] = [];
  let listener: ((report: PlaybackReport) => void) | undefined;
  let closed: (() => void) | undefined;
  let waiter: (() => void) | undefined;
  let latest = -1;
  return {
    received,
    playing: () => latest,
    onClose(next) {
      closed = next;
      return () => (closed = undefined);
    },
    goAway() {
      closed?.();
    },
    post(message) {
      received.push(message);
      waiter?.();
    },
    onReport(next) {
      listener = next;
      return () => (listener = undefined);
    },
    play(sequence) {
      latest = Math.max(latest, sequence);
      listener?.({ kind: 'playing', session: 's1', sequence });
    },
    async waitFor(count) {
      while (received.length < count) await new Promise<void>((resolve) => (waiter = resolve));
    },
  };
}

const segments = planSegments(Array.from({ length: 10 }, (_, i) => `Sentence ${i}.`).join(' '));
const request = { session: 's1', voice: 'v', speed: 1, segments, chunksAhead: 3, batchChars: 1, firstSequence: 0, final: true };
const chunkSequences = (messages: AudioMessage[]): number[] => messages.flatMap((m) => (m.kind === 'chunk' ? [m.chunk.sequence] : []));

describe('streamToPort (the engine side of a window’s audio channel)', () => {
  it('sends chunks in order, numbered across the session, never more than the credit ahead of playback', async () => {
    const engine = fakeEngine();
    const window = fakeWindow();
    const done = streamToPort(engine, request, window, new AbortController().signal);
    await window.waitFor(3);
    // Three ahead of "nothing playing yet", then it waits for the window.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(chunkSequences(window.received)).toEqual([0, 1, 2]);
    window.play(0);
    await window.waitFor(4);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(chunkSequences(window.received)).toEqual([0, 1, 2, 3]);
    // Then playback keeps up with what comes: each chunk is reported as it arrives.
    let finished = false;
    const summaryPromise = done.then((summary) => {
      finished = true;
      return summary;
    });
    while (!finished) {
      const last = chunkSequences(window.received).at(-1) ?? 0;
      window.play(last);
      await Promise.race([window.waitFor(last + 2), summaryPromise]);
    }
    const summary = await summaryPromise;
    expect(summary.chunks).toBe(10);
    expect(chunkSequences(window.received)).toEqual([...Array(10).keys()]);
    expect(window.received.at(-1)).toEqual({ kind: 'end', session: 's1', chunks: 10 });
  });

  it('posts nothing after a cancel, which takes effect within one chunk', async () => {
    const engine = fakeEngine();
    const window = fakeWindow();
    const controller = new AbortController();
    const done = streamToPort(engine, { ...request, chunksAhead: 100, batchChars: 1000 }, window, controller.signal);
    await window.waitFor(2);
    controller.abort();
    const madeAtCancel = engine.made;
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(engine.made - madeAtCancel).toBeLessThanOrEqual(1);
    expect(window.received.every((m) => m.kind === 'chunk')).toBe(true);
    expect(window.received).toHaveLength(madeAtCancel);
  });

  it('does not let a report of a chunk not yet sent lift the bound on reading ahead', async () => {
    const window = fakeWindow();
    const done = streamToPort(fakeEngine(), request, window, new AbortController().signal);
    await window.waitFor(3);
    // "Playing 1000" counts as "playing chunk 2", the last one sent: three more, no further.
    window.play(1000);
    await window.waitFor(6);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(chunkSequences(window.received)).toEqual([0, 1, 2, 3, 4, 5]);
    window.goAway();
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('reads a later window of a session on from its numbering and the playback already reported, ending it only when final', async () => {
    const window = fakeWindow();
    window.play(4);
    const first = await streamToPort(fakeEngine(), { ...request, segments: segments.slice(0, 2), firstSequence: 5, final: false }, window, new AbortController().signal);
    expect(first.chunks).toBe(2);
    expect(chunkSequences(window.received)).toEqual([5, 6]);
    expect(window.received.some((m) => m.kind === 'end')).toBe(false);
    await streamToPort(fakeEngine(), { ...request, segments: [], firstSequence: 7, final: true }, window, new AbortController().signal);
    expect(window.received.at(-1)).toEqual({ kind: 'end', session: 's1', chunks: 7 });
  });

  it('stops when the window’s channel goes away', async () => {
    const window = fakeWindow();
    const done = streamToPort(fakeEngine(), request, window, new AbortController().signal);
    await window.waitFor(3);
    window.goAway();
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(window.received.some((m) => m.kind === 'end' || m.kind === 'error')).toBe(false);
  });

  it('tells the window about a failure on the audio channel too', async () => {
    const window = fakeWindow();
    await expect(streamToPort(fakeEngine({ failAt: 2 }), { ...request, chunksAhead: 100 }, window, new AbortController().signal)).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    expect(window.received.at(-1)).toMatchObject({ kind: 'error', session: 's1', error: { code: 'ENGINE_FAILED' } });
  });
});
