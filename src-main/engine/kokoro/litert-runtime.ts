/**
 * LiteRT.js (@litertjs/core) in plain Node and in an Electron utility process.
 *
 * - Loading: LiteRT.js loads its Emscripten glue with a <script> tag or `importScripts`; here a
 *   short-lived `self` / `importScripts` shim evaluates the glue as CommonJS, and is removed again
 *   once the module is up (other Emscripten code in the process must not see it). A minimal
 *   `navigator` (hardwareConcurrency) is defined where missing (Node 20) and kept.
 * - Variant: threaded + relaxed SIMD, else relaxed SIMD, else compat, each tried for real
 *   (validated, then loaded). Node 20 needs V8's relaxed-SIMD flag; newer V8 (Electron) has it.
 *   The threaded build's workers re-load the glue as a script, which Node treats as ESM inside
 *   @litertjs/core ("type": "module"), so a `.cjs` copy in a cache folder is used for them.
 * - Models: loaded from bytes once, run with named inputs; every tensor is deleted; wasm failures
 *   become catalogue errors (OUT_OF_MEMORY, MODEL_LOAD_FAILED, LITERT_UNAVAILABLE).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import type * as LiteRtCore from '@litertjs/core';
import type { CompiledModel, LiteRt, Tensor, TensorDetails } from '@litertjs/core';
import { AppError } from '../../../src-shared/errors/catalogue';

export type LiteRtVariant = 'threaded' | 'simd' | 'compat';

const VARIANT_FILES: Record<LiteRtVariant, string> = {
  threaded: 'litert_wasm_threaded_internal',
  simd: 'litert_wasm_internal',
  compat: 'litert_wasm_compat_internal',
};

/** Order of preference: fastest first. */
const VARIANT_ORDER: readonly LiteRtVariant[] = ['threaded', 'simd', 'compat'];

export interface RuntimeOptions {
  /** Force one variant (also $KOKORO_LITERT_VARIANT); it fails rather than falling back. */
  variant?: LiteRtVariant;
  /** Where the threaded glue's CommonJS copy goes (default: the OS temp folder). */
  cacheDir?: string;
  /** One line about the chosen variant; default stderr. */
  log?: (line: string) => void;
}

export type TensorData = Float32Array | Int32Array | Uint8Array;

/** A tensor description as LiteRT.js reports it. */
export interface RuntimeTensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

type CoreModule = typeof LiteRtCore;

/** The parts of the WebAssembly global used here (the project's lib has no DOM types). */
interface WasmGlobal {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => unknown;
  RuntimeError: abstract new (...args: never[]) => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;

const require = createRequire(import.meta.url);

/** The folder holding LiteRT.js's .js/.wasm variants. */
export function litertWasmDir(): string {
  return join(dirname(require.resolve('@litertjs/core/package.json')), 'wasm');
}

/** @litertjs/core's version (it names the cache folder of the threaded glue). */
export function litertVersion(): string {
  try {
    return (JSON.parse(readFileSync(require.resolve('@litertjs/core/package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for the ways a wasm heap running out shows itself. */
export function isOutOfMemory(err: unknown): boolean {
  const text = message(err);
  return /memory access out of bounds|Cannot enlarge memory|Aborted\(OOM\)|out of memory|Array buffer allocation failed|could not allocate memory/i.test(text);
}

/**
 * Turns a wasm/LiteRT failure into a catalogue error; AppErrors pass through. A failed load is
 * MODEL_LOAD_FAILED, a failed run ENGINE_FAILED, a full heap OUT_OF_MEMORY either way.
 */
export function toRuntimeError(err: unknown, phase: 'load' | 'run', context: string): AppError {
  if (err instanceof AppError) return err;
  const text = message(err).replace(/\s+/g, ' ').trim();
  if (isOutOfMemory(err)) return AppError.of('OUT_OF_MEMORY', `(${context}: ${text})`);
  if (phase === 'run') return AppError.of('ENGINE_FAILED', `(${context}: ${text})`);
  if (/INT64/i.test(text)) return AppError.of('MODEL_LOAD_FAILED', `(${context}: the model uses int64 tensors, which LiteRT.js cannot pass: ${text})`);
  return AppError.of('MODEL_LOAD_FAILED', `(${context}: ${text})`);
}

// ---------------------------------------------------------------------------------------------
// Feature tests

function validates(variant: LiteRtVariant, dir: string): boolean {
  try {
    return wasm.validate(readFileSync(join(dir, `${VARIANT_FILES[variant]}.wasm`)));
  } catch {
    return false;
  }
}

let relaxedSimdFlagTried = false;

/** Relaxed SIMD: validate the SIMD build; on Node 20 switch V8's flag on and validate again. */
async function relaxedSimdAvailable(dir: string): Promise<boolean> {
  if (validates('simd', dir)) return true;
  if (!relaxedSimdFlagTried) {
    relaxedSimdFlagTried = true;
    try {
      const v8 = await import('node:v8');
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      // Not available in this runtime: no relaxed SIMD.
    }
  }
  return validates('simd', dir);
}

function threadsAvailable(dir: string): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    new wasm.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return false;
  }
  return validates('threaded', dir);
}

/**
 * Copies the threaded glue to `<cacheDir>/litert-<version>/…cjs` (once) so worker threads load it
 * as CommonJS. Worker threads run this file, so the folder must be ours alone: created 0700,
 * refused if it is a link or someone else's, and the copy is reused only if its bytes match the
 * package's. Written to a temporary name and renamed, so concurrent processes never see half a file.
 */
function threadedGlueCopy(dir: string, cacheDir: string): string {
  const folder = join(cacheDir, `litert-${litertVersion()}`);
  ownPrivateFolder(cacheDir);
  ownPrivateFolder(folder);
  const target = join(folder, `${VARIANT_FILES.threaded}.cjs`);
  const source = readFileSync(join(dir, `${VARIANT_FILES.threaded}.js`));
  const current = existsSync(target) ? readFileSync(target) : undefined;
  if (!current || !current.equals(source)) {
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, source, { mode: 0o600 });
    renameSync(temp, target);
  }
  return target;
}

/** Makes `path` a folder only this user can use, or throws if it is a link or not ours. */
function ownPrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const info = lstatSync(path);
  const uid = process.getuid?.();
  if (!info.isDirectory() || info.isSymbolicLink() || (uid !== undefined && info.uid !== uid)) {
    throw new Error(`${path} is not a private folder of this user; LiteRT's threaded loader is not copied there`);
  }
  if (uid !== undefined && (info.mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/** Where the threaded loader goes when the caller names no cache folder: a per-user folder in the temp dir. */
export function defaultLoaderCacheDir(): string {
  return join(tmpdir(), `kokoro-reader-${process.getuid?.() ?? 'user'}`);
}

/** Checks that a worker thread can load the copied glue (a failing pthread worker would crash the process). */
async function workerCanLoad(script: string): Promise<boolean> {
  try {
    const { Worker } = await import('node:worker_threads');
    return await new Promise<boolean>((resolve) => {
      const worker = new Worker(script, { workerData: 'kokoro-preflight' });
      worker.once('error', () => resolve(false));
      worker.once('exit', (code) => resolve(code === 0));
    });
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// LiteRT's own error lines

/**
 * What LiteRT's C++ side printed to stderr, kept so a run can check it: a model whose tensors
 * fail to allocate (an op that cannot prepare, a heap too full for XNNPack's packed weights) is
 * only logged, and `run` then hands back whatever the output buffers held.
 */
const NATIVE_ERRORS_KEPT = 200;
const nativeErrors = {
  /** The latest lines (LiteRT also logs INFO lines, so this is a window, not a history). */
  lines: [] as string[],
  /** Lines printed since the process started: a mark that survives the window sliding. */
  total: 0,
  print(line: string): void {
    this.lines.push(line);
    this.total++;
    if (this.lines.length > NATIVE_ERRORS_KEPT) this.lines.splice(0, this.lines.length - NATIVE_ERRORS_KEPT);
    process.stderr.write(`${line}\n`);
  },
  /** The lines printed after `mark` (a `total` read earlier) that are still in the window. */
  since(mark: number): string[] {
    return this.lines.slice(Math.max(0, this.lines.length - (this.total - mark)));
  },
};
const printNativeError = (line: string): void => nativeErrors.print(line);

/** The lines that mean the run did not compute its outputs. */
const FAILED_RUN = /Failed to allocate tensors|failed to prepare|failed to invoke|Invoke\(\) failed/i;

// ---------------------------------------------------------------------------------------------
// Loading with the browser shim

type Globals = Record<string, unknown>;

/**
 * Runs `load` with the globals LiteRT.js's loader expects, then restores the previous ones.
 * `glueFilename` is what the glue sees as its own file (the threaded build hands it to workers).
 */
async function withLoaderShim<T>(glueFilename: string, moduleArg: Record<string, unknown>, load: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as Globals;
  // `navigator` stays: the threaded build reads navigator.hardwareConcurrency at run time too
  // (Node 21+ and Electron define it themselves, as this does).
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: availableParallelism() }, configurable: true, writable: true, enumerable: false });
  }
  const names = ['self', 'importScripts', 'ModuleFactory', 'Module'] as const;
  const saved = new Map<string, PropertyDescriptor | undefined>(names.map((n) => [n, Object.getOwnPropertyDescriptor(globalThis, n)]));
  const define = (name: string, value: unknown): void => {
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false });
  };
  if (g.self === undefined) define('self', globalThis);
  define('Module', moduleArg);
  define('importScripts', (url: string) => {
    const code = readFileSync(url, 'utf8');
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: url }) as (
      exports: unknown,
      require: NodeJS.Require,
      module: { exports: unknown },
      filename: string,
      dirname: string,
    ) => void;
    const mod = { exports: {} as unknown };
    wrapper(mod.exports, createRequire(glueFilename), mod, glueFilename, dirname(glueFilename));
    define('ModuleFactory', mod.exports);
  });
  // Node has no WebGPU; LiteRT.js warns with a stack trace when it looks for one. Expected here.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Failed to create default WebGPU device')) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete g[name];
    }
  }
}

async function loadVariant(core: CoreModule, variant: LiteRtVariant, dir: string, cacheDir: string): Promise<LiteRt> {
  const glue = join(dir, `${VARIANT_FILES[variant]}.js`);
  if (variant !== 'threaded') return withLoaderShim(glue, { printErr: printNativeError }, () => core.loadLiteRt(glue));
  const copy = threadedGlueCopy(dir, cacheDir);
  if (!(await workerCanLoad(copy))) throw new Error(`a worker thread cannot load ${copy}`);
  // The main thread still reads the .wasm from the package folder.
  return withLoaderShim(copy, { locateFile: (file: string) => join(dir, file), printErr: printNativeError }, () => core.loadLiteRt(glue));
}

export interface VariantProbe {
  relaxedSimd: boolean;
  threads: boolean;
}

/** What this runtime supports, tested on LiteRT.js's own .wasm files. */
export async function probeVariants(dir = litertWasmDir()): Promise<VariantProbe> {
  const relaxedSimd = await relaxedSimdAvailable(dir);
  return { relaxedSimd, threads: relaxedSimd && threadsAvailable(dir) };
}

function requestedVariant(options: RuntimeOptions): LiteRtVariant | undefined {
  const fromEnv = process.env.KOKORO_LITERT_VARIANT?.trim();
  const v = options.variant ?? (fromEnv ? fromEnv : undefined);
  if (v === undefined) return undefined;
  if (v !== 'threaded' && v !== 'simd' && v !== 'compat') throw AppError.of('LITERT_UNAVAILABLE', `(unknown variant "${v}"; use threaded, simd or compat)`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// The runtime

/** A compiled model: named inputs in, named outputs out, as plain typed arrays. */
export class LoadedModel {
  private deleted = false;

  constructor(
    private readonly runtime: LiteRtRuntime,
    private readonly compiled: CompiledModel,
    readonly label: string,
  ) {}

  get inputs(): RuntimeTensorInfo[] {
    return this.compiled.getInputDetails().map(info);
  }

  get outputs(): RuntimeTensorInfo[] {
    return this.compiled.getOutputDetails().map(info);
  }

  /**
   * Runs the default signature. `inputs` maps every input name to its data (shapes come from
   * the model); returns every output by name. All tensors are deleted before returning.
   */
  run(inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    if (this.deleted) return Promise.reject(AppError.of('INTERNAL', `(${this.label} was already unloaded)`));
    return this.runtime.serialize(() => this.runOnce(inputs));
  }

  private async runOnce(inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    const core = this.runtime.core;
    const details = this.compiled.getInputDetails();
    const tensors: Record<string, Tensor> = {};
    let outputs: Record<string, Tensor> | undefined;
    try {
      for (const d of details) {
        const data = inputs[d.name];
        if (!data) throw AppError.of('INTERNAL', `(${this.label}: no data for input "${d.name}")`);
        const count = d.shape.reduce((a, b) => a * b, 1);
        if (data.length !== count) throw AppError.of('INTERNAL', `(${this.label}: input "${d.name}" has ${data.length} values, the model takes ${count} [${Array.from(d.shape).join(',')}])`);
        // LiteRT.js copies the data into its heap; the ArrayBuffer-only type is too narrow.
        tensors[d.name] = new core.Tensor(data as Float32Array<ArrayBuffer>, d.shape);
      }
      const mark = nativeErrors.total;
      outputs = await this.compiled.run(tensors);
      const failure = nativeErrors.since(mark).filter((line) => FAILED_RUN.test(line));
      if (failure.length > 0) throw new Error(failure.join(' '));
      const result: Record<string, TensorData> = {};
      for (const [name, tensor] of Object.entries(outputs)) result[name] = tensor.toTypedArray() as TensorData;
      return result;
    } catch (err) {
      throw this.runtime.fail(err, 'run', `running ${this.label}`);
    } finally {
      for (const t of Object.values(tensors)) t.delete();
      if (outputs) for (const t of Object.values(outputs)) t.delete();
    }
  }

  /** Frees the model's memory inside the wasm heap (the heap itself never shrinks). */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    this.compiled.delete();
  }
}

function info(d: TensorDetails): RuntimeTensorInfo {
  return { name: d.name, dtype: d.dtype, shape: Array.from(d.shape) };
}

/** One LiteRT.js instance per process (LiteRT.js keeps a global one). */
export class LiteRtRuntime {
  /** Set when a run trapped: the heap may be inconsistent, so the engine should restart. */
  private broken: AppError | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly core: CoreModule,
    readonly liteRt: LiteRt,
    /** 'unknown' when LiteRT.js was already loaded by other code in this process. */
    readonly variant: LiteRtVariant | 'unknown',
    readonly threads: number,
  ) {}

  /** Bytes of the wasm heap (it grows, never shrinks; capped at 2 GiB). */
  heapBytes(): number {
    return this.liteRt.liteRtWasm.HEAPU8.byteLength;
  }

  /** Compiles a model from its bytes (a path or URL does not work in Node). */
  async loadModel(bytes: Uint8Array, label = 'model'): Promise<LoadedModel> {
    if (this.broken) throw this.broken;
    return this.serialize(async () => {
      try {
        const compiled = await this.core.loadAndCompile(bytes, { accelerator: 'wasm' });
        return new LoadedModel(this, compiled, label);
      } catch (err) {
        throw this.fail(err, 'load', `loading ${label}`);
      }
    });
  }

  /** Runs wasm work one call at a time: models share one heap and one thread pool. */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    if (this.broken) return Promise.reject(this.broken);
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Maps a failure to a catalogue error; a wasm trap marks the runtime as unusable. */
  fail(err: unknown, phase: 'load' | 'run', context: string): AppError {
    const error = toRuntimeError(err, phase, context);
    if (!(err instanceof wasm.RuntimeError || error.code === 'OUT_OF_MEMORY')) return error;
    // `restart` tells the engine process to exit after answering, so a fresh one replaces it.
    this.broken = new AppError({ ...error.toData(), data: { ...(error.data ?? {}), restart: true } });
    return this.broken;
  }
}

let loading: Promise<LiteRtRuntime> | undefined;

/**
 * Loads LiteRT.js once per process with the fastest variant that works here, and logs the choice
 * (one line, stderr). Later calls return the same runtime; options apply to the first call only.
 */
export function loadLiteRtRuntime(options: RuntimeOptions = {}): Promise<LiteRtRuntime> {
  loading ??= startRuntime(options).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function startRuntime(options: RuntimeOptions): Promise<LiteRtRuntime> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let core: CoreModule;
  let dir: string;
  try {
    core = await import('@litertjs/core');
    dir = litertWasmDir();
  } catch (err) {
    throw AppError.of('LITERT_UNAVAILABLE', `(@litertjs/core: ${message(err)})`);
  }
  // Someone else in this process may have loaded it already.
  const existing = core.getGlobalLiteRtPromise();
  if (existing) {
    const liteRt = await existing;
    return new LiteRtRuntime(core, liteRt, 'unknown', liteRt.liteRtWasm.getThreadCount());
  }

  const forced = requestedVariant(options);
  const probe = await probeVariants(dir);
  const supported = (v: LiteRtVariant): boolean => v === 'compat' || (v === 'simd' ? probe.relaxedSimd : probe.threads);
  const candidates = forced ? [forced] : VARIANT_ORDER.filter(supported);
  const failures: string[] = [];
  for (const variant of candidates) {
    if (!supported(variant)) {
      failures.push(`${variant}: not supported by this runtime (relaxed SIMD ${probe.relaxedSimd ? 'yes' : 'no'}, threads ${probe.threads ? 'yes' : 'no'})`);
      continue;
    }
    const started = performance.now();
    try {
      const liteRt = await loadVariant(core, variant, dir, options.cacheDir ?? defaultLoaderCacheDir());
      let threads: number;
      try {
        threads = liteRt.liteRtWasm.getThreadCount();
      } catch (err) {
        core.unloadLiteRt();
        throw err;
      }
      const skipped = failures.length ? ` after ${failures.join('; ')}` : '';
      log(`[kokoro] LiteRT.js ${litertVersion()}: ${variant} variant, ${threads} thread${threads === 1 ? '' : 's'}, loaded in ${Math.round(performance.now() - started)} ms${skipped}`);
      return new LiteRtRuntime(core, liteRt, variant, threads);
    } catch (err) {
      failures.push(`${variant}: ${message(err)}`);
    }
  }
  throw AppError.of('LITERT_UNAVAILABLE', `(${failures.join('; ')})`);
}
