/**
 * The int8 lever, layer by layer: LiteRT.js runs a stack of FULLY_CONNECTED, CONV_2D or
 * TRANSPOSE_CONV layers at Kokoro's sizes (512 channels, 512 frames) once with fp32 weights and
 * once with the same weights as int8 with a scale per output channel (dynamic-range
 * quantisation: activations stay float, XNNPack picks its int8-weight kernels). Prints time per
 * run, GFLOP/s, file size, and how close the int8 output is (correlation, SNR).
 *   npm run bench:int8 [-- fc conv tconv]
 * With a shadow folder (`npm run shadow:make -- --out A`), it runs one chunk through the fp32
 * vocoder and through the same vocoder as the "fast" precision rewrites it at load (int8 weights
 * for the convolutions FAST_INT8_WEIGHTS picks), on the same inputs, and prints the magnitude
 * spectrogram's correlation and the waveform's SNR. With a second folder (`-- --int8 --out B`:
 * every weight int8, as the writer rounds them) it compares A's vocoder with B's instead:
 *   npm run bench:int8 -- --shadows A [B]
 * Speed end to end: `npm run bench:e2e -- --model-dir B`.
 */
import { parseArgs } from 'node:util';
import { KokoroGraphs } from '../src-main/engine/kokoro/graphs';
import type { KokoroPrecision } from '../src-shared/ipc/engine-config';
import { loadLiteRtRuntime } from '../src-main/engine/kokoro/litert-runtime';
import { KokoroVoicePacks } from '../src-main/engine/kokoro/voices';
import { Mulberry32 } from '../src-shared/kokoro/random';
import { correlation, int8Agreement, snrDb } from './lib/int8-agreement';
import { SHADOW_SAMPLE_IDS } from './lib/kokoro-shadow';
import { TfliteGraphWriter } from './lib/tflite-writer';
import { FRAME_BUCKET } from '../src-shared/kokoro/constants';

type LayerKind = 'fc' | 'conv' | 'tconv';
const KINDS: readonly LayerKind[] = ['fc', 'conv', 'tconv'];
const CHANNELS = 512;
const FRAMES = 512;
const LAYERS = 4;

function random(count: number, seed: number, half: number): Float32Array {
  const r = new Mulberry32(seed);
  return Float32Array.from({ length: count }, () => (2 * r.uniform() - 1) * half);
}

/** A stack of one layer kind; `int8` stores the multiplied weights as int8. */
function build(kind: LayerKind, int8: boolean): { bytes: Uint8Array; macs: number } {
  const w = new TfliteGraphWriter();
  let x = kind === 'fc' ? w.input('x', 'float32', [FRAMES, CHANNELS]) : w.reshape(w.input('x', 'float32', [FRAMES, CHANNELS]), [1, 1, FRAMES, CHANNELS]);
  // Transpose convs upsample (x2 here), so one of them is already as heavy as the others' stack.
  const layers = kind === 'tconv' ? 1 : LAYERS;
  for (let layer = 0; layer < layers; layer++) {
    const shape = kind === 'fc' ? [CHANNELS, CHANNELS] : [CHANNELS, 1, kind === 'conv' ? 5 : 10, CHANNELS];
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    const values = random(shape.reduce((a, b) => a * b, 1), layer + 1, Math.sqrt(3 / fanIn));
    const weights = int8 ? w.constantInt8(values, shape, 0) : w.constant(values, shape);
    const bias = w.constant(random(CHANNELS, 100 + layer, 0.1), [CHANNELS]);
    if (kind === 'fc') x = w.fullyConnected(x, weights, bias, 'relu');
    else if (kind === 'conv') x = w.conv2d(x, weights, bias, { fused: 'relu' });
    else x = w.transposeConv(x, weights, bias, 2);
  }
  w.output(x, 'y');
  return { bytes: w.build(), macs: [...w.macs.values()].reduce((a, b) => a + b, 0) };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { shadows: { type: 'boolean', default: false } } });
  const runtime = await loadLiteRtRuntime({ log: (line) => console.log(line) });
  if (values.shadows) {
    const [exactDir, int8Dir] = positionals;
    if (!exactDir) throw new Error('--shadows takes the fp32 shadow folder (and optionally an --int8 one)');
    let rewrite = '';
    const load = (dir: string, precision: KokoroPrecision) => () =>
      KokoroGraphs.load(dir, { runtime, precision, vocoderBuckets: [FRAME_BUCKET], log: (line) => void (rewrite ||= /\(int8 weights: [^)]*\)/.exec(line)?.[0] ?? '') });
    const ids = SHADOW_SAMPLE_IDS;
    const rounded = int8Dir ? load(int8Dir, 'exact') : load(exactDir, 'fast');
    const a = await int8Agreement(load(exactDir, 'exact'), rounded, ids, await new KokoroVoicePacks().style('af_heart', ids.length - 2));
    const what = int8Dir ? `${int8Dir}'s vocoder` : `precision fast ${rewrite}`;
    console.log(`vocoder, one chunk of ${a.frames} frames, ${what} against fp32: spectrogram correlation ${a.spectrogramCorrelation.toFixed(6)}, waveform SNR ${a.waveformSnrDb.toFixed(1)} dB`);
    return;
  }
  const kinds = positionals.filter((a): a is LayerKind => (KINDS as readonly string[]).includes(a));
  const x = random(FRAMES * CHANNELS, 7, 1);
  for (const kind of kinds.length ? kinds : KINDS) {
    const outputs: Float32Array[] = [];
    for (const int8 of [false, true]) {
      const { bytes, macs } = build(kind, int8);
      const model = await runtime.loadModel(bytes, `${kind} ${int8 ? 'int8' : 'fp32'}`);
      try {
        let out = await model.run({ x }); // warm-up: XNNPack packs the weights on the first run
        const runs = 5;
        const started = performance.now();
        for (let i = 0; i < runs; i++) out = await model.run({ x });
        const ms = (performance.now() - started) / runs;
        outputs.push(Object.values(out)[0] as Float32Array);
        console.log(`${kind} ${int8 ? 'int8' : 'fp32'}: ${(bytes.length / 1e6).toFixed(1)} MB, ${ms.toFixed(1)} ms a run, ${((2 * macs) / ms / 1e6).toFixed(1)} GFLOP/s`);
      } finally {
        model.delete();
      }
    }
    console.log(`${kind}: int8 against fp32: correlation ${correlation(outputs[0]!, outputs[1]!).toFixed(6)}, SNR ${snrDb(outputs[0]!, outputs[1]!).toFixed(1)} dB`);
  }
  console.log(`LiteRT.js ${runtime.variant} variant, ${runtime.threads} thread(s)`);
}

void main().catch((err: unknown) => {
  console.error(`bench:int8: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
