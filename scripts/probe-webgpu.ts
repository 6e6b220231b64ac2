/**
 * Probe for issue #16: can LiteRT.js (@litertjs/core) run a .tflite graph on its WebGPU
 * accelerator in headless Chromium, and does the WebGPU output match the CPU (wasm / XNNPack)
 * output of the same graph on the same input?
 *   npm run probe:webgpu [-- --graphs tconv,tconvvalid] [--scale 0.05] [--tflite a.tflite,b.tflite]
 *       [--variants jspi,simd] [--runs 3] [--precision fp32|fp16] [--flags="--enable-unsafe-webgpu ..."]
 *       [--adapters-only] [--run-timeout 600] [--dump DIR]
 *
 * 1. Launches Chromium ($CHROMIUM_PATH, default /usr/bin/chromium) with several flag sets and
 *    prints, for each, whether `navigator.gpu` exists and what `requestAdapter()` returns.
 * 2. With the first flag set that gives an adapter (or --flags), loads LiteRT.js in a page per
 *    wasm variant (a fresh browser each: LiteRT.js keeps one global instance per page), compiles
 *    every graph for 'wasm' and for 'webgpu', runs both on the same seeded input and prints the
 *    accelerator each compiled for, compile and run times, and per output the agreement (max
 *    |diff|, correlation, SNR; for a poor match, the time shift that fits best). Outputs come
 *    back to Node by POST; --dump writes them to DIR as raw little-endian arrays.
 *
 * Graphs (--graphs, default all): small single-op models written with tflite-writer (so a
 * failure of the big graph can be told apart from WebGPU not working at all) and the shadow
 * Kokoro vocoder at --scale; the *valid graphs write every TRANSPOSE_CONV as 'valid' + SLICE.
 * --tflite adds files from disk (e.g. a folder written by `npm run shadow:make`). Inputs are
 * made in the page from each input's name/dtype/shape, so any .tflite works: masks are all
 * ones, int32 inputs are token ids below 178, other floats are uniform in [-1, 1).
 *
 * Finding (Chromium 156, SwiftShader adapter, @litertjs/core 2.5.3): an adapter only with
 * --enable-unsafe-webgpu; every built-in graph runs fully on WebGPU and matches the CPU except
 * TRANSPOSE_CONV with 'same' padding, whose WebGPU output is shifted in time. Written as 'valid'
 * + SLICE it matches (the shadow vocoder at about 64 dB SNR, against 1-3 dB with 'same').
 *
 * Why the wasm variants matter: LiteRT.js only partitions a model between WebGPU and wasm with
 * the JSPI build (`loadLiteRt(dir, {jspi: true})`); with the plain build a model that is not
 * fully delegated silently falls back to wasm as a whole (a console warning), so the probe prints
 * the compiled model's accelerator and `isFullyAccelerated` next to the numbers.
 * A software adapter (SwiftShader) says whether the path works and agrees; its speed says nothing
 * about a real GPU.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { Mulberry32 } from '../src-shared/kokoro/random';
import { buildShadowVocoder } from './lib/kokoro-shadow';
import { TfliteGraphWriter } from './lib/tflite-writer';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const CORE_DIR = dirname(require.resolve('@litertjs/core/package.json'));
// @litertjs/core's ESM build imports this bare specifier; the page maps it with an import map.
const WASM_UTILS_DIR = dirname(require.resolve('@litertjs/wasm-utils/package.json'));

/** Flags every launch gets (as test/helpers/browser.ts, minus --disable-gpu, which is tried as a set). */
const BASE_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Flag sets tried for an adapter, in order; the first that gives one runs the graphs. */
const FLAG_SETS: readonly (readonly string[])[] = [
  [],
  ['--disable-gpu'],
  ['--enable-unsafe-swiftshader'],
  ['--use-webgpu-adapter=swiftshader'],
  ['--enable-unsafe-webgpu'],
  ['--enable-unsafe-webgpu', '--disable-gpu'],
  ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
  ['--enable-unsafe-webgpu', '--enable-features=Vulkan,WebGPU', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  ['--headless=new', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader'],
];

// ---------------------------------------------------------------------------------------------
// Graphs

/** Seeded uniform values in [-a, a) with a = sqrt(3 / fanIn) (std 1/sqrt(fanIn)). */
function weights(seed: number, count: number, fanIn: number): Float32Array {
  const random = new Mulberry32(seed);
  const half = Math.sqrt(3 / fanIn);
  return Float32Array.from({ length: count }, () => (random.uniform() * 2 - 1) * half);
}

type SmallGraph = (w: TfliteGraphWriter) => void;

/** One op type each (twice where a chain is cheap), at sizes like the vocoder's. */
const SMALL_GRAPHS: Record<string, SmallGraph> = {
  fc(w) {
    const x = w.input('x', 'float32', [1, 256, 512]);
    const h = w.fullyConnected(x, w.constant(weights(1, 384 * 512, 512), [384, 512]), w.constant(weights(2, 384, 512), [384]), 'relu');
    w.output(w.fullyConnected(h, w.constant(weights(3, 256 * 384, 384), [256, 384]), w.constant(weights(4, 256, 384), [256])), 'y');
  },
  conv2d(w) {
    const x = w.input('x', 'float32', [1, 32, 32, 16]);
    const h = w.conv2d(x, w.constant(weights(5, 32 * 9 * 16, 144), [32, 3, 3, 16]), w.constant(weights(6, 32, 144), [32]), { fused: 'relu' });
    w.output(w.conv2d(h, w.constant(weights(7, 16 * 9 * 32, 288), [16, 3, 3, 32]), w.constant(weights(8, 16, 288), [16])), 'y');
  },
  /** The vocoder's conv1d: CONV_2D over [1, 1, T, C] with a 1 x k dilated kernel. */
  conv1d(w) {
    const x = w.input('x', 'float32', [1, 1, 4096, 64]);
    w.output(w.conv2d(x, w.constant(weights(9, 64 * 7 * 64, 448), [64, 1, 7, 64]), w.constant(weights(10, 64, 448), [64]), { dilation: 3 }), 'y');
  },
  /** The generator's first upsampling: TRANSPOSE_CONV x10 with a kernel of 20 ('same' padding, 5 a side). */
  tconv(w) {
    const x = w.input('x', 'float32', [1, 1, 512, 64]);
    w.output(w.transposeConv(x, w.constant(weights(11, 32 * 20 * 64, 1280), [32, 1, 20, 64]), w.constant(weights(12, 32, 1280), [32]), 10), 'y');
  },
  /** The generator's second upsampling: x6, kernel 12 ('same' padding, 3 a side). */
  tconv6(w) {
    const x = w.input('x', 'float32', [1, 1, 1024, 32]);
    w.output(w.transposeConv(x, w.constant(weights(13, 16 * 12 * 32, 384), [16, 1, 12, 32]), w.constant(weights(14, 16, 384), [16]), 6), 'y');
  },
  /** Kernel = stride, where 'same' pads nothing: tells whether a WebGPU shift depends on the amount of padding. */
  tconvk10(w) {
    const x = w.input('x', 'float32', [1, 1, 512, 64]);
    w.output(w.transposeConv(x, w.constant(weights(15, 32 * 10 * 64, 640), [32, 1, 10, 64]), w.constant(weights(16, 32, 640), [32]), 10), 'y');
  },
  /** The 'tconv' graph (same weights, same input) written as 'valid' + SLICE. */
  tconvvalid(w) {
    const x = w.input('x', 'float32', [1, 1, 512, 64]);
    w.output(transposeConvValid(w, x, w.constant(weights(11, 32 * 20 * 64, 1280), [32, 1, 20, 64]), w.constant(weights(12, 32, 1280), [32]), 10), 'y');
  },
  /** The vocoder's element-wise and layout ops: LEAKY_RELU, SUM, SUB, MUL, DIV, CONCAT, PAD, SLICE, TRANSPOSE, RESHAPE, EXP, SIN. */
  misc(w) {
    const x = w.input('x', 'float32', [1, 1, 1024, 22]);
    const a = w.leakyRelu(x, 0.1);
    const mean = w.mul(w.reduce('SUM', a, [2]), w.constant(Float32Array.of(1 / 1024), [1]));
    const c = w.div(w.sub(a, mean), w.constant(Float32Array.of(2), [1]));
    const padded = w.pad(w.concat([w.slice(c, [0, 0, 1, 0], [1, 1, 1, 22]), c], 2), [[0, 0], [0, 0], [3, 3], [0, 0]]);
    const rows = w.reshape(w.transpose(w.reshape(padded, [1, 1031, 22]), [0, 2, 1]), [1, 22, 1031]);
    w.output(w.unary('EXP', w.slice(rows, [0, 0, 0], [1, 11, 1031])), 'spec');
    w.output(w.unary('SIN', w.slice(rows, [0, 11, 0], [1, 11, 1031])), 'phase');
  },
  norm: normGraph,
};

/**
 * The vocoder's AdaIN pattern: masked instance norm (SUM, MUL, SUB, RSQRT), gamma/beta from a
 * style vector (FULLY_CONNECTED, RESHAPE, SPLIT), then the upsampling block's DEPTHWISE_CONV_2D.
 */
function normGraph(w: TfliteGraphWriter): void {
  const x = w.input('x', 'float32', [1, 1, 1024, 32]);
  const style = w.input('style', 'float32', [1, 128]);
  const mask = w.input('frame_mask', 'float32', [1, 1, 1024, 1]);
  const inverseCount = w.div(w.constant(Float32Array.of(1), [1]), w.reduce('SUM', mask, [2]));
  const mean = w.mul(w.reduce('SUM', w.mul(x, mask), [2]), inverseCount);
  const centred = w.sub(x, mean);
  const variance = w.mul(w.reduce('SUM', w.mul(w.mul(centred, centred), mask), [2]), inverseCount);
  const normed = w.mul(centred, w.unary('RSQRT', w.add(variance, w.constant(Float32Array.of(1e-5), [1]))));
  const h = w.reshape(w.fullyConnected(style, w.constant(weights(17, 64 * 128, 128), [64, 128]), w.constant(weights(18, 64, 128), [64])), [1, 1, 1, 64]);
  const [gamma, beta] = w.split(h, 3, 2) as [number, number];
  const styled = w.add(w.mul(normed, w.add(gamma!, w.constant(Float32Array.of(1), [1]))), beta!);
  w.output(w.depthwiseConv2d(w.leakyRelu(styled, 0.2), w.constant(weights(19, 3 * 32, 3), [1, 1, 3, 32]), w.constant(weights(20, 32, 3), [32])), 'y');
}

// The writer's own method: withValidTransposeConv swaps the prototype's for one that calls this.
const writerTransposeConv = TfliteGraphWriter.prototype.transposeConv;

/**
 * TRANSPOSE_CONV with 'valid' padding, then a SLICE to the window 'same' keeps (TFLite pads
 * floor((kernel - stride) / 2) before): the numbers of the writer's 'same' op, written as a
 * PyTorch export with explicit padding may write them.
 */
function transposeConvValid(w: TfliteGraphWriter, x: number, filter: number, bias: number | undefined, stride: number): number {
  const [n, h, wIn] = w.shapeOf(x) as [number, number, number, number];
  const [cout, , kw] = w.shapeOf(filter) as [number, number, number, number];
  const full = writerTransposeConv.call(w, x, filter, bias, stride, 'valid');
  return w.slice(full, [0, 0, Math.floor((kw - stride) / 2), 0], [n, h, wIn * stride, cout]);
}

/** Builds with every writer's transposeConv swapped for transposeConvValid (same weights: the swap draws none). */
function withValidTransposeConv<T>(build: () => T): T {
  const proto = TfliteGraphWriter.prototype;
  proto.transposeConv = function (this: TfliteGraphWriter, x: number, filter: number, bias: number | undefined, stride: number): number {
    return transposeConvValid(this, x, filter, bias, stride);
  };
  try {
    return build();
  } finally {
    proto.transposeConv = writerTransposeConv;
  }
}

function buildGraphs(names: readonly string[], scale: number, files: readonly string[]): Map<string, Uint8Array> {
  const graphs = new Map<string, Uint8Array>();
  for (const name of names) {
    if (name === 'vocoder') {
      graphs.set(`vocoder@${scale}`, buildShadowVocoder({ scale }).bytes);
      continue;
    }
    if (name === 'vocodervalid') {
      graphs.set(`vocodervalid@${scale}`, withValidTransposeConv(() => buildShadowVocoder({ scale })).bytes);
      continue;
    }
    const make = SMALL_GRAPHS[name];
    if (!make) throw new Error(`unknown graph "${name}" (known: ${[...Object.keys(SMALL_GRAPHS), 'vocoder', 'vocodervalid'].join(', ')})`);
    const w = new TfliteGraphWriter();
    make(w);
    graphs.set(name, w.build());
  }
  for (const file of files) graphs.set(basename(file, '.tflite'), readFileSync(file));
  return graphs;
}

// ---------------------------------------------------------------------------------------------
// The page

/** Runs in the page (plain JS, so the transpiler adds nothing playwright cannot serialise). */
const PAGE_JS = String.raw`
import * as litert from '/litert/dist/index.js';

// Seeded inputs from each input's name and shape: identical for both accelerators, and for two
// graphs with the same inputs (so 'tconv' and 'tconvvalid' can be compared on CPU too).
function makeInput(d) {
  const count = Array.from(d.shape).reduce((a, b) => a * b, 1);
  let s = 0;
  for (const ch of d.name + '/' + Array.from(d.shape).join(',')) s = (Math.imul(s, 31) + ch.charCodeAt(0)) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  if (d.dtype === 'int32') return Int32Array.from({ length: count }, () => Math.floor(next() * 178));
  if (/mask/i.test(d.name)) return new Float32Array(count).fill(1);
  return Float32Array.from({ length: count }, () => next() * 2 - 1);
}

const text = (e) => (e && e.stack ? String(e.stack) : String(e));
const details = (list) => list.map((d) => ({ name: d.name, dtype: d.dtype, shape: Array.from(d.shape) }));

window.probe = {
  async adapter() {
    const out = { gpu: !!navigator.gpu, secureContext: isSecureContext, jspi: 'Suspending' in WebAssembly, crossOriginIsolated };
    if (!navigator.gpu) return out;
    try {
      const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
      out.adapter = !!a;
      if (a) {
        const i = a.info || {};
        out.info = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter };
        out.features = [...a.features].sort();
        out.limits = { maxBufferSize: a.limits.maxBufferSize, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize, maxStorageBuffersPerShaderStage: a.limits.maxStorageBuffersPerShaderStage };
      }
    } catch (e) {
      out.error = text(e);
    }
    return out;
  },

  async load(variant) {
    const options = variant === 'jspi' ? { jspi: true } : variant === 'threaded' ? { threads: true } : {};
    const t0 = performance.now();
    try {
      await litert.loadLiteRt('/litert/wasm/', options);
    } catch (e) {
      return { error: text(e) };
    }
    const device = litert.getWebGpuDevice();
    return { ms: performance.now() - t0, webGpuDevice: !!device, deviceFeatures: device ? [...device.features].sort() : [] };
  },

  // Compiles, runs once (warm-up: pipelines, packing) and then 'runs' times; each timed run
  // includes reading the outputs back, so a WebGPU run is not timed before its work is done.
  async run(graph, accelerator, runs, precision) {
    const result = { accelerator };
    const inputs = {};
    let model;
    try {
      const bytes = new Uint8Array(await (await fetch('/model/' + encodeURIComponent(graph))).arrayBuffer());
      let t = performance.now();
      const options = accelerator === 'webgpu' ? { accelerator, gpuOptions: { precision } } : { accelerator };
      model = await litert.loadAndCompile(bytes, options);
      result.compileMs = performance.now() - t;
      result.compiledAccelerator = model.options.accelerator;
      result.fullyAccelerated = model.isFullyAccelerated;
      result.inputs = details(model.getInputDetails());
      result.outputs = details(model.getOutputDetails());
      for (const d of model.getInputDetails()) inputs[d.name] = new litert.Tensor(makeInput(d), Array.from(d.shape));
      result.runMs = [];
      for (let i = 0; i <= runs; i++) {
        t = performance.now();
        const outputs = await model.run(inputs);
        const data = {};
        for (const [name, tensor] of Object.entries(outputs)) {
          data[name] = await tensor.data();
          tensor.delete();
        }
        result.runMs.push(performance.now() - t);
        if (i === runs) {
          for (const [name, values] of Object.entries(data)) {
            const body = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
            const url = '/result/' + encodeURIComponent(graph) + '/' + accelerator + '/' + encodeURIComponent(name) + '?dtype=' + values.constructor.name;
            await fetch(url, { method: 'POST', body });
          }
        }
      }
    } catch (e) {
      result.error = text(e);
    } finally {
      for (const t of Object.values(inputs)) t.delete();
      model?.delete();
    }
    return result;
  },
};
window.probeReady = true;
`;

const PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>LiteRT.js WebGPU probe</title>
<script type="importmap">{"imports": {"@litertjs/wasm-utils": "/wasm-utils/dist/index.js"}}</script>
<script type="module" src="/probe.js"></script>`;

// ---------------------------------------------------------------------------------------------
// The server: the page, LiteRT.js's files, the graphs; outputs come back by POST.

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

interface Output {
  data: Float32Array | Int32Array;
}

function serve(graphs: Map<string, Uint8Array>, results: Map<string, Output>): Promise<{ url: string; close(): Promise<void> }> {
  const send = (res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain'): void => {
    // Cross-origin isolation lets the threaded variant use SharedArrayBuffer.
    res.writeHead(status, { 'content-type': type, 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' });
    res.end(body);
  };
  const file = (res: ServerResponse, root: string, rel: string): void => {
    const path = resolve(root, rel);
    if (!path.startsWith(root + sep)) return send(res, 403, 'outside');
    try {
      send(res, 200, readFileSync(path), TYPES[extname(path)] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'not found');
    }
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/' || path === '/probe.html') return send(res, 200, PAGE_HTML, 'text/html');
    if (path === '/probe.js') return send(res, 200, PAGE_JS, 'text/javascript');
    if (path === '/favicon.ico') return send(res, 204, '');
    if (path.startsWith('/litert/')) return file(res, CORE_DIR, path.slice('/litert/'.length));
    if (path.startsWith('/wasm-utils/')) return file(res, WASM_UTILS_DIR, path.slice('/wasm-utils/'.length));
    if (path.startsWith('/model/')) {
      const bytes = graphs.get(decodeURIComponent(path.slice('/model/'.length)));
      return bytes ? send(res, 200, bytes, 'application/octet-stream') : send(res, 404, 'no such graph');
    }
    if (path.startsWith('/result/') && req.method === 'POST') {
      const [graph, accel, name] = path.slice('/result/'.length).split('/').map(decodeURIComponent);
      const copy = new Uint8Array(body).buffer;
      results.set(`${graph}|${accel}|${name}`, { data: url.searchParams.get('dtype') === 'Int32Array' ? new Int32Array(copy) : new Float32Array(copy) });
      return send(res, 204, '');
    }
    send(res, 404, 'not found');
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ok({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Browser

async function launch(flags: readonly string[]): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...flags], timeout: 60_000 });
}

/** Opens the probe page; keeps the page's console lines (LiteRT's delegate messages land there). */
async function openProbe(browser: Browser, url: string, consoleLines: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  await page.goto(`${url}/probe.html`);
  await page.waitForFunction('window.probeReady === true', undefined, { timeout: 30_000 });
  return page;
}

// ---------------------------------------------------------------------------------------------
// Agreement

interface Agreement {
  count: number;
  nonFinite: [number, number];
  maxAbsDiff: number;
  maxAbsRef: number;
  correlation: number;
  snrDb: number;
}

/**
 * For a disagreeing [1, 1, T, C] output: the shift of the GPU output along T (within ±maxShift)
 * that correlates best with the CPU output, to tell an offset (padding) from garbage.
 */
function bestShift(ref: ArrayLike<number>, test: ArrayLike<number>, shape: readonly number[], maxShift = 32): { shift: number; correlation: number } {
  const [, , steps, channels] = shape as [number, number, number, number];
  let best = { shift: 0, correlation: -Infinity };
  for (let shift = -maxShift; shift <= maxShift; shift++) {
    // test[t + shift] against ref[t], over the overlap.
    const from = Math.max(0, -shift);
    const to = Math.min(steps, steps - shift);
    if (to - from < steps / 2) continue;
    const r = Array.prototype.slice.call(ref, from * channels, to * channels) as number[];
    const t = Array.prototype.slice.call(test, (from + shift) * channels, (to + shift) * channels) as number[];
    const c = agreement(r, t).correlation;
    if (c > best.correlation) best = { shift, correlation: c };
  }
  return best;
}

/** max |cpu - gpu|, Pearson correlation and SNR = 10 log10(sum cpu^2 / sum (cpu - gpu)^2), over finite pairs. */
function agreement(ref: ArrayLike<number>, test: ArrayLike<number>): Agreement {
  let n = 0;
  let badRef = 0;
  let badTest = 0;
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  let sr = 0;
  let st = 0;
  let srr = 0;
  let stt = 0;
  let srt = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const t = test[i]!;
    if (!Number.isFinite(r)) badRef++;
    if (!Number.isFinite(t)) badTest++;
    if (!Number.isFinite(r) || !Number.isFinite(t)) continue;
    n++;
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(r - t));
    maxAbsRef = Math.max(maxAbsRef, Math.abs(r));
    sr += r;
    st += t;
    srr += r * r;
    stt += t * t;
    srt += r * t;
    noise += (r - t) * (r - t);
  }
  const cov = srt - (sr * st) / n;
  const varR = srr - (sr * sr) / n;
  const varT = stt - (st * st) / n;
  return {
    count: ref.length,
    nonFinite: [badRef, badTest],
    maxAbsDiff,
    maxAbsRef,
    correlation: cov / Math.sqrt(varR * varT),
    snrDb: noise === 0 ? Infinity : 10 * Math.log10(srr / noise),
  };
}

const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

interface RunResult {
  accelerator: string;
  error?: string;
  compileMs?: number;
  compiledAccelerator?: string;
  fullyAccelerated?: boolean;
  inputs?: { name: string; dtype: string; shape: number[] }[];
  outputs?: { name: string; dtype: string; shape: number[] }[];
  runMs?: number[];
}

function describeRun(r: RunResult): string {
  if (r.error) return `${r.accelerator}: FAILED ${r.error.split('\n').slice(0, 3).join(' | ')}`;
  const runs = r.runMs ?? [];
  return (
    `${r.accelerator}: compiled for ${r.compiledAccelerator}, fully accelerated ${r.fullyAccelerated}, compile ${ms(r.compileMs)}, ` +
    `first run ${ms(runs[0])}, then median ${ms(runs.length > 1 ? median(runs.slice(1)) : undefined)} over ${Math.max(0, runs.length - 1)}`
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      graphs: { type: 'string', default: 'fc,conv2d,conv1d,tconv,tconv6,tconvk10,tconvvalid,misc,norm,vocoder,vocodervalid' },
      scale: { type: 'string', default: '0.05' },
      tflite: { type: 'string', default: '' },
      variants: { type: 'string', default: 'jspi,simd' },
      runs: { type: 'string', default: '3' },
      precision: { type: 'string', default: 'fp32' },
      flags: { type: 'string' },
      'adapters-only': { type: 'boolean', default: false },
      'run-timeout': { type: 'string', default: '600' },
      dump: { type: 'string' },
    },
  });
  const scale = Number(values.scale);
  const runs = Math.max(0, Number(values.runs));
  const runTimeoutMs = Number(values['run-timeout']) * 1000;
  const graphNames = values.graphs.split(',').filter(Boolean);
  const files = values.tflite.split(',').filter(Boolean);
  const variants = values.variants.split(',').filter(Boolean);
  const core = JSON.parse(readFileSync(join(CORE_DIR, 'package.json'), 'utf8')) as { version: string };
  console.log(`Chromium: ${CHROMIUM}; @litertjs/core ${core.version} (${CORE_DIR})`);

  const graphs = buildGraphs(graphNames, scale, files);
  const results = new Map<string, Output>();
  const server = await serve(graphs, results);
  try {
    // 1. Adapters per flag set.
    console.log('\n== WebGPU adapter per flag set (headless; base flags: ' + BASE_ARGS.join(' ') + ')');
    const sets = values.flags !== undefined ? [values.flags.split(/\s+/).filter(Boolean)] : FLAG_SETS;
    let chosen: readonly string[] | undefined;
    for (const flags of sets) {
      const label = flags.length ? flags.join(' ') : '(none)';
      let browser: Browser | undefined;
      try {
        browser = await launch(flags);
        const lines: string[] = [];
        const page = await openProbe(browser, server.url, lines);
        const a = (await page.evaluate('window.probe.adapter()')) as Record<string, unknown>;
        const info = a.info ? ` info ${JSON.stringify(a.info)}` : '';
        const extra = a.adapter ? ` shader-f16 ${(a.features as string[]).includes('shader-f16')}, subgroups ${(a.features as string[]).includes('subgroups')}, limits ${JSON.stringify(a.limits)}` : '';
        console.log(`${label}\n  Chromium ${browser.version()}: navigator.gpu ${a.gpu}, requestAdapter() ${a.adapter ? 'adapter' : a.error ? `threw ${String(a.error)}` : 'null'}${info}${extra}; JSPI ${a.jspi}, crossOriginIsolated ${a.crossOriginIsolated}`);
        for (const line of lines) console.log(`  console: ${line}`);
        if (a.adapter && !chosen) chosen = flags;
      } catch (e) {
        console.log(`${label}\n  launch/page failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      } finally {
        await browser?.close();
      }
    }
    if (!chosen) {
      console.log('\nNo flag set gave a WebGPU adapter: LiteRT.js would have no WebGPU device (loadAndCompile with accelerator "webgpu" throws). Stopping.');
      process.exitCode = 1;
      return;
    }
    if (values['adapters-only']) return;

    // 2. LiteRT.js, CPU vs WebGPU, per wasm variant.
    console.log(`\n== LiteRT.js with flags: ${chosen.join(' ') || '(none)'}; WebGPU precision ${values.precision}; ${runs} timed run(s) after one warm-up`);
    for (const [name, bytes] of graphs) console.log(`graph ${name}: ${(bytes.length / 1e6).toFixed(2)} MB`);
    for (const variant of variants) {
      console.log(`\n-- variant ${variant}`);
      results.clear();
      const browser = await launch(chosen);
      const lines: string[] = [];
      try {
        const page = await openProbe(browser, server.url, lines);
        page.setDefaultTimeout(runTimeoutMs);
        const loaded = (await page.evaluate(`window.probe.load(${JSON.stringify(variant)})`)) as { error?: string; ms?: number; webGpuDevice?: boolean; deviceFeatures?: string[] };
        if (loaded.error) {
          console.log(`loadLiteRt failed: ${loaded.error}`);
          continue;
        }
        console.log(`loadLiteRt: ${ms(loaded.ms)}, default environment has a WebGPU device: ${loaded.webGpuDevice} (features: ${loaded.deviceFeatures?.join(', ') || 'none'})`);
        for (const graph of graphs.keys()) {
          console.log(`graph ${graph}`);
          const byAccel: Record<string, RunResult> = {};
          for (const accel of ['wasm', 'webgpu']) {
            const mark = lines.length;
            let r: RunResult;
            try {
              r = (await page.evaluate(`window.probe.run(${JSON.stringify(graph)}, ${JSON.stringify(accel)}, ${runs}, ${JSON.stringify(values.precision)})`)) as RunResult;
            } catch (e) {
              r = { accelerator: accel, error: e instanceof Error ? e.message : String(e) };
            }
            byAccel[accel] = r;
            console.log(`  ${describeRun(r)}`);
            // LiteRT's own lines about this compile/run (delegation, fallbacks, errors), deduplicated.
            const fresh = [...new Set(lines.slice(mark))].filter((l) => !/^\[(log|info|debug)\] INFO:/.test(l));
            for (const l of fresh.slice(0, 12)) console.log(`    console: ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`);
            if (fresh.length > 12) console.log(`    console: … ${fresh.length - 12} more lines`);
          }
          if (byAccel.wasm?.error || byAccel.webgpu?.error) continue;
          for (const out of byAccel.wasm!.outputs ?? []) {
            const cpu = results.get(`${graph}|wasm|${out.name}`);
            const gpu = results.get(`${graph}|webgpu|${out.name}`);
            if (!cpu || !gpu) {
              console.log(`  output ${out.name}: missing (${cpu ? '' : 'cpu '}${gpu ? '' : 'gpu'})`);
              continue;
            }
            const a = agreement(cpu.data, gpu.data);
            console.log(
              `  output ${out.name} [${out.shape.join(',')}]: max |cpu-gpu| ${a.maxAbsDiff.toExponential(2)} (max |cpu| ${a.maxAbsRef.toExponential(2)}), ` +
                `correlation ${a.correlation.toFixed(7)}, SNR ${a.snrDb.toFixed(1)} dB, non-finite cpu/gpu ${a.nonFinite.join('/')}`,
            );
            if (a.correlation < 0.99 && out.shape.length === 4 && out.shape[0] === 1 && out.shape[1] === 1) {
              const s = bestShift(cpu.data, gpu.data, out.shape);
              console.log(`    best alignment: gpu[t ${s.shift >= 0 ? '+' : '-'} ${Math.abs(s.shift)}] vs cpu[t] along axis 2, correlation ${s.correlation.toFixed(7)}`);
            }
            if (values.dump) {
              mkdirSync(values.dump, { recursive: true });
              for (const [accel, o] of [['wasm', cpu], ['webgpu', gpu]] as const) {
                writeFileSync(join(values.dump, `${variant}.${graph}.${out.name.replace(/[^\w.-]/g, '_')}.${accel}.${o.data instanceof Int32Array ? 'i32' : 'f32'}`), new Uint8Array(o.data.buffer));
              }
            }
          }
        }
        // The VALID + SLICE rewrites against the 'same' graphs, both on CPU: the rewrite is exact.
        for (const graph of graphs.keys()) {
          const twin = graph.replace(/^(tconv|vocoder)(@|$)/, '$1valid$2');
          if (twin === graph || !graphs.has(twin)) continue;
          for (const key of results.keys()) {
            const [g, accel, name] = key.split('|') as [string, string, string];
            const other = results.get(`${twin}|wasm|${name}`);
            if (g !== graph || accel !== 'wasm' || !other) continue;
            const a = agreement(results.get(key)!.data, other.data);
            console.log(`${graph} vs ${twin}, both wasm, output ${name}: max |diff| ${a.maxAbsDiff.toExponential(2)}, SNR ${a.snrDb.toFixed(1)} dB`);
          }
        }
      } catch (e) {
        console.log(`variant ${variant} failed: ${e instanceof Error ? e.message.split('\n').slice(0, 3).join(' | ') : String(e)}`);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
}

await main();
