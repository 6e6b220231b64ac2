// Runs the audio sink from a bundle built like dist/ (see built-sink.test.ts), in a process of
// its own so that it can run under a file size limit. Prints one JSON line: the paths written,
// or the error's code, and what the folder holds afterwards.
// Usage: node sink-child.mjs BUNDLE FORMAT OUT_PATH SECONDS
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';

const [bundle, format, outPath, seconds] = process.argv.slice(2);
const { createAudioSink } = bundle.endsWith('.cjs') ? createRequire(import.meta.url)(bundle) : await import(bundle);
const rate = 24000;
const titles = ['One', 'Two – Über'];
let result;
try {
  const sink = await createAudioSink({ format, outPath, metadata: { title: 'Built', author: 'Bundle' }, chapterCount: titles.length, sampleRate: rate });
  const perChapter = Math.round((Number(seconds) * rate) / titles.length);
  const marks = [];
  for (const [index, title] of titles.entries()) {
    await sink.startChapter(index, title);
    const samples = new Float32Array(perChapter).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 330 * (index + 1) * i) / rate));
    for (let from = 0; from < samples.length; from += 4800) await sink.append(samples.subarray(from, from + 4800));
    marks.push({ chapter: index, title, startSample: index * perChapter, endSample: (index + 1) * perChapter });
  }
  result = { paths: await sink.finish(marks) };
} catch (error) {
  result = { code: error.code ?? null, message: error.message };
}
console.log(JSON.stringify({ ...result, left: readdirSync(dirname(outPath)).sort() }));
