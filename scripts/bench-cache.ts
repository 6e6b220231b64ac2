/**
 * Audio cache benchmark: npx tsx scripts/bench-cache.ts [entries]
 *
 * Prints (no assertions):
 * - the audio encodings compared on a 12.8 s chunk (307,200 samples) of real speech: eSpeak
 *   through the project's CLI when it is built, else a synthetic vowel-like signal;
 * - time to first audio for that chunk when cached: request (cache key from phoneme ids) to
 *   decoded Float32Array samples; the goal is under 50 ms;
 * - put and get throughput (entries/s, MB/s).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeWav } from '../src-shared/audio/wav';
import { AudioCache, AudioEncoding, cacheKey, decodeAudio, encodeAudio } from '../src-main/services/library/index';
import type { AudioWithTimings } from '../src-main/services/library/index';

const CHUNK_SAMPLES = 307_200; // 12.8 s at 24 kHz
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'kr-bench-cache-'));
const entries = Number(process.argv[2] ?? 40);

const TEXT =
  'It was a bright cold day in April, and the clocks were striking thirteen. Winston Smith, his chin nuzzled into his breast ' +
  'in an effort to escape the vile wind, slipped quickly through the glass doors of Victory Mansions, though not quickly enough ' +
  'to prevent a swirl of gritty dust from entering along with him. The hallway smelt of boiled cabbage and old rag mats.';

function speech(): { samples: Float32Array; source: string } {
  const cli = join(root, 'bin', 'kokoro-reader.js');
  if (existsSync(join(root, 'dist', 'cli', 'cli.js'))) {
    try {
      const wav = join(work, 'speech.wav');
      execFileSync(process.execPath, [cli, 'speak', TEXT, '--out', wav], { stdio: 'pipe' });
      return { samples: fit(decodeWav(readFileSync(wav)).samples), source: 'eSpeak NG via the CLI' };
    } catch (thrown) {
      console.log(`(the CLI could not synthesise: ${(thrown as Error).message.split('\n')[0]}; using a synthetic signal)`);
    }
  }
  // Vowel-like: a 120 Hz glottal pulse train through two formants, in syllables with pauses.
  const out = new Float32Array(CHUNK_SAMPLES);
  let f1 = 0;
  let f2 = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / 24_000;
    const envelope = Math.max(0, Math.sin(Math.PI * ((t * 4) % 1))) * (Math.floor(t * 4) % 7 === 6 ? 0 : 1);
    const pulse = (i % 200) < 8 ? 1 : 0;
    f1 = 0.96 * f1 + 0.2 * pulse * Math.cos((2 * Math.PI * 700 * i) / 24_000);
    f2 = 0.93 * f2 + 0.1 * pulse * Math.cos((2 * Math.PI * 1200 * i) / 24_000);
    out[i] = 0.6 * envelope * (f1 + f2);
  }
  return { samples: out, source: 'synthetic formant signal (the CLI is not built)' };
}

/** Repeats or trims to exactly one 12.8 s chunk. */
function fit(samples: Float32Array): Float32Array {
  const out = new Float32Array(CHUNK_SAMPLES);
  for (let i = 0; i < out.length; i += samples.length) out.set(samples.subarray(0, Math.min(samples.length, out.length - i)), i);
  return out;
}

/** The same speech with full float mantissas, as a neural vocoder produces (3-tap filter). */
function offGrid(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = 0.93 * (0.25 * (samples[i - 1] ?? 0) + 0.5 * (samples[i] ?? 0) + 0.25 * (samples[i + 1] ?? 0));
  return out;
}

function pcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.round(Math.max(-1, Math.min(1, samples[i] ?? 0)) * 32767);
  return out;
}

function deltaPlanes(samples: Float32Array): Uint8Array {
  const v = pcm16(samples);
  const n = v.length;
  const out = new Uint8Array(n * 2);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const d = ((v[i] ?? 0) - prev) & 0xffff;
    prev = v[i] ?? 0;
    out[i] = d & 0xff;
    out[n + i] = d >> 8;
  }
  return out;
}

function xorPlanes(samples: Float32Array): Uint8Array {
  const u = new Uint32Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
  const n = u.length;
  const out = new Uint8Array(n * 4);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const x = ((u[i] ?? 0) ^ prev) >>> 0;
    prev = u[i] ?? 0;
    for (let b = 0; b < 4; b++) out[b * n + i] = (x >>> (8 * b)) & 0xff;
  }
  return out;
}

function time<T>(fn: () => T, runs = 5): { value: T; ms: number } {
  let value = fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { value, ms: times[Math.floor(times.length / 2)] ?? 0 };
}

function chunkOf(samples: Float32Array): AudioWithTimings {
  // Timing tables of realistic size: ~9 tokens and ~2.5 words a second.
  const tokens = new Int32Array(2 * 115);
  for (let i = 0; i < 115; i++) [tokens[2 * i], tokens[2 * i + 1]] = [i * 2671, (i + 1) * 2671];
  const words = Array.from({ length: 32 }, (_, i) => ({ startSample: i * 9600, endSample: (i + 1) * 9600, start: i * 6, end: i * 6 + 5 }));
  return { sampleRate: 24_000, samples, words, sentences: [{ sentence: 0, startSample: 0, endSample: samples.length, start: 0, end: 200 }], tokenSpans: tokens };
}

function encodingTable(name: string, samples: Float32Array): void {
  console.log(`\n${name}: ${samples.length} samples (${(samples.length / 24_000).toFixed(1)} s); bytes/sample, encode ms, decode ms`);
  const row = (label: string, encode: () => Uint8Array, decode?: (b: Uint8Array) => unknown): void => {
    const e = time(encode);
    const d = decode ? time(() => decode(e.value)).ms.toFixed(1) : '-';
    console.log(`  ${label.padEnd(44)} ${(e.value.length / samples.length).toFixed(3).padStart(6)}  ${e.ms.toFixed(1).padStart(6)}  ${d.padStart(6)}`);
  };
  const audio = chunkOf(samples);
  row('float32 raw (codec Float32)', () => encodeAudio(audio, AudioEncoding.Float32), (b) => decodeAudio(b));
  row('pcm16 raw (codec Pcm16)', () => encodeAudio(audio, AudioEncoding.Pcm16), (b) => decodeAudio(b));
  row('deflate(pcm16) l1', () => deflateRawSync(pcm16(samples), { level: 1 }), (b) => inflateRawSync(b));
  row('deflate(pcm16 delta, planes) l1 (CHOSEN)', () => encodeAudio(audio, AudioEncoding.Pcm16DeltaDeflate), (b) => decodeAudio(b));
  row('deflate(pcm16 delta, planes) l6', () => deflateRawSync(deltaPlanes(samples), { level: 6 }), (b) => inflateRawSync(b));
  row('deflate(float32) l6', () => deflateRawSync(samples, { level: 6 }), (b) => inflateRawSync(b));
  row('deflate(float32 xor-delta, planes) l6', () => deflateRawSync(xorPlanes(samples), { level: 6 }), (b) => inflateRawSync(b));
  row('brotli q5 (pcm16 delta, planes)', () => brotliCompressSync(deltaPlanes(samples), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }), (b) => brotliDecompressSync(b));
}

function main(): void {
  const { samples, source } = speech();
  console.log(`Audio: ${source}`);
  encodingTable('Speech as synthesised (16-bit source)', samples);
  encodingTable('Same speech off the 16-bit grid (like a neural vocoder)', offGrid(samples));

  const cache = AudioCache.open({ dataDir: work });
  const audio = chunkOf(offGrid(samples));
  const ids = Array.from({ length: 230 }, (_, i) => (i * 37) % 178);
  const request = { engine: 'kokoro', modelVersion: 'bench', voice: 'af_heart*0.6+bf_emma*0.4', speed: 1, ids };
  cache.put(cacheKey(request), audio);

  // Time to first audio: from the request (key from the phoneme ids) to decoded samples.
  const firstAudio: number[] = [];
  for (let r = 0; r < 30; r++) {
    const t0 = performance.now();
    const got = cache.get(cacheKey(request));
    firstAudio.push(performance.now() - t0);
    if (got?.samples.length !== CHUNK_SAMPLES) throw new Error('cache miss in the benchmark');
  }
  firstAudio.sort((a, b) => a - b);
  cache.close();
  const reopened = AudioCache.open({ dataDir: work });
  const t0 = performance.now();
  reopened.get(cacheKey(request));
  const afterOpen = performance.now() - t0;
  console.log(
    `\nTime to first audio, cached 12.8 s chunk (307,200 samples), request -> decoded samples:` +
      `\n  median ${firstAudio[15]?.toFixed(2)} ms, p95 ${firstAudio[28]?.toFixed(2)} ms, first get after reopening ${afterOpen.toFixed(2)} ms (goal < 50 ms)`,
  );

  // Throughput with distinct 12.8 s chunks (rotated speech, so each compresses like speech).
  const chunks = Array.from({ length: entries }, (_, i) => {
    const rotated = new Float32Array(CHUNK_SAMPLES);
    const shift = (i * 24_071) % CHUNK_SAMPLES;
    rotated.set(audio.samples.subarray(shift));
    rotated.set(audio.samples.subarray(0, shift), CHUNK_SAMPLES - shift);
    return { ...audio, samples: rotated };
  });
  const keys = chunks.map((_, i) => cacheKey({ ...request, ids: [...ids, i] }));
  const tPut = performance.now();
  let stored = 0;
  chunks.forEach((c, i) => (stored += reopened.put(keys[i] ?? '', c).bytes));
  const putMs = performance.now() - tPut;
  const tGet = performance.now();
  for (const k of keys) reopened.get(k);
  const getMs = performance.now() - tGet;
  const pcmMb = (entries * CHUNK_SAMPLES * 4) / 1e6;
  const storedMb = stored / 1e6;
  console.log(`\nThroughput, ${entries} entries of 12.8 s (${storedMb.toFixed(1)} MB stored, ${pcmMb.toFixed(1)} MB as float32):`);
  console.log(`  put: ${((entries / putMs) * 1000).toFixed(1)} entries/s, ${((storedMb / putMs) * 1000).toFixed(1)} MB/s stored (${((pcmMb / putMs) * 1000).toFixed(1)} MB/s float32 audio)`);
  console.log(`  get: ${((entries / getMs) * 1000).toFixed(1)} entries/s, ${((storedMb / getMs) * 1000).toFixed(1)} MB/s stored (${((pcmMb / getMs) * 1000).toFixed(1)} MB/s float32 audio)`);

  const tCheck = performance.now();
  reopened.db.connection.pragma('integrity_check');
  console.log(`\nintegrity_check of the ${storedMb.toFixed(1)} MB cache file: ${(performance.now() - tCheck).toFixed(0)} ms`);
  reopened.close();
}

try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
