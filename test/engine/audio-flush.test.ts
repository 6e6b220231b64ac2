import { describe, expect, it } from 'vitest';
import { socketEnd } from '../../src-main/engine/audio-port-ends';
import { streamToPort } from '../../src-main/engine/audio-stream';
import type { AudioPortEnd } from '../../src-main/engine/audio-stream';
import type { SpeechEngine } from '../../src-main/engine/speech-engine';
import { createSocketPair } from '../../src-main/platform/socket-pair';
import { FramedSocket } from '../../src-main/platform/framed-socket';
import { planSegments } from '../../src-shared/speech/plan';
import type { AudioChunk, SynthesisRequest } from '../../src-shared/speech/types';

const chunkOf = (sentence: number, samples: number): AudioChunk => ({ sequence: sentence, sampleRate: 24000, samples: new Float32Array(samples), sentences: [], words: [] });

describe('a chunk leaves the engine before the next synthesis starts', () => {
  it('a socket end is flushed only once the window has taken a large chunk', async () => {
    const [engineSide, windowSide] = await createSocketPair();
    windowSide.pause();
    const port = socketEnd(engineSide);
    // 8 MB: far more than a socket buffers, so part of it waits for the reader.
    port.post({ kind: 'chunk', session: 's', chunk: chunkOf(0, 2_000_000) });
    let flushed = false;
    const whenFlushed = port.flushed!().then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed).toBe(false);

    const arrived = new Promise<unknown>((resolve) => new FramedSocket(windowSide).onMessage(resolve));
    windowSide.resume();
    await whenFlushed;
    expect(await arrived).toMatchObject({ kind: 'chunk', session: 's' });
    engineSide.destroy();
    windowSide.destroy();
  });

  it('the engine goes on to the next chunk only after the port has flushed the last one', async () => {
    const events: string[] = [];
    const engine: SpeechEngine = {
      id: 'espeak',
      voices: () => Promise.resolve([]),
      async synthesize(request: SynthesisRequest, _signal: AbortSignal, onChunk) {
        for (const [index, segment] of request.segments.entries()) {
          events.push(`made ${index}`);
          await onChunk(chunkOf(segment.sentence, 240));
        }
        return { chunks: request.segments.length, samples: request.segments.length * 240, sampleRate: 24000 };
      },
    };
    /** One per flush asked for: calling it lets that flush finish. */
    const releases: (() => void)[] = [];
    const flushesAsked = async (count: number): Promise<void> => {
      while (releases.length < count) await new Promise((resolve) => setImmediate(resolve));
    };
    const port: AudioPortEnd = {
      post: (message) => void events.push(message.kind === 'chunk' ? `posted ${message.chunk.sequence}` : message.kind),
      flushed: () => new Promise<void>((resolve) => void releases.push(() => (events.push('flushed'), resolve()))),
      onReport: () => () => undefined,
      playing: () => 10,
      onClose: () => () => undefined,
    };
    const segments = planSegments('One. Two.');
    const done = streamToPort(engine, { session: 's', voice: 'v', speed: 1, segments, chunksAhead: 8, batchChars: 1000, firstSequence: 0, final: true }, port, new AbortController().signal);
    await flushesAsked(1);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['made 0', 'posted 0']);
    releases[0]!();
    await flushesAsked(2);
    releases[1]!();
    await done;
    expect(events).toEqual(['made 0', 'posted 0', 'flushed', 'made 1', 'posted 1', 'flushed', 'end']);
  });
});
