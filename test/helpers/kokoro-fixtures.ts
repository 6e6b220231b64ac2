/**
 * A stand-in Kokoro model folder for tests: the three graphs with the real bundles' inputs and
 * outputs (names, dtypes, shapes), whose outputs replay golden arrays, plus the inverse bases
 * and l_linear.bin. The graphs touch every input (a zero-weighted probe), so a graph that is fed
 * wrong data still runs all of its inputs through LiteRT:
 *   predictor: duration = golden duration + 0*inputs; d[i, :] = attn[i]; t_en[:, i] = attn[i]
 *   prosody:   F0 = golden f0 + 0*inputs; N = F0 / 2; asr[f, :] = frame_mask[f]
 *   vocoder:   spec, phase = golden spec, phase + 0*inputs + (F0 - 2N)[k]
 * The last term is zero only when F0 and N are bound the right way round (k: a voiced frame).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Goldens } from './goldens';
import type { AlignmentCase, HarCase, IstftCase } from './goldens';
import { BUNDLE_IO, outputTensorName } from '../../scripts/lib/kokoro-bundle-io';
import type { BundleKind } from '../../scripts/lib/kokoro-bundle-io';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

export type FixtureStyle = 'descriptive' | 'positional' | 'int64';

export const FIXTURE_STYLES: readonly FixtureStyle[] = ['descriptive', 'positional', 'int64'];

/** The golden cases a fixture folder replays (override with FixtureOptions). */
export const FIXTURE_CASES = { alignment: 'align0', har: 'har0', istft: 'istft0' } as const;

export interface FixtureOptions {
  goldens?: Goldens;
  alignment?: string;
  har?: string;
  istft?: string;
}

/** What the fixture's graphs produce, for comparisons. */
export interface FixtureExpectation {
  cases: { alignment: string; har: string; istft: string };
  duration: Float32Array;
  f0: Float32Array;
  n: Float32Array;
  spec: Float32Array;
  phase: Float32Array;
  lLinear: Float32Array;
  basisReal: Float32Array;
  basisImag: Float32Array;
}

type Graph = BundleKind;

function names(style: FixtureStyle, graph: Graph): { inputs: string[]; outputs: string[] } {
  const inputs = BUNDLE_IO[graph].inputs.map(([name]) => name);
  const outputs = [...BUNDLE_IO[graph].outputs];
  if (style === 'descriptive') return { inputs, outputs };
  return { inputs: inputs.map((_, i) => `args_${i}`), outputs: outputs.map((_, i) => `output_${i}`) };
}

/** sum over inputs of 0 * (first element), as float32 [1, 1]. */
function zeroProbe(w: TfliteGraphWriter, tensors: number[]): number {
  const zero = w.constant(new Float32Array(1), [1, 1]);
  let acc: number | undefined;
  for (const t of tensors) {
    const rank = w.shapeOf(t).length;
    let first = w.reshape(w.slice(t, new Array<number>(rank).fill(0), new Array<number>(rank).fill(1)), [1, 1]);
    if (w.dtypeOf(first) !== 'float32') first = w.cast(first, 'float32');
    const term = w.mul(first, zero);
    acc = acc === undefined ? term : w.add(acc, term);
  }
  if (acc === undefined) throw new Error('no probe inputs');
  return acc;
}

export function buildPredictor(style: FixtureStyle, duration: Float32Array): Uint8Array {
  const n = names(style, 'predictor');
  const w = new TfliteGraphWriter();
  const ids = w.input(n.inputs[0]!, style === 'int64' ? 'int64' : 'int32', [1, 128]);
  const refS = w.input(n.inputs[1]!, 'float32', [1, 256]);
  const attn = w.input(n.inputs[2]!, 'float32', [1, 128]);
  const probe = zeroProbe(w, [ids, refS, attn]);
  const dur = w.add(w.constant(duration, [1, 128]), probe, outputTensorName(0));
  const d = w.add(w.reshape(attn, [1, 128, 1]), w.constant(new Float32Array(640), [1, 1, 640]), outputTensorName(1));
  const tEn = w.add(w.reshape(attn, [1, 1, 128]), w.constant(new Float32Array(512), [1, 512, 1]), outputTensorName(2));
  [dur, d, tEn].forEach((t, i) => w.output(t, n.outputs[i]!));
  return w.build();
}

/** The real prosody bundle's float32 inputs, in order: d, t_en, alignment, ref_s, frame mask. */
export const PROSODY_INPUT_SHAPES = BUNDLE_IO.prosody.inputs.map(([, , shape]) => shape);

/** The real vocoder bundle's float32 inputs, in order: asr, F0, N, har, ref_s, frame mask. */
export const VOCODER_INPUT_SHAPES = BUNDLE_IO.vocoder.inputs.map(([, , shape]) => shape);

export function buildProsody(style: FixtureStyle, f0: Float32Array): Uint8Array {
  const n = names(style, 'prosody');
  const w = new TfliteGraphWriter();
  const inputs = PROSODY_INPUT_SHAPES.map((shape, i) => w.input(n.inputs[i]!, 'float32', [...shape]));
  const frameMask = inputs[4]!;
  const probe = zeroProbe(w, inputs);
  const asr = w.add(w.reshape(frameMask, [1, 512, 1]), w.constant(new Float32Array(512), [1, 1, 512]), outputTensorName(0));
  const F0 = w.add(w.constant(f0, [1, 1024]), probe, outputTensorName(1));
  const N = w.mul(F0, w.constant(Float32Array.of(0.5), [1, 1]), outputTensorName(2));
  [asr, F0, N].forEach((t, i) => w.output(t, n.outputs[i]!));
  return w.build();
}

/** `swapIndex`: an F0 index where F0 != 0, so that swapped F0/N inputs change the output. */
export function buildVocoder(style: FixtureStyle, spec: Float32Array, phase: Float32Array, swapIndex: number): Uint8Array {
  const n = names(style, 'vocoder');
  const w = new TfliteGraphWriter();
  const inputs = VOCODER_INPUT_SHAPES.map((shape, i) => w.input(n.inputs[i]!, 'float32', [...shape]));
  const [asr, F0, N, har, refS, frameMask] = inputs as [number, number, number, number, number, number];
  const swap = w.slice(w.sub(F0, w.mul(N, w.constant(Float32Array.of(2), [1, 1]))), [0, swapIndex], [1, 1]);
  const probe = w.add(zeroProbe(w, [asr, har, refS, frameMask]), swap);
  const specOut = w.add(w.constant(spec, [1, 11, 61441]), probe, outputTensorName(0));
  const phaseOut = w.add(w.constant(phase, [1, 11, 61441]), probe, outputTensorName(1));
  w.output(specOut, n.outputs[0]!);
  w.output(phaseOut, n.outputs[1]!);
  return w.build();
}

function findCase<K extends 'alignment' | 'har' | 'istft'>(goldens: Goldens, kind: K, name: string): Extract<AlignmentCase | HarCase | IstftCase, { kind: K }> {
  const c = goldens.cases(kind).find((x) => x.name === name);
  if (!c) throw new Error(`golden ${kind} case ${name} not found`);
  return c;
}

function bytesOf(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** The fixture's expected outputs, read from the goldens. */
export function fixtureExpectation(options: FixtureOptions = {}): FixtureExpectation {
  const goldens = options.goldens ?? new Goldens();
  const cases = { alignment: options.alignment ?? FIXTURE_CASES.alignment, har: options.har ?? FIXTURE_CASES.har, istft: options.istft ?? FIXTURE_CASES.istft };
  const align = findCase(goldens, 'alignment', cases.alignment);
  const har = findCase(goldens, 'har', cases.har);
  const istft = findCase(goldens, 'istft', cases.istft);
  const f0 = goldens.f32(har.f0);
  return {
    cases,
    duration: goldens.f32(align.duration),
    f0,
    n: f0.map((v) => v * 0.5),
    spec: goldens.f32(istft.spec),
    phase: goldens.f32(istft.phase),
    lLinear: goldens.f32(har.l_linear),
    basisReal: goldens.f32(istft.basis_real),
    basisImag: goldens.f32(istft.basis_imag),
  };
}

export interface FixtureDir {
  dir: string;
  style: FixtureStyle;
  expected: FixtureExpectation;
}

/** Writes the six files of a model folder in `dir` (which must exist). */
export function writeKokoroFixture(dir: string, style: FixtureStyle, options: FixtureOptions = {}): FixtureDir {
  const expected = fixtureExpectation(options);
  const voiced = expected.f0.findIndex((v) => Math.abs(v) > 1);
  writeFileSync(join(dir, 'kokoro_predictor.tflite'), buildPredictor(style, expected.duration));
  writeFileSync(join(dir, 'kokoro_prosody.tflite'), buildProsody(style, expected.f0));
  writeFileSync(join(dir, 'kokoro_vocoder.tflite'), buildVocoder(style, expected.spec, expected.phase, Math.max(0, voiced)));
  writeFileSync(join(dir, 'istft_Wr_f32.bin'), bytesOf(expected.basisReal));
  writeFileSync(join(dir, 'istft_Wi_f32.bin'), bytesOf(expected.basisImag));
  writeFileSync(join(dir, 'l_linear.bin'), bytesOf(expected.lLinear));
  return { dir, style, expected };
}
