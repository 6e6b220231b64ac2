/**
 * A neural G2P model's memory: its weights, then each word's scratch, in the linear memory of the
 * SIMD kernels (kernels.wat), so the kernels read them where they lie. Offsets count float32s.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm';

const PAGE_BYTES = 65_536;
/** Floats per 16 bytes: every block starts on a 16-byte boundary, as the kernel's vector loads like. */
const ALIGN = 4;

/**
 * The parts of the WebAssembly API used here. Typed locally because this folder is compiled both
 * with the DOM's declarations (renderer) and without them (Node's tsconfig, whose lib lacks them).
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const NO_SIMD = 'G2P model: this JavaScript runtime lacks WebAssembly SIMD (Node 16.4+ and Chromium 91+ have it)';

function webAssembly(): WasmApi {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) throw new Error(NO_SIMD);
  return api;
}

let compiled: object | undefined;

/** The kernels, compiled once per process; under 4 KB, so a synchronous compile is allowed even on a browser's main thread. */
function kernelModule(): object {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    if (!webAssembly().validate(bytes)) throw new Error(NO_SIMD);
    compiled = new (webAssembly().Module)(bytes);
  }
  return compiled;
}

type LinearExport = (w: number, b: number, x: number, y: number, n: number, inDim: number, outDim: number, mode: number) => void;
type AttendExport = (q: number, k: number, v: number, s: number, out: number, len: number, d: number, heads: number, scale: number) => void;
type LayerNormExport = (x: number, y: number, g: number, b: number, n: number, d: number) => void;

/** What a linear layer does with its sums: writes them, writes their ReLU, or adds them to y (a residual). */
export type LinearOutput = 'store' | 'relu' | 'add';
const LINEAR_MODES: Record<LinearOutput, number> = { store: 0, relu: 1, add: 2 };

export class KernelHeap {
  private readonly memory: WasmMemory;
  private readonly linearExport: LinearExport;
  private readonly attendExport: AttendExport;
  private readonly layerNormExport: LayerNormExport;
  /** The whole memory as floats. Replaced when the memory grows: read it after the last alloc(). */
  f32: Float32Array;
  /** The first free float. */
  top = 0;

  constructor() {
    const instance = new (webAssembly().Instance)(kernelModule(), {});
    this.memory = instance.exports.memory as WasmMemory;
    this.linearExport = instance.exports.linear as LinearExport;
    this.attendExport = instance.exports.attend as AttendExport;
    this.layerNormExport = instance.exports.layerNorm as LayerNormExport;
    this.f32 = new Float32Array(this.memory.buffer);
  }

  /** A block of `floats` (zeroed the first time the memory holds it), growing the memory if needed. */
  alloc(floats: number): number {
    const offset = this.top;
    this.top += Math.ceil(floats / ALIGN) * ALIGN;
    const needed = Math.ceil((this.top * 4) / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > 0) {
      this.memory.grow(needed);
      this.f32 = new Float32Array(this.memory.buffer);
    }
    return offset;
  }

  /** Copies values into a new block; returns its offset. */
  store(values: ArrayLike<number>): number {
    const offset = this.alloc(values.length);
    this.f32.set(values, offset);
    return offset;
  }

  /**
   * y[t] = b + x[t] W for t < n (or its ReLU, or y[t] += it: `output`), W stored transposed
   * (inDim x outDim rows) at `w`; outDim a multiple of 4. Offsets in floats.
   */
  linear(w: number, b: number, x: number, y: number, n: number, inDim: number, outDim: number, output: LinearOutput = 'store'): void {
    this.linearExport(w * 4, b * 4, x * 4, y * 4, n, inDim, outDim, LINEAR_MODES[output]);
  }

  /** LayerNorm (gain g, bias b) of n rows of d floats at x into y (which may be x); d a multiple of 4. */
  layerNorm(x: number, y: number, g: number, b: number, n: number, d: number): void {
    this.layerNormExport(x * 4, y * 4, g * 4, b * 4, n, d);
  }

  /**
   * Multi-head attention of the query at q over len rows of keys k and values v (d floats each;
   * head h is the h-th slice of d / heads floats, a multiple of 4) into out; s: len floats of scratch.
   */
  attend(q: number, k: number, v: number, s: number, out: number, len: number, d: number, heads: number): void {
    this.attendExport(q * 4, k * 4, v * 4, s * 4, out * 4, len, d, heads, 1 / Math.sqrt(d / heads));
  }
}
