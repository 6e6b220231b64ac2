import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkPlayer } from './chunk-player';
import { audioClock as clock, fakeChunk as chunk, installFakeAudioContext } from './testing/fake-web-audio';

let finished: number;
let starved: number;
let advanced: number[];
let player: ChunkPlayer;
let uninstall: () => void;

beforeEach(() => {
  uninstall = installFakeAudioContext();
  finished = 0;
  starved = 0;
  advanced = [];
  player = new ChunkPlayer({
    onFinished: () => finished++,
    onAdvance: (sequence) => advanced.push(sequence),
    onStarved: () => starved++,
  });
});

afterEach(() => uninstall());

describe('ChunkPlayer.cutAfter', () => {
  it('cuts a chunk of several sentences at the end of the one being heard and drops what follows', () => {
    player.enqueue(chunk(0, 0, 3));
    player.enqueue(chunk(1, 3, 2));
    const start = clock().sources[0]!.startAt;
    clock().advanceTo(start + 1.5);
    expect(player.position()?.sentence).toBe(1);

    expect(player.cutAfter(1)).toBe(true);
    // Sentence 1 ends 2 s into the first chunk: the source stops there, the second never plays.
    expect(clock().sources[0]!.stopAt).toBeCloseTo(start + 2);
    expect(clock().sources[1]!.stopAt).toBe(0);
    // Kept audio is not from the stream that follows: its sequence is not reported as progress.
    expect(player.position()).toMatchObject({ sentence: 1, sequence: -1 });

    // The next stream's first chunk goes right behind the cut, and counts from 0 again.
    player.enqueue(chunk(0, 2, 1));
    expect(clock().sources[2]!.startAt).toBeCloseTo(start + 2);
    clock().advanceTo(start + 2.5);
    expect(advanced).toEqual([]);
    expect(player.position()).toMatchObject({ sentence: 2, sequence: 0 });
    player.endOfStream();
    clock().advanceTo(start + 3.1);
    expect(advanced).toEqual([1]);
    expect(finished).toBe(1);
  });

  it('can cut again at the same place while the new stream has not arrived, and says when nothing of a sentence is queued', () => {
    player.enqueue(chunk(0, 0, 2));
    const start = clock().sources[0]!.startAt;
    clock().advanceTo(start + 0.5);
    expect(player.cutAfter(0)).toBe(true);
    expect(player.cutAfter(0)).toBe(true);
    expect(clock().sources[0]!.stopAt).toBeCloseTo(start + 1);
    clock().advanceTo(start + 1.2);
    // Sentence 0 has been heard in full and left the queue.
    expect(player.cutAfter(0)).toBe(false);
    expect(finished).toBe(0);
  });

  it('does not finish while a cut waits for the stream that follows it', () => {
    player.enqueue(chunk(0, 0, 2));
    player.endOfStream();
    const start = clock().sources[0]!.startAt;
    clock().advanceTo(start + 0.5);
    player.cutAfter(0);
    clock().advanceTo(start + 1.5);
    expect(finished).toBe(0);
    // Nothing sounds now: the reader is told, to say that speech is on its way.
    expect(starved).toBe(1);
    player.endOfStream();
    expect(finished).toBe(1);
  });
});

describe('ChunkPlayer volume', () => {
  it('plays every chunk through one gain set to the volume, changed at once and kept for a new context', () => {
    player.setVolume(0.4);
    player.enqueue(chunk(0, 0, 1));
    const gains = clock().gains;
    expect(gains).toHaveLength(1);
    expect(gains[0]?.gain.value).toBeCloseTo(0.4);
    player.setVolume(0.7);
    expect(gains[0]?.gain.value).toBeCloseTo(0.7);
    // Out of range is brought into it.
    player.setVolume(3);
    expect(gains[0]?.gain.value).toBe(1);
    player.setVolume(-1);
    expect(gains[0]?.gain.value).toBe(0);
    player.setVolume(0.25);
    player.enqueue({ ...chunk(1, 1, 1), sampleRate: 2000 });
    expect(clock().gains[0]?.gain.value).toBeCloseTo(0.25);
  });
});
