/**
 * Shadow graphs of Kokoro-82M: three .tflite files with exactly the real bundles' inputs and
 * outputs (descriptive names, as the Core AI sibling export) whose insides are the upstream
 * architecture (hexgrad/kokoro model.py, modules.py, istftnet.py) at its real sizes, with
 * random weights. They exist to measure speed and memory; their audio is noise.
 *
 *   predictor: ALBERT (768 hidden, 12 layers sharing one set of weights, 12 heads, FFN 2048)
 *              over 128 tokens -> bert_encoder -> duration encoder (3 bi-LSTM + AdaLayerNorm)
 *              -> duration LSTM -> sigmoid(proj).sum; text encoder (3 conv1d k5 + bi-LSTM)
 *   prosody:   asr = t_en @ aln; shared bi-LSTM over 512 frames; F0 and N branches (3 AdaIN
 *              residual blocks each, the second upsampling x2)
 *   vocoder:   decoder (AdaIN residual blocks at 1024 channels, the last upsampling x2), then
 *              the iSTFTNet generator (transposed convs x10 and x6, residual blocks k 3/7/11
 *              with dilations 1/3/5 at 256 and 128 channels, noise convs and their blocks,
 *              conv_post to 22 channels over 61,441 steps, exp / sin)
 * Every LSTM is unrolled over its steps in both directions (one FULLY_CONNECTED, ADD, SPLIT,
 * 3 LOGISTIC, 2 TANH, 3 MUL, ADD per step; the input projection of all steps is one
 * FULLY_CONNECTED), so per-step op dispatch is measured too.
 *
 * Where the shadow is not the exact layer (same sizes, nearly the same FLOPs):
 * - an LSTM's recurrent weight is fed to its per-step FULLY_CONNECTED ops through one MUL by 1,
 *   so it is a runtime tensor: LiteRT.js's XNNPack packs a constant weight once per node using
 *   it, and with constants the predictor took 1.73 GiB of wasm heap and the prosody graph
 *   1.2 GiB (so the three did not fit the 2 GiB heap); fed this way, 477 and 103 MiB. How the real
 *   unrolled export avoids that is not known here. ALBERT's shared layer stays constant (12 packs);
 * - the grouped (depthwise) ConvTranspose1d k3 stride 2 of an upsampling AdaIN block is a nearest
 *   x2 upsample and a DEPTHWISE_CONV_2D k3 (TFLite's TRANSPOSE_CONV has no groups);
 * - instance-norm statistics are masked by frame_mask (upsampled to each resolution), as the
 *   bundles' AdaIN is said to be; layer norms and ALBERT are unmasked except for attention;
 * - F0_conv / N_conv (k3 stride 2) use TFLite's SAME padding (0 before, 1 after) instead of 1/1;
 * - the duration head's bias makes a token last about 2.6 frames (about 15 tokens a second, as
 *   English speech), and F0_proj's bias centres F0 near 150 Hz, so chunk planning and the
 *   harmonic source see plausible values; weights are uniform with std 1/sqrt(fan-in).
 * `scale` multiplies every inner width (tests use small ones); the interface tensors keep their
 * sizes, through a projection that exists only when scale != 1.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definedInverseBases } from '../../src-shared/kokoro/istft';
import { GRAPH_FILES } from '../../src-main/engine/kokoro/binding';
import { BASIS_FILES, L_LINEAR_FILE } from '../../src-main/engine/kokoro/inspect';
import { Mulberry32 } from '../../src-shared/kokoro/random';
import { BUNDLE_IO, outputTensorName } from './kokoro-bundle-io';
import type { BundleKind } from './kokoro-bundle-io';
import { TfliteGraphWriter } from './tflite-writer';
import type { UnaryName } from './tflite-writer';

const TOKENS = 128;
const FRAMES = 512;
const STYLE = 128;
const VOCAB_ROWS = 178;
const STEPS = 61441;

export interface ShadowOptions {
  /** Multiplies every inner width (1 = the real model). */
  scale?: number;
  seed?: number;
  /**
   * The weights of FULLY_CONNECTED, CONV_2D and TRANSPOSE_CONV stored as int8 with a scale per
   * output channel (dynamic-range quantisation; activations stay float): the int8 lever measured
   * on the same random weights, rounded, before a rewrite of downloaded graphs exists.
   */
  int8?: boolean;
}

export interface ShadowGraph {
  bytes: Uint8Array;
  /** Weight values and multiply-accumulates per part (writer tags). */
  params: Map<string, number>;
  macs: Map<string, number>;
  operators: number;
}

/** Builds one graph: layer helpers over a TfliteGraphWriter, sequences as NHWC [1, 1, T, C]. */
class ShadowBuilder {
  readonly w = new TfliteGraphWriter();
  private readonly random: Mulberry32;

  constructor(
    readonly scale: number,
    seed: number,
    readonly int8 = false,
  ) {
    this.random = new Mulberry32(seed);
  }

  /** An inner width at this scale (at least `min`, a multiple of `multiple`). */
  width(full: number, multiple = 1, min = 1): number {
    return Math.max(min, Math.round((full * this.scale) / multiple) * multiple);
  }

  /** Uniform random values with std 1/sqrt(fanIn) (times `gain`), plus `offset`. */
  private draw(shape: readonly number[], fanIn: number, gain = 1, offset = 0): Float32Array {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    const half = (gain * Math.sqrt(3)) / Math.sqrt(fanIn);
    for (let i = 0; i < count; i++) data[i] = offset + (2 * this.random.uniform() - 1) * half;
    return data;
  }

  weights(shape: readonly number[], fanIn: number, gain = 1, offset = 0): number {
    return this.w.constant(this.draw(shape, fanIn, gain, offset), shape);
  }

  /**
   * Weights an FC, conv or transpose conv multiplies by: int8 per output channel when asked,
   * from the same draws, so an int8 shadow is its fp32 twin rounded.
   */
  kernel(shape: readonly number[], fanIn: number): number {
    const data = this.draw(shape, fanIn);
    return this.int8 ? this.w.constantInt8(data, shape, 0) : this.w.constant(data, shape);
  }

  fill(shape: readonly number[], value: number): number {
    return this.w.constant(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape);
  }

  scalar(value: number): number {
    return this.w.constant(Float32Array.of(value), [1]);
  }

  channels(x: number): number {
    const shape = this.w.shapeOf(x);
    return shape[shape.length - 1]!;
  }

  linear(x: number, units: number, bias = true, biasOffset = 0): number {
    const depth = this.channels(x);
    return this.w.fullyConnected(x, this.kernel([units, depth], depth), bias ? this.weights([units], depth, 1, biasOffset) : undefined);
  }

  /** A projection to the interface width, only when the inner width differs (scale != 1). */
  project(x: number, units: number): number {
    return this.channels(x) === units ? x : this.linear(x, units);
  }

  conv1d(x: number, out: number, kernel: number, o: { dilation?: number; stride?: number; padding?: 'same' | 'valid'; bias?: boolean } = {}): number {
    const cin = this.channels(x);
    const filter = this.kernel([out, 1, kernel, cin], cin * kernel);
    // TFLite's CONV_2D needs its bias input: a bias-free conv gets zeros.
    const bias = o.bias === false ? this.fill([out], 0) : this.weights([out], cin * kernel);
    return this.w.conv2d(x, filter, bias, o);
  }

  unary(op: UnaryName, x: number): number {
    return this.w.unary(op, x);
  }

  /** Repeats every step `factor` times along axis 2 of [1, 1, T, C] (nearest upsampling). */
  repeat(x: number, factor: number): number {
    const [, , t, c] = this.w.shapeOf(x) as [number, number, number, number];
    const spread = this.w.mul(this.w.reshape(x, [1, t, 1, c]), this.fill([1, 1, factor, 1], 1));
    return this.w.reshape(spread, [1, 1, t * factor, c]);
  }

  /** Normalisation over the time axis of [1, 1, T, C], statistics over the frames where mask = 1. */
  maskedInstanceNorm(x: number, mask: Mask): number {
    const mean = this.w.mul(this.w.reduce('SUM', this.w.mul(x, mask.values), [2]), mask.inverseCount);
    const centred = this.w.sub(x, mean);
    const variance = this.w.mul(this.w.reduce('SUM', this.w.mul(this.w.mul(centred, centred), mask.values), [2]), mask.inverseCount);
    return this.w.mul(centred, this.unary('RSQRT', this.w.add(variance, this.scalar(1e-5))));
  }

  /** Layer norm over the last axis (no affine when `affine` is false). */
  layerNorm(x: number, affine = true): number {
    const rank = this.w.shapeOf(x).length;
    const c = this.channels(x);
    const centred = this.w.sub(x, this.w.reduce('MEAN', x, [rank - 1]));
    const variance = this.w.reduce('MEAN', this.w.mul(centred, centred), [rank - 1]);
    const normed = this.w.mul(centred, this.unary('RSQRT', this.w.add(variance, this.scalar(1e-5))));
    if (!affine) return normed;
    return this.w.add(this.w.mul(normed, this.fill([c], 1)), this.fill([c], 0));
  }

  /** (1 + gamma) * norm + beta, gamma and beta from fc(style): AdaIN1d and AdaLayerNorm. */
  styled(normed: number, style: number): number {
    const c = this.channels(normed);
    const rank = this.w.shapeOf(normed).length;
    const h = this.w.reshape(this.linear(style, 2 * c), [...new Array<number>(rank - 1).fill(1), 2 * c]);
    const [gamma, beta] = this.w.split(h, rank - 1, 2) as [number, number];
    return this.w.add(this.w.mul(normed, this.w.add(gamma, this.scalar(1))), beta);
  }

  adain(x: number, style: number, mask: Mask): number {
    return this.styled(this.maskedInstanceNorm(x, mask), style);
  }

  /** AdainResBlk1d (modules.py / istftnet.py): two AdaIN + LeakyReLU(0.2) + conv k3, shortcut, / sqrt(2). */
  adainResBlk1d(x: number, style: number, out: number, mask: Mask, upsample?: Mask): number {
    const cin = this.channels(x);
    let residual = this.w.leakyRelu(this.adain(x, style, mask), 0.2);
    if (upsample) residual = this.w.depthwiseConv2d(this.repeat(residual, 2), this.weights([1, 1, 3, cin], 3), this.weights([cin], 3));
    residual = this.conv1d(residual, out, 3);
    residual = this.conv1d(this.w.leakyRelu(this.adain(residual, style, upsample ?? mask), 0.2), out, 3);
    let shortcut = upsample ? this.repeat(x, 2) : x;
    if (cin !== out) shortcut = this.conv1d(shortcut, out, 1, { bias: false });
    return this.w.mul(this.w.add(residual, shortcut), this.scalar(Math.SQRT1_2));
  }

  /** Snake: x + sin(alpha x)^2 / alpha, alpha per channel. */
  snake(x: number): number {
    const c = this.channels(x);
    const sine = this.unary('SIN', this.w.mul(x, this.fill([c], 1)));
    return this.w.add(x, this.w.mul(this.w.mul(sine, sine), this.fill([c], 1)));
  }

  /** AdaINResBlock1 (istftnet.py): three (AdaIN, snake, dilated conv, AdaIN, snake, conv) with residuals. */
  adainResBlock1(x: number, style: number, kernel: number, mask: Mask): number {
    const c = this.channels(x);
    for (const dilation of [1, 3, 5]) {
      let t = this.conv1d(this.snake(this.adain(x, style, mask)), c, kernel, { dilation });
      t = this.conv1d(this.snake(this.adain(t, style, mask)), c, kernel);
      x = this.w.add(t, x);
    }
    return x;
  }

  /**
   * A bidirectional LSTM over the rows of x [T, in], unrolled: hidden `hidden` per direction,
   * output [T, 2 * hidden] (forward, then backward).
   */
  biLstm(x: number, hidden: number): number {
    const [steps] = this.w.shapeOf(x) as [number, number];
    const directions = [false, true].map((backward) => {
      const projected = this.linear(x, 4 * hidden);
      // A runtime tensor, not a constant: XNNPack packs a constant once per node that uses it,
      // which for one weight shared by 128 or 512 steps overflows the 2 GiB wasm heap.
      const recurrent = this.w.mul(this.weights([4 * hidden, hidden], hidden), this.scalar(1));
      const outputs = new Array<number>(steps);
      let h: number | undefined;
      let c: number | undefined;
      for (let i = 0; i < steps; i++) {
        const t = backward ? steps - 1 - i : i;
        let gates = this.w.slice(projected, [t, 0], [1, 4 * hidden]);
        if (h !== undefined) gates = this.w.add(gates, this.w.fullyConnected(h, recurrent));
        const [inGate, forget, cell, outGate] = this.w.split(gates, 1, 4) as [number, number, number, number];
        const update = this.w.mul(this.unary('LOGISTIC', inGate), this.unary('TANH', cell));
        c = c === undefined ? update : this.w.add(this.w.mul(this.unary('LOGISTIC', forget), c), update);
        h = this.w.mul(this.unary('LOGISTIC', outGate), this.unary('TANH', c));
        outputs[t] = h;
      }
      return this.w.concat(outputs, 0);
    });
    return this.w.concat(directions, 1);
  }

  /** Style halves of ref_s: the first 128 values go to the decoder, the last 128 to the predictor. */
  styles(refS: number): { decoder: number; predictor: number } {
    return { decoder: this.w.slice(refS, [0, 0], [1, STYLE]), predictor: this.w.slice(refS, [0, STYLE], [1, STYLE]) };
  }

  /** The frame mask [1, T] at `factor` times its resolution, with 1 / its count. */
  mask(frameMask: number, factor: number): Mask {
    const frames = this.w.shapeOf(frameMask)[1]!;
    let values = this.w.reshape(frameMask, [1, 1, frames, 1]);
    if (factor > 1) values = this.repeat(values, factor);
    return { values, inverseCount: this.w.div(this.scalar(1), this.w.reduce('SUM', values, [2])) };
  }

  finish(outputs: readonly number[], names: readonly string[]): ShadowGraph {
    outputs.forEach((t, i) => this.w.output(t, names[i]!));
    const bytes = this.w.build({ description: `kokoro-reader shadow graph (scale ${this.scale})` });
    return { bytes, params: this.w.params, macs: this.w.macs, operators: this.w.operatorCount };
  }

  inputs(kind: BundleKind): number[] {
    return BUNDLE_IO[kind].inputs.map(([name, dtype, shape]) => this.w.input(name, dtype, shape));
  }
}

interface Mask {
  values: number;
  inverseCount: number;
}

export function buildShadowPredictor(options: ShadowOptions = {}): ShadowGraph {
  const b = new ShadowBuilder(options.scale ?? 1, options.seed ?? 1, options.int8);
  const w = b.w;
  const [ids, refS, attn] = b.inputs('predictor') as [number, number, number];
  const style = b.styles(refS).predictor;
  const tokenMask = w.reshape(attn, [TOKENS, 1]);

  // PL-BERT: ALBERT with one shared layer applied 12 times.
  w.tag('albert');
  const heads = 12;
  const headSize = b.width(64);
  const hidden = heads * headSize;
  const embedded = w.add(w.gather(b.weights([VOCAB_ROWS, 128], 1), ids), b.weights([1, TOKENS, 128], 1));
  let x = b.linear(w.reshape(b.layerNorm(embedded), [TOKENS, 128]), hidden);
  const attentionBias = w.reshape(w.mul(w.sub(attn, b.scalar(1)), b.scalar(1e4)), [1, 1, TOKENS]);
  const layer = {
    q: [b.weights([hidden, hidden], hidden), b.weights([hidden], hidden)],
    k: [b.weights([hidden, hidden], hidden), b.weights([hidden], hidden)],
    v: [b.weights([hidden, hidden], hidden), b.weights([hidden], hidden)],
    o: [b.weights([hidden, hidden], hidden), b.weights([hidden], hidden)],
    up: [b.weights([b.width(2048), hidden], hidden), b.weights([b.width(2048)], hidden)],
    down: [b.weights([hidden, b.width(2048)], b.width(2048)), b.weights([hidden], b.width(2048))],
  } as const;
  const headsOf = (t: number): number => w.transpose(w.reshape(t, [TOKENS, heads, headSize]), [1, 0, 2]);
  for (let i = 0; i < 12; i++) {
    const q = headsOf(w.fullyConnected(x, layer.q[0], layer.q[1]));
    const k = headsOf(w.fullyConnected(x, layer.k[0], layer.k[1]));
    const v = headsOf(w.fullyConnected(x, layer.v[0], layer.v[1]));
    const scores = w.add(w.mul(w.batchMatMul(q, k, false, true), b.scalar(1 / Math.sqrt(headSize))), attentionBias);
    const context = w.reshape(w.transpose(w.batchMatMul(w.softmax(scores), v), [1, 0, 2]), [TOKENS, hidden]);
    x = b.layerNorm(w.add(x, w.fullyConnected(context, layer.o[0], layer.o[1])));
    const ffn = w.fullyConnected(b.unary('GELU', w.fullyConnected(x, layer.up[0], layer.up[1])), layer.down[0], layer.down[1]);
    x = b.layerNorm(w.add(x, ffn));
  }

  w.tag('bert_encoder');
  const dEn = b.linear(x, b.width(512));

  // Duration encoder: 3 x (bi-LSTM, AdaLayerNorm, concat style), masked.
  w.tag('duration_encoder');
  const styleRows = w.add(b.fill([TOKENS, 1], 0), style);
  const withStyle = (t: number): number => w.mul(w.concat([t, styleRows], 1), tokenMask);
  const lstmHidden = b.width(256);
  let d = withStyle(dEn);
  for (let i = 0; i < 3; i++) d = withStyle(b.styled(b.layerNorm(b.biLstm(d, lstmHidden), false), style));
  const dOut = w.reshape(b.project(d, 640), [1, TOKENS, 640], outputTensorName(1));

  w.tag('duration');
  const durationLogits = b.linear(b.biLstm(d, lstmHidden), 50, true, -2.9);
  const duration = w.reshape(w.reduce('SUM', b.unary('LOGISTIC', durationLogits), [1]), [1, TOKENS], outputTensorName(0));

  // Text encoder: embedding, 3 x (conv1d k5, layer norm, LeakyReLU 0.2), bi-LSTM.
  w.tag('text_encoder');
  const channels = b.width(512);
  let t = w.reshape(w.gather(b.weights([VOCAB_ROWS, channels], 1), ids), [1, 1, TOKENS, channels]);
  const convMask = w.reshape(attn, [1, 1, TOKENS, 1]);
  for (let i = 0; i < 3; i++) t = w.mul(w.leakyRelu(b.layerNorm(b.conv1d(t, channels, 5)), 0.2), convMask);
  const encoded = w.mul(b.project(b.biLstm(w.reshape(t, [TOKENS, channels]), b.width(256)), 512), tokenMask);
  const tEn = w.reshape(w.transpose(encoded, [1, 0]), [1, 512, TOKENS], outputTensorName(2));

  return b.finish([duration, dOut, tEn], BUNDLE_IO.predictor.outputs);
}

export function buildShadowProsody(options: ShadowOptions = {}): ShadowGraph {
  const b = new ShadowBuilder(options.scale ?? 1, options.seed ?? 2, options.int8);
  const w = b.w;
  const [d, tEn, aln, refS, frameMask] = b.inputs('prosody') as [number, number, number, number, number];
  const style = b.styles(refS).predictor;
  w.tag('alignment');
  const asr = w.batchMatMul(tEn, aln);
  const asrOut = w.reshape(asr, [1, 512, FRAMES], outputTensorName(0));
  const en = w.reshape(w.batchMatMul(aln, d, true, false), [FRAMES, 640]);

  w.tag('shared_lstm');
  const shared = w.reshape(b.biLstm(en, b.width(256)), [1, 1, FRAMES, 2 * b.width(256)]);

  w.tag('f0_n');
  const masks = { frames: b.mask(frameMask, 1), doubled: b.mask(frameMask, 2) };
  const branch = (name: string, bias: number): number => {
    let x = b.adainResBlk1d(shared, style, b.width(512), masks.frames);
    x = b.adainResBlk1d(x, style, b.width(256), masks.frames, masks.doubled);
    x = b.adainResBlk1d(x, style, b.width(256), masks.doubled);
    return w.reshape(b.linear(x, 1, true, bias), [1, 2 * FRAMES], name);
  };
  const f0 = branch(outputTensorName(1), 150);
  const n = branch(outputTensorName(2), 0);
  return b.finish([asrOut, f0, n], BUNDLE_IO.prosody.outputs);
}

export function buildShadowVocoder(options: ShadowOptions = {}): ShadowGraph {
  const b = new ShadowBuilder(options.scale ?? 1, options.seed ?? 3, options.int8);
  const w = b.w;
  const [asrIn, f0In, nIn, har, refS, frameMask] = b.inputs('vocoder') as [number, number, number, number, number, number];
  const style = b.styles(refS).decoder;

  w.tag('decoder');
  const masks = { frames: b.mask(frameMask, 1), doubled: b.mask(frameMask, 2) };
  const asr = w.reshape(w.transpose(asrIn, [0, 2, 1]), [1, 1, FRAMES, 512]);
  const curve = (t: number): number => b.conv1d(w.reshape(t, [1, 1, 2 * FRAMES, 1]), 1, 3, { stride: 2 });
  const f0 = curve(f0In);
  const n = curve(nIn);
  const wide = b.width(1024);
  let x = b.adainResBlk1d(w.concat([asr, f0, n], 3), style, wide, masks.frames);
  const asrRes = b.conv1d(asr, b.width(64), 1);
  for (let i = 0; i < 3; i++) x = b.adainResBlk1d(w.concat([x, asrRes, f0, n], 3), style, wide, masks.frames);
  x = b.adainResBlk1d(w.concat([x, asrRes, f0, n], 3), style, b.width(512), masks.frames, masks.doubled);

  w.tag('generator');
  const source = w.reshape(w.transpose(har, [0, 2, 1]), [1, 1, STEPS, 22]);
  const stage1Values = b.repeat(masks.doubled.values, 10);
  const stage1: Mask = { values: stage1Values, inverseCount: w.div(b.scalar(1), w.reduce('SUM', stage1Values, [2])) };
  const stage2Values = b.repeat(stage1Values, 6);
  const stage2Padded = w.concat([w.slice(stage2Values, [0, 0, 1, 0], [1, 1, 1, 1]), stage2Values], 2);
  const stage2: Mask = { values: stage2Padded, inverseCount: w.div(b.scalar(1), w.reduce('SUM', stage2Padded, [2])) };
  const stages = [
    { rate: 10, kernel: 20, channels: b.width(256), mask: stage1, noise: { kernel: 12, stride: 6, pad: 3, block: 7 } },
    { rate: 6, kernel: 12, channels: b.width(128), mask: stage2, noise: { kernel: 1, stride: 1, pad: 0, block: 11 } },
  ];
  for (const [i, stage] of stages.entries()) {
    x = w.leakyRelu(x, 0.1);
    const padded = stage.noise.pad ? w.pad(source, [[0, 0], [0, 0], [stage.noise.pad, stage.noise.pad], [0, 0]]) : source;
    let noise = b.conv1d(padded, stage.channels, stage.noise.kernel, { stride: stage.noise.stride, padding: 'valid' });
    noise = b.adainResBlock1(noise, style, stage.noise.block, stage.mask);
    const cin = b.channels(x);
    x = w.transposeConv(x, b.kernel([stage.channels, 1, stage.kernel, cin], cin * stage.kernel), b.weights([stage.channels], cin * stage.kernel), stage.rate);
    // ReflectionPad1d((1, 0)) after the last upsampling: 61,440 steps become 61,441.
    if (i === stages.length - 1) x = w.concat([w.slice(x, [0, 0, 1, 0], [1, 1, 1, stage.channels]), x], 2);
    x = w.add(x, noise);
    const blocks = [3, 7, 11].map((kernel) => b.adainResBlock1(x, style, kernel, stage.mask));
    x = w.mul(w.add(w.add(blocks[0]!, blocks[1]!), blocks[2]!), b.scalar(1 / 3));
  }
  const post = b.conv1d(w.leakyRelu(x, 0.01), 22, 7);
  const rows = w.reshape(w.transpose(w.reshape(post, [1, STEPS, 22]), [0, 2, 1]), [1, 22, STEPS]);
  const spec = w.unary('EXP', w.slice(rows, [0, 0, 0], [1, 11, STEPS]), outputTensorName(0));
  const phase = w.unary('SIN', w.slice(rows, [0, 11, 0], [1, 11, STEPS]), outputTensorName(1));
  return b.finish([spec, phase], BUNDLE_IO.vocoder.outputs);
}

export const SHADOW_BUILDERS: Record<BundleKind, (options: ShadowOptions) => ShadowGraph> = {
  predictor: buildShadowPredictor,
  prosody: buildShadowProsody,
  vocoder: buildShadowVocoder,
};

export interface ShadowSummary {
  kind: BundleKind;
  file: string;
  bytes: number;
  params: Map<string, number>;
  macs: Map<string, number>;
  operators: number;
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes a file through a temporary name, so an interrupted run leaves no half-written file. */
function writeWhole(path: string, data: Uint8Array): void {
  const temp = `${path}.partial`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The file that marks a folder as made by shadow:make, the only kind it writes into once it holds files. */
export const SHADOW_MARKER = '.kokoro-shadow';

/** The files of a shadow model folder besides the graphs. */
const SUPPORT_FILES = { basisReal: BASIS_FILES.real, basisImag: BASIS_FILES.imag, lLinear: L_LINEAR_FILE, vocab: 'vocab.json' } as const;

/** A short chunk's phoneme ids with their bounding zeros, for checks that speak through shadows. */
export const SHADOW_SAMPLE_IDS: readonly number[] = [0, 50, 83, 156, 57, 135, 16, 65, 156, 87, 158, 54, 46, 0];

/** The shadows' l_linear.bin: the nine harmonics weighted alike, no bias. */
export const SHADOW_L_LINEAR = Float32Array.of(...new Array<number>(9).fill(0.1), 0);

/**
 * Writes a model folder the engine accepts (`--model-dir`): the three shadow graphs, the
 * inverse-STFT bases from their definition, an l_linear.bin and the vocabulary copied from
 * `vocabFile`. Graphs are built one at a time, so memory holds one graph (about twice its size).
 * The folder must be new, empty, or made by an earlier run (SHADOW_MARKER): random weights
 * written over a real model's files would pass for the model.
 */
export function writeShadowModel(dir: string, vocabFile: string, options: ShadowOptions = {}, onGraph?: (summary: ShadowSummary) => void): ShadowSummary[] {
  mkdirSync(dir, { recursive: true });
  const present = readdirSync(dir);
  if (!present.includes(SHADOW_MARKER)) {
    if (present.length > 0) throw new Error(`${dir} is not empty and was not made by shadow:make (it has no ${SHADOW_MARKER} file): choose a new or empty folder (a shadow folder from before the marker can be deleted and made again)`);
    writeFileSync(join(dir, SHADOW_MARKER), 'Made by npm run shadow:make: Kokoro graphs with random weights, not the model.\n');
  }
  // A run killed mid-write (Ctrl+C) leaves only a .partial file: the next run removes its own.
  for (const file of [...Object.values(GRAPH_FILES), ...Object.values(SUPPORT_FILES)]) rmSync(join(dir, `${file}.partial`), { force: true });
  const summaries: ShadowSummary[] = [];
  for (const kind of Object.keys(SHADOW_BUILDERS) as BundleKind[]) {
    const graph = SHADOW_BUILDERS[kind](options);
    writeWhole(join(dir, GRAPH_FILES[kind]), graph.bytes);
    const summary = { kind, file: GRAPH_FILES[kind], bytes: graph.bytes.length, params: graph.params, macs: graph.macs, operators: graph.operators };
    summaries.push(summary);
    onGraph?.(summary);
  }
  const bases = definedInverseBases();
  writeWhole(join(dir, SUPPORT_FILES.basisReal), bytesOf(bases.basisReal));
  writeWhole(join(dir, SUPPORT_FILES.basisImag), bytesOf(bases.basisImag));
  writeWhole(join(dir, SUPPORT_FILES.lLinear), bytesOf(SHADOW_L_LINEAR));
  writeWhole(join(dir, SUPPORT_FILES.vocab), readFileSync(vocabFile));
  return summaries;
}
