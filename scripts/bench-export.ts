/**
 * Encoding as a share of synthesis for a long book: npx tsx scripts/bench-export.ts [chapters] [sentences-per-chapter]
 * (`npm run bench:export` builds first).
 *
 * Speaks a generated book with eSpeak NG through the engine process (as the export job does,
 * without the audio cache), timing the synthesis; then feeds the same audio, chapter by chapter,
 * to each format's writer and times that alone. The export job overlaps the two (the AAC encoder
 * runs in a worker thread), so the shares printed are what encoding would add if it did not.
 * Goal (#13): under 5% for M4B.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChapterMark } from '../src-shared/export/types';
import { APP_SAMPLE_RATE } from '../src-shared/speech/types';
import type { SpeechSegment } from '../src-shared/speech/types';
import { batchSegments } from '../src-shared/speech/plan';
import { EngineSupervisor } from '../src-main/services/engine/engine-supervisor';
import { childProcessTransport } from '../src-main/services/engine/child-process-transport';
import { createAudioSink } from '../src-main/services/export/audio-sink';

const root = fileURLToPath(new URL('..', import.meta.url));
const chapterCount = Number(process.argv[2] ?? 10);
const sentencesPerChapter = Number(process.argv[3] ?? 120);

const engine = new EngineSupervisor(childProcessTransport(`${root}dist/engine/engine.mjs`), { config: {} });
await engine.ready();

// Synthesis: every chapter's sentences, in requests of 2,000 characters as the job makes them.
const chapters: Float32Array[][] = [];
const synthesisStart = performance.now();
for (let c = 0; c < chapterCount; c++) {
  let offset = 0;
  const segments: SpeechSegment[] = Array.from({ length: sentencesPerChapter }, (_, i) => {
    const text = `In chapter ${c + 1}, sentence ${i + 1} tells a little more of the long story.`;
    const segment = { sentence: i, start: offset, end: offset + text.length, text };
    offset += text.length + 1;
    return segment;
  });
  const audio: Float32Array[] = [];
  for (const batch of batchSegments(segments, 2000)) {
    await engine.request('synthesize', { engine: 'espeak', voice: 'gmw/en-US', speed: 1, segments: batch, background: true }, (chunk) => void audio.push(chunk.samples)).result;
  }
  chapters.push(audio);
}
const synthesisSeconds = (performance.now() - synthesisStart) / 1000;
engine.dispose();

const totalSamples = chapters.flat().reduce((sum, part) => sum + part.length, 0);
const audioMinutes = totalSamples / APP_SAMPLE_RATE / 60;
console.log(`synthesis (eSpeak NG): ${audioMinutes.toFixed(1)} min of audio in ${synthesisSeconds.toFixed(1)} s (${chapterCount} chapters)`);

const folder = await mkdtemp(join(tmpdir(), 'kokoro-bench-export-'));
for (const format of ['m4b', 'mp3', 'opus', 'flac', 'wav'] as const) {
  const outPath = join(folder, `book.${format}`);
  const start = performance.now();
  const sink = await createAudioSink({ format, outPath, metadata: { title: 'Bench', author: 'Bench' }, chapterCount, sampleRate: APP_SAMPLE_RATE });
  const marks: ChapterMark[] = [];
  let at = 0;
  for (const [c, parts] of chapters.entries()) {
    await sink.startChapter(c, `Chapter ${c + 1}`);
    const startSample = at;
    for (const part of parts) {
      await sink.append(part);
      at += part.length;
    }
    marks.push({ chapter: c, title: `Chapter ${c + 1}`, startSample, endSample: at });
  }
  const [file] = await sink.finish(marks);
  const seconds = (performance.now() - start) / 1000;
  const megabytes = file ? (await stat(file)).size / 1e6 : 0;
  console.log(`${format.padEnd(4)}: encoded in ${seconds.toFixed(2)} s = ${((100 * seconds) / synthesisSeconds).toFixed(1)}% of synthesis; ${megabytes.toFixed(1)} MB`);
}
await rm(folder, { recursive: true, force: true });
process.exit(0);
