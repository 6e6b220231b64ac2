import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-shared/audio/wav';
import { roundHalfEven } from '../../src-shared/kokoro/alignment';
import { Goldens } from '../helpers/goldens';
import type { IstftCase } from '../helpers/goldens';
import { FIXTURE_CASES, FIXTURE_STYLES, writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { CLI_BIN, ROOT, requireBuild } from '../helpers/paths';

const VOCAB = join(ROOT, '..', 'shared', 'kokoro', 'vocab.json');
const dirs: string[] = [];

beforeAll(() => requireBuild());
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fixtureDir(style: (typeof FIXTURE_STYLES)[number]) {
  const dir = mkdtempSync(join(tmpdir(), `kokoro-e2e-${style}-`));
  dirs.push(dir);
  const fixture = writeKokoroFixture(dir, style);
  // The vocabulary comes with the model download; here from the shared facts, into the temp folder.
  copyFileSync(VOCAB, join(dir, 'vocab.json'));
  return fixture;
}

function cli(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', timeout: 120_000, input });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('Kokoro end to end: CLI -> engine process -> three fixture graphs -> WAV', () => {
  const goldens = new Goldens();
  const istft = goldens.manifest.cases.find((c) => c.name === FIXTURE_CASES.istft) as IstftCase;
  const reference = goldens.f32(istft.waveform_reference);

  for (const style of FIXTURE_STYLES) {
    it(`speaks "Hello world." with the ${style} fixtures: the golden waveform, trimmed to L x 600`, () => {
      const fixture = fixtureDir(style);
      const out = join(fixture.dir, 'x.wav');
      const run = cli(['speak', 'Hello world.', '--model-dir', fixture.dir, '--voice', 'af_heart', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('1 chunks');
      const wav = decodeWav(readFileSync(out));
      expect(wav.sampleRate).toBe(24000);

      // The predictor replays the golden durations: the chunk lasts sum(round(duration[i])) frames
      // over its T tokens, for the T that "Hello world." has (bounding zeros included).
      const frames = wav.samples.length / 600;
      expect(Number.isInteger(frames)).toBe(true);
      let sum = 0;
      const totals = Array.from(fixture.expected.duration.slice(0, 128), (d) => (sum += Math.max(1, roundHalfEven(d))));
      const phonemized = JSON.parse(cli(['phonemize', '--json', '--model-dir', fixture.dir], 'Hello world.\n').stdout) as { ids: number[] };
      expect(frames).toBe(totals[phonemized.ids.length + 2 - 1]);

      // The vocoder replays the golden spec/phase: the audio is torch.istft of them, up to 16-bit rounding.
      let worst = 0;
      for (let i = 0; i < wav.samples.length; i++) worst = Math.max(worst, Math.abs((wav.samples[i] ?? 0) - Math.max(-1, Math.min(1, reference[i] ?? 0))));
      expect(worst).toBeLessThan(1e-4 + 2 / 32768);
    });
  }

  it('caches Kokoro chunks: a second run is all hits and writes the same bytes; --precision fast has audio of its own', () => {
    const fixture = fixtureDir('descriptive');
    const data = join(fixture.dir, 'data');
    const runs = [
      ['k1.wav', 'exact'],
      ['k2.wav', 'exact'],
      ['k3.wav', 'fast'],
      ['k4.wav', 'fast'],
    ].map(([name, precision]) =>
      cli(['speak', 'Hello world. How are you?', '--model-dir', fixture.dir, '--data-dir', data, '--voice', 'af_heart', '--verbose', '--precision', precision!, '--out', join(fixture.dir, name!)]),
    );
    expect(runs.map((r) => r.stderr.split('\n').filter((l) => l.startsWith('chunk')).map((l) => l.slice(l.lastIndexOf(' ') + 1)))).toEqual([['miss'], ['hit'], ['miss'], ['hit']]);
    expect(Buffer.compare(readFileSync(join(fixture.dir, 'k1.wav')), readFileSync(join(fixture.dir, 'k2.wav')))).toBe(0);
  });

  it("uses the user's lexicon from the data folder: the chunk has the tokens of the user's phonemes", () => {
    const fixture = fixtureDir('descriptive');
    const data = join(fixture.dir, 'data');
    const frames = (): number => {
      const out = join(fixture.dir, 'lex.wav');
      const run = cli(['speak', 'Kokoro.', '--model-dir', fixture.dir, '--data-dir', data, '--voice', 'af_heart', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      return decodeWav(readFileSync(out)).samples.length / 600;
    };
    let sum = 0;
    const totals = Array.from(fixture.expected.duration.slice(0, 128), (d) => (sum += Math.max(1, roundHalfEven(d))));
    const before = frames();
    // Twelve symbols, then the full stop: 13 phoneme tokens plus the two bounding zeros.
    expect(cli(['lexicon', 'add', 'Kokoro', 'kˈOkəɹOkˈOkə', '--data-dir', data]).code).toBe(0);
    const after = frames();
    expect(after).toBe(totals[13 + 2 - 1]);
    expect(after).not.toBe(before);
  });

  it('lists the Kokoro voices first when the model is installed, and eSpeak NG after them', () => {
    const fixture = fixtureDir('descriptive');
    const run = cli(['voices', '--model-dir', fixture.dir]);
    expect(run.code).toBe(0);
    const ids = run.stdout.trim().split('\n').map((line) => line.split('\t')[0]);
    expect(ids[0]?.startsWith('kokoro:')).toBe(true);
    expect(ids).toContain('kokoro:af_heart');
    expect(ids).toContain('espeak:gmw/en-US');
    expect(run.stderr).not.toMatch(/models download/);
  });

  it('falls back to eSpeak NG without a model and says how to install Kokoro', () => {
    const empty = mkdtempSync(join(tmpdir(), 'kokoro-empty-'));
    dirs.push(empty);
    const run = cli(['speak', 'Hello.', '--model-dir', empty, '--out', join(empty, 'x.wav')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^note: The Kokoro voice model is not installed\. \(no model files in .*\) Run `kokoro-reader models download`/);
    expect(run.stderr).not.toContain('restart');
    const asked = cli(['speak', 'Hello.', '--model-dir', empty, '--voice', 'af_heart', '--out', join(empty, 'y.wav')]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toMatch(/^kokoro-reader: The Kokoro voice model is not installed\. \(af_heart is a Kokoro voice: no model files in .*\) Run `kokoro-reader models download`/);
  });

  it('names what an incomplete model folder lacks: in the doctor, when a Kokoro voice is asked for, and in the voices note', () => {
    const fixture = fixtureDir('descriptive');
    rmSync(join(fixture.dir, 'vocab.json'));
    const doctor = cli(['models', 'doctor', '--model-dir', fixture.dir]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).not.toContain('All files are present');
    expect(doctor.stdout).toMatch(/^ {2}vocab\.json \(or config\.json\): missing \(Kokoro's phoneme vocabulary\); download the model again/m);

    const asked = cli(['speak', 'Hello.', '--model-dir', fixture.dir, '--voice', 'af_heart', '--out', join(fixture.dir, 'no.wav')]);
    expect(asked.code).toBe(1);
    expect(asked.stderr.trim().split('\n')).toHaveLength(1);
    expect(asked.stderr).toContain(`The Kokoro model folder is incomplete, so the Kokoro voices cannot be used. (af_heart is a Kokoro voice: ${fixture.dir} is missing vocab.json (or config.json))`);
    expect(asked.stderr).toContain('`kokoro-reader models download`');
    expect(asked.stderr).toContain('`kokoro-reader models doctor`');

    const voices = cli(['voices', '--model-dir', fixture.dir]);
    expect(voices.code).toBe(0);
    expect(voices.stderr).toContain(`note: The Kokoro model folder is incomplete`);
    expect(voices.stderr).toContain('missing vocab.json');

    // A vocabulary that is not one: the doctor calls it damaged, and asking for a Kokoro voice names it.
    writeFileSync(join(fixture.dir, 'config.json'), '{"vocab": [1, 2]}');
    const damaged = cli(['models', 'doctor', '--model-dir', fixture.dir]);
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/^ {2}config\.json is not a Kokoro vocabulary: expected an object of symbol -> id; download the model again/m);
    const refused = cli(['speak', 'Hello.', '--model-dir', fixture.dir, '--voice', 'af_heart', '--out', join(fixture.dir, 'no.wav')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^kokoro-reader: A Kokoro model file is damaged or is not the expected model\. \(config\.json is not a Kokoro vocabulary: .*\) Run `kokoro-reader models doctor`/);

    // An empty vocab.json (an interrupted copy) does not hide a good config.json.
    writeFileSync(join(fixture.dir, 'vocab.json'), '');
    copyFileSync(VOCAB, join(fixture.dir, 'config.json'));
    const spoken = cli(['speak', 'Hello.', '--model-dir', fixture.dir, '--voice', 'af_heart', '--out', join(fixture.dir, 'yes.wav')]);
    expect(spoken.code, spoken.stderr).toBe(0);
  });

  it('models doctor prints the bindings, and one line per problem for a damaged folder', () => {
    const fixture = fixtureDir('positional');
    const good = cli(['models', 'doctor', '--model-dir', fixture.dir]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/ids <- args_0/);
    expect(good.stdout).toMatch(/All files are present/);
    rmSync(join(fixture.dir, 'kokoro_prosody.tflite'));
    const vocoder = join(fixture.dir, 'kokoro_vocoder.tflite');
    const bytes = readFileSync(vocoder);
    // Truncated, as an interrupted copy would leave it.
    writeFileSync(vocoder, bytes.subarray(0, 1000));
    const bad = cli(['models', 'doctor', '--model-dir', fixture.dir]);
    expect(bad.code).toBe(1);
    const problems = bad.stdout.slice(bad.stdout.indexOf('Problems')).trim().split('\n').slice(1);
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.includes('kokoro_prosody.tflite'))).toBe(true);
    expect(problems.some((p) => p.includes('kokoro_vocoder.tflite'))).toBe(true);
  });
});
