/**
 * `kokoro-reader export` end to end with the built-in voice: the files players and readers get,
 * checked with ffprobe/ffmpeg and by opening the EPUB; cancel, resume from the audio cache, and
 * the one-line refusals that leave nothing behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEpub } from '../import/fixtures';
import { CLI_BIN, requireBuild } from '../helpers/paths';
import { decodedSamples, probe } from '../helpers/media-probe';

/** A real 1×1 PNG, for the cover. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const TITLES = ['The Start', 'Chapitre deux — l’été', 'The End'];
const SENTENCES = [
  ['It was a bright cold day.', 'The clocks were striking.', 'Nobody was about.'],
  ['Summer came early that year.', 'The fields turned gold.'],
  ['And so it ended.', 'Everyone went home.', 'The lights went out.'],
];

let dir: string;
let book: string;

function freshDir(): string {
  return mkdtempSync(join(dir, 'run-'));
}

function cli(args: string[], dataDir = freshDir()) {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args, '--data-dir', dataDir], { encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function writeBook(path: string, chapters: string[][], titles: string[]): Promise<void> {
  const files = chapters.map((sentences, i) => ({ name: `c${i + 1}.xhtml`, body: `<h1>${titles[i]}</h1>${sentences.map((s) => `<p>${s}</p>`).join('')}` }));
  const toc = files.map((file, i) => ({ title: titles[i] ?? '', href: file.name }));
  writeFileSync(path, await makeEpub({ title: 'A Small Book', author: 'Ann Author', files, toc, cover: true, extra: { 'OEBPS/cover.png': PNG_1X1 } }));
}

/** Files left in a folder besides the ones named: a partial file would show here. */
function leftovers(folder: string, expected: string[]): string[] {
  return readdirSync(folder).filter((name) => !expected.includes(name));
}

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'kokoro-export-cli-'));
  book = join(dir, 'book.epub');
  await writeBook(book, SENTENCES, TITLES);
});

describe('kokoro-reader export', () => {
  it('writes an M4B with a chapter mark per chapter, tags and cover, and a WebVTT beside it', () => {
    const out = join(freshDir(), 'book.m4b');
    const run = cli(['export', book, '--format', 'm4b', '--subtitles', 'vtt', '--out', out]);
    expect(run.stderr).not.toMatch(/kokoro-reader:/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([out, out.replace(/\.m4b$/, '.vtt')]);

    const media = probe(out);
    expect(media.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '24000', channels: 1 });
    expect(media.chapters.map((c) => c.tags?.title)).toEqual(TITLES);
    const duration = Number(media.format.duration);
    expect(Number(media.chapters[0]?.start_time)).toBe(0);
    for (let i = 1; i < media.chapters.length; i++) expect(Number(media.chapters[i]?.start_time)).toBeCloseTo(Number(media.chapters[i - 1]?.end_time), 3);
    expect(Number(media.chapters.at(-1)?.end_time)).toBeCloseTo(duration, 1);
    expect(media.format.tags).toMatchObject({ title: 'A Small Book', artist: 'Ann Author' });
    // The cover travels as an attached picture stream.
    expect(media.streams.some((s) => s.codec_type === 'video' && s.codec_name === 'png')).toBe(true);

    // One cue per sentence, in order, inside the audio, each with its sentence's text.
    const vtt = readFileSync(out.replace(/\.m4b$/, '.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const cues = [...vtt.matchAll(/(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n([^\n]+)/g)].map((m) => ({
      start: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000,
      end: Number(m[5]) * 3600 + Number(m[6]) * 60 + Number(m[7]) + Number(m[8]) / 1000,
      text: m[9],
    }));
    expect(cues.map((c) => c.text)).toEqual(SENTENCES.flatMap((sentences, i) => [TITLES[i], ...sentences]));
    for (let i = 0; i < cues.length; i++) {
      const cue = cues[i];
      if (!cue) continue;
      expect(cue.end).toBeGreaterThan(cue.start);
      expect(cue.end).toBeLessThanOrEqual(duration + 0.001);
      if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(cues[i - 1]?.end ?? 0);
    }
  });

  it('writes MP3, Opus, FLAC and WAV that decode to the same length, the format taken from the ending', () => {
    const folder = freshDir();
    const lengths = new Map<string, number>();
    for (const ending of ['wav', 'mp3', 'opus', 'flac']) {
      const out = join(folder, `book.${ending}`);
      const run = cli(['export', book, '--out', out], folder);
      expect(run.stderr).not.toMatch(/kokoro-reader:/);
      expect(run.code).toBe(0);
      lengths.set(ending, decodedSamples(out));
    }
    const wav = lengths.get('wav') ?? 0;
    expect(wav).toBeGreaterThan(24000);
    // Within 50 ms: MP3 carries no gapless tag, so its decoder adds a frame's delay.
    for (const ending of ['mp3', 'opus', 'flac']) expect(Math.abs((lengths.get(ending) ?? 0) - wav)).toBeLessThanOrEqual(1200);
  });

  it('writes a read-along EPUB whose overlays point at its own text and audio', async () => {
    const out = join(freshDir(), 'read-along.epub');
    const run = cli(['export', book, '--format', 'epub', '--out', out]);
    expect(run.stderr).not.toMatch(/kokoro-reader:/);
    expect(run.code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const names = Object.keys(zip.files);
    const smil = names.filter((n) => n.endsWith('.smil'));
    expect(smil).toHaveLength(3);
    const opfName = names.find((n) => n.endsWith('.opf')) ?? '';
    const opf = (await zip.file(opfName)?.async('string')) ?? '';
    expect(opf.match(/media-overlay="/g)).toHaveLength(3);
    expect(opf).toMatch(/property="media:duration"/);
    expect(names.some((n) => n.endsWith('.mp3'))).toBe(true);
    // The source book itself carries the overlays (readalong-source.ts), not a book made anew.
    expect(names.filter((n) => n.endsWith('.xhtml') && !n.includes('read-along/')).sort()).toEqual(Object.keys((await JSZip.loadAsync(readFileSync(book))).files).filter((n) => n.endsWith('.xhtml')).sort());
    expect(smil.every((n) => n.includes('read-along/'))).toBe(true);
  });

  it('exports only the chapters asked for', () => {
    const out = join(freshDir(), 'two.m4b');
    const run = cli(['export', book, '--chapters', '1,3', '--out', out]);
    expect(run.code).toBe(0);
    expect(probe(out).chapters.map((c) => c.tags?.title)).toEqual([TITLES[0], TITLES[2]]);
  });

  it('prints progress as plain lines when stderr is piped', () => {
    const run = cli(['export', book, '--out', join(freshDir(), 'p.wav')]);
    expect(run.code).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('chapter '));
    expect(lines[0]).toMatch(/^chapter 1\/3 \(The Start\): \d+%/);
    expect(lines.at(-1)).toMatch(/^chapter 3\/3 \(The End\): 100%/);
    expect(run.stderr).not.toContain('\r');
  });

  describe('stopped and run again', () => {
    /** A book long enough that a stop lands mid-way: 3 chapters of 40 sentences. */
    async function longBook(): Promise<string> {
      const path = join(freshDir(), 'long.epub');
      const chapters = [0, 1, 2].map((c) => Array.from({ length: 40 }, (_, i) => `Chapter ${c + 1} says sentence number ${i + 1} aloud.`));
      await writeBook(path, chapters, ['One', 'Two', 'Three']);
      return path;
    }

    /** Starts an export and stops it with `signal` once it reports being in the second chapter. */
    function stopMidWay(input: string, out: string, dataDir: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI_BIN, 'export', input, '--out', out, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        let sent = false;
        child.stderr.on('data', (data: Buffer) => {
          stderr += data.toString();
          if (!sent && /^chapter 2\/3/m.test(stderr)) {
            sent = true;
            child.kill(signal);
          }
        });
        child.on('close', (code) => resolve({ code, stderr }));
      });
    }

    function counts(stderr: string): { spoken: number; cached: number } {
      const m = /(\d+) chunks spoken, (\d+) from the audio cache/.exec(stderr);
      if (!m) throw new Error(`no summary in: ${stderr}`);
      return { spoken: Number(m[1]), cached: Number(m[2]) };
    }

    it('Ctrl+C stops with exit 130, one line, and no file; a second run takes what was spoken from the cache', async () => {
      const input = await longBook();
      const folder = freshDir();
      const dataDir = freshDir();
      const out = join(folder, 'long.m4b');
      const stopped = await stopMidWay(input, out, dataDir, 'SIGINT');
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(/export stopped; nothing was written/);
      expect(readdirSync(folder)).toEqual([]);

      const again = cli(['export', input, '--out', out], dataDir);
      expect(again.code).toBe(0);
      const second = counts(again.stderr);
      // Everything of the first chapter was cached before the stop; only the rest was spoken.
      expect(second.cached).toBeGreaterThanOrEqual(40);
      expect(second.spoken).toBeGreaterThan(0);
      const third = counts(cli(['export', input, '--out', join(folder, 'again.m4b')], dataDir).stderr);
      expect(third).toEqual({ spoken: 0, cached: second.spoken + second.cached });
    }, 600_000);

    it('after a kill (no chance to clean up), the next run removes the dead run\'s partial file and completes', async () => {
      const input = await longBook();
      const folder = freshDir();
      const dataDir = freshDir();
      const out = join(folder, 'long.m4b');
      const killed = await stopMidWay(input, out, dataDir, 'SIGKILL');
      expect(killed.code).toBe(null);
      const again = cli(['export', input, '--out', out], dataDir);
      expect(again.code).toBe(0);
      expect(counts(again.stderr).cached).toBeGreaterThan(0);
      expect(readdirSync(folder)).toEqual(['long.m4b']);
    }, 600_000);
  });

  describe('refusals: one line, no file', () => {
    it('a target that cannot be written', () => {
      const folder = freshDir();
      const notAFolder = join(folder, 'file.txt');
      writeFileSync(notAFolder, 'x');
      const run = cli(['export', book, '--out', join(notAFolder, 'book.m4b')]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/kokoro-reader: .*(cannot|could not).*write/i);
      expect(leftovers(folder, ['file.txt'])).toEqual([]);
    });

    it('a target in a read-only folder (when not root)', () => {
      if (process.getuid?.() === 0) return; // root writes anywhere; the case above covers the error
      const folder = freshDir();
      chmodSync(folder, 0o555);
      const run = cli(['export', book, '--out', join(folder, 'book.m4b')]);
      expect(run.code).toBe(1);
      chmodSync(folder, 0o755);
      expect(readdirSync(folder)).toEqual([]);
    });

    it('a chapter with nothing to read, named by number', async () => {
      const path = join(freshDir(), 'code.epub');
      // The second chapter holds only a code listing, which is shown but not read.
      writeFileSync(
        path,
        await makeEpub({
          title: 'Code',
          files: [
            { name: 'a.xhtml', body: '<h1>Prose</h1><p>Words to read.</p>' },
            { name: 'b.xhtml', body: '<pre><code>x = 1</code></pre>' },
          ],
          toc: [
            { title: 'Prose', href: 'a.xhtml' },
            { title: 'Listing', href: 'b.xhtml' },
          ],
        }),
      );
      const folder = freshDir();
      const run = cli(['export', path, '--chapters', '2', '--out', join(folder, 'x.m4b')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/nothing to read aloud.*chapter 2, "Listing".*--chapters/);
      expect(readdirSync(folder)).toEqual([]);
    });

    it('options that do not fit the format, and a name that does not fit it', () => {
      const folder = freshDir();
      const epubWithSubtitles = cli(['export', book, '--format', 'epub', '--subtitles', 'srt', '--out', join(folder, 'b.epub')]);
      expect(epubWithSubtitles.code).toBe(1);
      expect(epubWithSubtitles.stderr).toMatch(/read-along EPUB carries its own sentence timings/);
      const mismatch = cli(['export', book, '--format', 'm4b', '--out', join(folder, 'b.mp3')]);
      expect(mismatch.code).toBe(1);
      expect(mismatch.stderr).toMatch(/m4b is written as \.m4b or \.m4a or \.mp4/);
      const perChapterM4b = cli(['export', book, '--format', 'm4b', '--mp3-layout', 'per-chapter', '--out', join(folder, 'b.m4b')]);
      expect(perChapterM4b.code).toBe(1);
      const noChapter = cli(['export', book, '--chapters', '4', '--out', join(folder, 'b.m4b')]);
      expect(noChapter.stderr).toMatch(/chapter 4; the document has 3/);
      expect(readdirSync(folder)).toEqual([]);
    });
  });
});

describe('kokoro-reader speak --out', () => {
  it('encodes MP3 for an .mp3 name, and refuses an ending it cannot write', () => {
    const folder = freshDir();
    const mp3 = cli(['speak', 'Hello there.', '--out', join(folder, 'a.mp3')]);
    expect(mp3.code).toBe(0);
    expect(probe(join(folder, 'a.mp3')).streams[0]?.codec_name).toBe('mp3');
    const odd = cli(['speak', 'Hello there.', '--out', join(folder, 'a.xyz')]);
    expect(odd.code).toBe(2);
    expect(readdirSync(folder)).toEqual(['a.mp3']);
  });
});
