import { mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KokoroGraphs } from '../../src-main/engine/kokoro/graphs';
import { formatDoctorReport, inspectModelDir, MODEL_DIR_FILES, modelPresence, readHostFiles } from '../../src-main/engine/kokoro/inspect';
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import { AppError } from '../../src-shared/errors/catalogue';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import type { FixtureDir } from '../helpers/kokoro-fixtures';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

let root: string;
let good: FixtureDir;

/** A fresh copy of the good fixture folder to break. */
function copyOfGood(name: string): string {
  const target = mkdtempSync(join(root, `${name}-`));
  for (const f of [...MODEL_DIR_FILES, 'vocab.json']) writeFileSync(join(target, f), readFileSync(join(good.dir, f)));
  return target;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kokoro-inspect-'));
  const dir = mkdtempSync(join(root, 'good-'));
  good = writeKokoroFixture(dir, 'int64');
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify({ ' ': 16, a: 43, '.': 4 }));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('inspectModelDir', () => {
  it('reports each graph with its signature and binding, and no problems', async () => {
    const report = await inspectModelDir(good.dir);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => [f.file, f.status])).toEqual([...MODEL_DIR_FILES, 'vocab.json'].map((f) => [f, 'ok']));
    expect(report.files.at(-1)?.notes).toEqual(['3 phoneme symbols']);
    const predictor = report.files[0]!;
    expect(predictor.signature?.inputs[0]).toEqual({ name: 'args_0', dtype: 'int64', shape: [1, 128] });
    expect(predictor.binding?.inputs.map((b) => `${b.role}=${b.tensor}`)).toEqual(['ids=args_0', 'ref_s=args_1', 'attn=args_2']);
    expect(predictor.notes.join(' ')).toMatch(/int64 args_0: passed as int32/);
    expect(report.files.find((f) => f.file === 'istft_Wr_f32.bin')?.notes).toEqual(['inverse-DFT bases, 11x20 layout']);

    const lines = formatDoctorReport(report);
    expect(lines[0]).toBe(`Kokoro model folder: ${good.dir}`);
    expect(lines).toContain('    inputs: ids <- args_0 int64[1,128] (by shape), ref_s <- args_1 float32[1,256] (by shape), attn <- args_2 float32[1,128] (by shape)');
    expect(lines).toContain('    outputs: asr <- output_0 float32[1,512,512] (by shape), F0 <- output_1 float32[1,1024] (by order), N <- output_2 float32[1,1024] (by order)');
    expect(lines.at(-1)).toBe('All files are present and fit the Kokoro layout.');
  });

  it('gives one line per problem: missing, truncated, wrong signature, bad host files', async () => {
    const dir = copyOfGood('broken');
    unlinkSync(join(dir, 'kokoro_predictor.tflite'));
    const prosody = join(dir, 'kokoro_prosody.tflite');
    truncateSync(prosody, Math.floor(readFileSync(prosody).length / 2));
    // A vocoder with the bucket of another export: har of 30721 frames.
    const w = new TfliteGraphWriter();
    const har = w.input('har', 'float32', [1, 22, 30721]);
    w.output(w.add(har, w.constant(new Float32Array(1), [1, 1, 1])), 'spec');
    writeFileSync(join(dir, 'kokoro_vocoder.tflite'), w.build());
    writeFileSync(join(dir, 'istft_Wi_f32.bin'), new Uint8Array(100));
    writeFileSync(join(dir, 'l_linear.bin'), new Uint8Array(36));

    const report = await inspectModelDir(dir);
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => f.status)).toEqual(['missing', 'damaged', 'wrong-signature', 'ok', 'damaged', 'damaged', 'ok']);
    expect(report.problems).toHaveLength(5);
    for (const line of report.problems) expect(line).not.toContain('\n');
    const [missing, truncated, wrong, basis, lLinear] = report.problems as [string, string, string, string, string];
    expect(missing).toMatch(/^kokoro_predictor\.tflite: missing; download the model again/);
    expect(truncated).toMatch(/^kokoro_prosody\.tflite: damaged or incomplete \(.*outside the file.*\); download the model again/);
    expect(wrong).toMatch(/^kokoro_vocoder\.tflite: the vocoder graph's tensors do not fit the Kokoro layout: no input fits asr, F0, N, har/);
    expect(wrong).toContain('Found inputs har float32[1,22,30721] -> outputs spec float32[1,22,30721]');
    expect(basis).toBe('istft_Wi_f32.bin: 100 bytes, expected 880 (11 x 20 float32); download the model again (`kokoro-reader models download`) or import a good copy (`kokoro-reader models import DIR`).');
    expect(lLinear).toMatch(/^l_linear\.bin: 36 bytes, expected 40/);
    expect(formatDoctorReport(report).slice(-6)).toEqual(['Problems (5):', ...report.problems.map((p) => `  ${p}`)]);
  });

  it('reports graphs from different exports that do not agree on a forwarded tensor', async () => {
    const dir = copyOfGood('mixed');
    // A predictor whose d comes out as [1,640,128] while the prosody graph takes [1,128,640].
    const w = new TfliteGraphWriter();
    w.input('ids', 'int32', [1, 128]);
    w.input('ref_s', 'float32', [1, 256]);
    const attn = w.input('attn', 'float32', [1, 128]);
    w.output(w.add(attn, w.constant(new Float32Array(128), [1, 128])), 'duration');
    w.output(w.reshape(w.add(w.reshape(attn, [1, 128, 1]), w.constant(new Float32Array(640), [1, 1, 640])), [1, 640, 128]), 'd');
    w.output(w.add(w.reshape(attn, [1, 1, 128]), w.constant(new Float32Array(512), [1, 512, 1])), 't_en');
    writeFileSync(join(dir, 'kokoro_predictor.tflite'), w.build());
    const report = await inspectModelDir(dir);
    expect(report.files.map((f) => f.status).slice(0, 3)).toEqual(['ok', 'wrong-signature', 'ok']);
    expect(report.problems).toEqual(['kokoro_prosody.tflite: its input d is [1,128,640] but kokoro_predictor.tflite produces [1,640,128]; the two files come from different exports, so download the model again.']);

    const runtime = await loadLiteRtRuntime({ log: () => undefined });
    const error = await KokoroGraphs.load(dir, { runtime, log: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODEL_INVALID');
    expect((error as AppError).message).toContain('its input d is [1,128,640]');
  });

  it('says so when the folder does not exist', async () => {
    const report = await inspectModelDir(join(root, 'nowhere'));
    expect(report.problems).toEqual([`${join(root, 'nowhere')}: the model folder does not exist; download the model again (\`kokoro-reader models download\`) or import a good copy (\`kokoro-reader models import DIR\`).`]);
  });

  it('recognises bases that are not the inverse DFT', async () => {
    const dir = copyOfGood('bases');
    writeFileSync(join(dir, 'istft_Wr_f32.bin'), new Uint8Array(880));
    const report = await inspectModelDir(dir);
    expect(report.problems).toHaveLength(2);
    expect(report.problems[0]).toMatch(/^istft_Wr_f32\.bin: not the expected inverse-DFT bases/);
  });

  it('can compile each graph with LiteRT.js', async () => {
    const runtime = await loadLiteRtRuntime({ log: () => undefined });
    const report = await inspectModelDir(good.dir, { compile: true, runtime });
    expect(report.ok).toBe(true);
    expect(report.files.slice(0, 3).every((f) => f.notes.includes('compiled by LiteRT.js'))).toBe(true);
  });
});

describe('modelPresence', () => {
  it('tells an installed folder from an absent or incomplete one, naming what is missing', () => {
    expect(modelPresence(good.dir)).toEqual({ state: 'installed' });
    expect(modelPresence(join(root, 'nowhere'))).toEqual({ state: 'absent' });
    const dir = copyOfGood('presence');
    unlinkSync(join(dir, 'vocab.json'));
    writeFileSync(join(dir, 'l_linear.bin'), new Uint8Array(0));
    expect(modelPresence(dir)).toEqual({ state: 'incomplete', missing: ['l_linear.bin', 'vocab.json (or config.json)'] });
    // Kokoro's own config.json carries the vocabulary too.
    writeFileSync(join(dir, 'config.json'), '{"vocab": {"a": 1}}');
    expect(modelPresence(dir)).toEqual({ state: 'incomplete', missing: ['l_linear.bin'] });
  });
});

describe('readHostFiles', () => {
  it('returns l_linear and the bases, or a catalogue error', async () => {
    const host = await readHostFiles(good.dir);
    expect(Array.from(host.lLinear)).toEqual(Array.from(good.expected.lLinear));
    expect(Array.from(host.bases.basisReal)).toEqual(Array.from(good.expected.basisReal));
    const dir = copyOfGood('host');
    unlinkSync(join(dir, 'l_linear.bin'));
    await expect(readHostFiles(dir)).rejects.toMatchObject({ code: 'MODEL_MISSING' });
    writeFileSync(join(dir, 'l_linear.bin'), new Uint8Array(8));
    const error = await readHostFiles(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODEL_INVALID');
  });
});
