/**
 * Inspects a Kokoro model folder without running it: each graph's signature and the binding
 * the engine would choose, the inverse-STFT bases and l_linear. Every problem is one line that
 * names the file and says what to do. `models doctor` prints formatDoctorReport(); with
 * `compile: true` each graph is also compiled by LiteRT.js (one at a time, then freed).
 */
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError, errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import { L_LINEAR_SIZE } from '../../../src-shared/kokoro/constants';
import { detectBasisLayoutFromBytes } from '../../../src-shared/kokoro/istft';
import type { InverseBases } from '../../../src-shared/kokoro/istft';
import { describeBindFailure, formatSpec, forwardingProblems, GRAPH_FILES, GRAPH_KINDS, tryBindGraph } from './binding';
import type { GraphBinding, GraphKind, SignatureSpec } from './binding';
import type { Vocab } from '../../../src-shared/g2p/index';
import { loadVocab } from '../g2p/load';
import { readModelFile } from './graphs';
import type { LiteRtRuntime } from './litert-runtime';
import { readTfliteSummary, rewriteInt64Io, TfliteFormatError } from './tflite-model';

export const BASIS_FILES = { real: 'istft_Wr_f32.bin', imag: 'istft_Wi_f32.bin' } as const;
export const L_LINEAR_FILE = 'l_linear.bin';

/** Kokoro's vocabulary: its own vocab.json, or the config.json of hexgrad/Kokoro-82M (the download's). */
export const VOCAB_FILES = ['vocab.json', 'config.json'] as const;
/** How the vocabulary is named to a user: either file will do. */
const VOCAB_FILE_LABEL = `${VOCAB_FILES[0]} (or ${VOCAB_FILES[1]})`;

/** The graphs and host data of a model folder; the folder also needs one of VOCAB_FILES. */
export const MODEL_DIR_FILES: readonly string[] = [...GRAPH_KINDS.map((k) => GRAPH_FILES[k]), BASIS_FILES.real, BASIS_FILES.imag, L_LINEAR_FILE];

/** The vocabulary file the engine reads: the first of VOCAB_FILES that is there and not empty. */
export function vocabPath(dir: string): string | undefined {
  return VOCAB_FILES.map((name) => join(dir, name)).find((path) => nonEmptyFile(path));
}

function nonEmptyFile(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/** Whether a folder holds a model the engine can try to load: a cheap look at the files, not a validation. */
export type ModelPresence = { state: 'installed' } | { state: 'absent' } | { state: 'incomplete'; missing: string[] };

/** Which of the files the engine needs are missing or empty (the doctor says what is wrong with the rest). */
export function modelPresence(dir: string): ModelPresence {
  const missing = MODEL_DIR_FILES.filter((file) => !nonEmptyFile(join(dir, file)));
  if (!vocabPath(dir)) missing.push(VOCAB_FILE_LABEL);
  if (missing.length === 0) return { state: 'installed' };
  return missing.length === MODEL_DIR_FILES.length + 1 ? { state: 'absent' } : { state: 'incomplete', missing };
}

/** Why the Kokoro voices cannot be offered for a folder that is not `installed`: what is missing, and the fix. */
export function modelPresenceError(dir: string | undefined, presence: Exclude<ModelPresence, { state: 'installed' }>): ErrorData {
  const reason = !dir ? 'no model folder was given' : presence.state === 'absent' ? `no model files in ${dir}` : `${dir} is missing ${presence.missing.join(', ')}`;
  return errorData(presence.state === 'absent' ? 'MODEL_MISSING' : 'MODEL_INCOMPLETE', `(${reason})`, { dir, reason });
}

export type FileStatus = 'ok' | 'missing' | 'damaged' | 'wrong-signature' | 'load-failed';

export interface ModelFileReport {
  file: string;
  kind: 'graph' | 'basis' | 'l_linear' | 'vocab';
  graph?: GraphKind;
  status: FileStatus;
  bytes?: number;
  /** Graphs: inputs and outputs as the file declares them (subgraph order). */
  signature?: SignatureSpec;
  /** Graphs: the binding the engine would use. */
  binding?: GraphBinding;
  /** Facts worth showing that are not problems (int64 rewrite, basis layout). */
  notes: string[];
  /** One line: the file, what is wrong, what to do. */
  problem?: string;
}

export interface ModelDirReport {
  dir: string;
  ok: boolean;
  files: ModelFileReport[];
  /** The problem lines of all files, in file order. */
  problems: string[];
}

export interface InspectOptions {
  /** Also compile each graph with LiteRT.js (needs the runtime; peak memory of the largest graph). */
  compile?: boolean;
  runtime?: LiteRtRuntime;
}

const REDOWNLOAD = 'download the model again (`kokoro-reader models download`) or import a good copy (`kokoro-reader models import DIR`)';

async function readOrReport(dir: string, report: ModelFileReport): Promise<Uint8Array | undefined> {
  try {
    const bytes = await readModelFile(dir, report.file);
    report.bytes = bytes.byteLength;
    return bytes;
  } catch (err) {
    const missing = err instanceof AppError && err.code === 'MODEL_MISSING';
    report.status = missing ? 'missing' : 'damaged';
    report.problem = missing ? `${report.file}: missing; ${REDOWNLOAD}.` : `${report.file}: cannot be read (${(err as Error).message}); check its permissions or ${REDOWNLOAD}.`;
    return undefined;
  }
}

async function inspectGraph(dir: string, graph: GraphKind, options: InspectOptions): Promise<ModelFileReport> {
  const report: ModelFileReport = { file: GRAPH_FILES[graph], kind: 'graph', graph, status: 'ok', notes: [] };
  const bytes = await readOrReport(dir, report);
  if (!bytes) return report;
  let modelBytes = bytes;
  try {
    const summary = readTfliteSummary(bytes);
    report.signature = {
      inputs: summary.inputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
      outputs: summary.outputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
    };
    const bound = tryBindGraph(graph, report.signature);
    if (!bound.ok) {
      report.status = 'wrong-signature';
      report.problem = `${report.file}: ${describeBindFailure(graph, bound)} Replace it with ${report.file} of the Kokoro-82M LiteRT export; ${REDOWNLOAD}.`;
      return report;
    }
    report.binding = bound.binding;
    const int64 = [...summary.inputs, ...summary.outputs].filter((t) => t.dtype === 'int64').map((t) => t.name);
    if (int64.length) {
      modelBytes = rewriteInt64Io(bytes).bytes;
      report.notes.push(`int64 ${int64.join(', ')}: passed as int32 through a CAST at load (LiteRT.js has no int64 tensors)`);
    }
  } catch (err) {
    if (!(err instanceof TfliteFormatError)) throw err;
    report.status = 'damaged';
    report.problem = `${report.file}: damaged or incomplete (${err.message}); ${REDOWNLOAD}.`;
    return report;
  }
  if (options.compile && options.runtime) {
    try {
      const model = await options.runtime.loadModel(modelBytes, report.file);
      model.delete();
      report.notes.push('compiled by LiteRT.js');
    } catch (err) {
      report.status = 'load-failed';
      const detail = err instanceof AppError ? err.message : String(err);
      report.problem = `${report.file}: LiteRT.js could not load it (${detail}); ${REDOWNLOAD}, and report it if it persists.`;
    }
  }
  return report;
}

async function inspectBases(dir: string): Promise<ModelFileReport[]> {
  const reports = [BASIS_FILES.real, BASIS_FILES.imag].map((file): ModelFileReport => ({ file, kind: 'basis', status: 'ok', notes: [] }));
  const [real, imag] = [await readOrReport(dir, reports[0]!), await readOrReport(dir, reports[1]!)];
  const expected = 11 * 20 * 4;
  for (const [report, bytes] of [
    [reports[0]!, real],
    [reports[1]!, imag],
  ] as const) {
    if (bytes && bytes.byteLength !== expected) {
      report.status = 'damaged';
      report.problem = `${report.file}: ${bytes.byteLength} bytes, expected ${expected} (11 x 20 float32); ${REDOWNLOAD}.`;
    }
  }
  if (real && imag && reports.every((r) => r.status === 'ok')) {
    const layout = detectBasisLayoutFromBytes(real, imag);
    if (layout.ok) {
      for (const r of reports) r.notes.push(`inverse-DFT bases, ${layout.layout} layout`);
    } else {
      for (const r of reports) {
        r.status = 'damaged';
        r.problem = `${r.file}: not the expected inverse-DFT bases (${layout.message}); ${REDOWNLOAD}.`;
      }
    }
  }
  return reports;
}

async function inspectLLinear(dir: string): Promise<ModelFileReport> {
  const report: ModelFileReport = { file: L_LINEAR_FILE, kind: 'l_linear', status: 'ok', notes: [] };
  const bytes = await readOrReport(dir, report);
  if (!bytes) return report;
  const values = bytes.byteLength === L_LINEAR_SIZE * 4 ? float32s(bytes) : undefined;
  if (!values) {
    report.status = 'damaged';
    report.problem = `${report.file}: ${bytes.byteLength} bytes, expected ${L_LINEAR_SIZE * 4} (${L_LINEAR_SIZE} float32: 9 harmonic weights and a bias); ${REDOWNLOAD}.`;
  } else if (!values.every(Number.isFinite)) {
    report.status = 'damaged';
    report.problem = `${report.file}: holds values that are not finite numbers; ${REDOWNLOAD}.`;
  }
  return report;
}

/**
 * The folder's vocabulary (phoneme symbol -> the id the predictor graph reads), or MODEL_MISSING /
 * MODEL_INVALID naming the file, as the doctor reports it.
 */
export async function readVocab(dir: string): Promise<Vocab> {
  const path = vocabPath(dir);
  if (!path) throw AppError.of('MODEL_MISSING', `(${VOCAB_FILE_LABEL} is not in ${dir})`, { file: VOCAB_FILES[0], dir });
  const invalid = (why: string): AppError => {
    const reason = `${basename(path)} is not a Kokoro vocabulary: ${why}`;
    return AppError.of('MODEL_INVALID', `(${reason})`, { file: basename(path), reason });
  };
  let vocab: Vocab;
  try {
    vocab = await loadVocab(path);
  } catch (err) {
    throw invalid((err as Error).message.replace(`${path}: `, ''));
  }
  if (Object.keys(vocab).length === 0) throw invalid('it maps no phoneme symbols');
  return vocab;
}

/** Without the vocabulary nothing can be spoken, so the doctor checks it like the graphs. */
async function inspectVocab(dir: string): Promise<ModelFileReport> {
  const path = vocabPath(dir);
  const report: ModelFileReport = { file: path ? basename(path) : VOCAB_FILE_LABEL, kind: 'vocab', status: 'ok', notes: [] };
  if (!path) {
    report.status = 'missing';
    report.problem = `${VOCAB_FILE_LABEL}: missing (Kokoro's phoneme vocabulary); ${REDOWNLOAD}.`;
    return report;
  }
  try {
    report.bytes = (await stat(path)).size;
    report.notes.push(`${Object.keys(await readVocab(dir)).length} phoneme symbols`);
  } catch (err) {
    report.status = 'damaged';
    const reason = err instanceof AppError && typeof err.data?.reason === 'string' ? err.data.reason : `${report.file}: ${(err as Error).message}`;
    report.problem = `${reason}; ${REDOWNLOAD}.`;
  }
  return report;
}

function float32s(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

/** Inspects every file of a Kokoro model folder. */
export async function inspectModelDir(dir: string, options: InspectOptions = {}): Promise<ModelDirReport> {
  const files: ModelFileReport[] = [];
  for (const graph of GRAPH_KINDS) files.push(await inspectGraph(dir, graph, options));
  files.push(...(await inspectBases(dir)));
  files.push(await inspectLLinear(dir));
  files.push(await inspectVocab(dir));
  if (files.every((f) => f.status === 'missing') && !(await isDirectory(dir))) {
    const problem = `${dir}: the model folder does not exist; ${REDOWNLOAD}.`;
    return { dir, ok: false, files, problems: [problem] };
  }
  const problems = files.flatMap((f) => (f.problem ? [f.problem] : []));
  const bindings = Object.fromEntries(files.flatMap((f) => (f.graph && f.binding ? [[f.graph, f.binding]] : []))) as Partial<Record<GraphKind, GraphBinding>>;
  for (const line of forwardingProblems(bindings)) {
    problems.push(line);
    const consumer = files.find((f) => line.startsWith(`${f.file}:`));
    if (consumer?.status === 'ok') consumer.status = 'wrong-signature';
  }
  return { dir, ok: problems.length === 0, files, problems };
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The host files the pipeline needs (l_linear and the inverse bases), validated as the doctor
 * validates them; throws MODEL_MISSING or MODEL_INVALID.
 */
export async function readHostFiles(dir: string): Promise<{ lLinear: Float32Array; bases: InverseBases }> {
  const lLinearBytes = await readModelFile(dir, L_LINEAR_FILE);
  if (lLinearBytes.byteLength !== L_LINEAR_SIZE * 4) throw AppError.of('MODEL_INVALID', `(${L_LINEAR_FILE}: ${lLinearBytes.byteLength} bytes, expected ${L_LINEAR_SIZE * 4})`, { file: L_LINEAR_FILE });
  const lLinear = float32s(lLinearBytes);
  if (!lLinear.every(Number.isFinite)) throw AppError.of('MODEL_INVALID', `(${L_LINEAR_FILE}: values are not finite)`, { file: L_LINEAR_FILE });
  const layout = detectBasisLayoutFromBytes(await readModelFile(dir, BASIS_FILES.real), await readModelFile(dir, BASIS_FILES.imag));
  if (!layout.ok) throw AppError.of('MODEL_INVALID', `(${BASIS_FILES.real}, ${BASIS_FILES.imag}: ${layout.message})`, { file: BASIS_FILES.real });
  return { lLinear, bases: { basisReal: layout.basisReal, basisImag: layout.basisImag } };
}

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '-';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** The printable report: one block per file, then the problems, one per line. */
export function formatDoctorReport(report: ModelDirReport): string[] {
  const lines = [`Kokoro model folder: ${report.dir}`];
  for (const f of report.files) {
    lines.push(`  ${f.file}  ${formatBytes(f.bytes)}  ${f.status}`);
    if (f.binding) {
      for (const side of ['inputs', 'outputs'] as const) {
        const parts = f.binding[side].map((b) => `${b.role} <- ${b.tensor} ${formatSpec(b)} (by ${b.by})`);
        lines.push(`    ${side}: ${parts.join(', ')}`);
      }
      if (f.binding.unusedOutputs.length) lines.push(`    unused outputs: ${f.binding.unusedOutputs.join(', ')}`);
    } else if (f.signature) {
      for (const side of ['inputs', 'outputs'] as const) {
        lines.push(`    ${side}: ${f.signature[side].map((t) => `${t.name} ${formatSpec(t)}`).join(', ') || '(none)'}`);
      }
    }
    for (const note of f.notes) lines.push(`    note: ${note}`);
  }
  if (report.ok) {
    lines.push('All files are present and fit the Kokoro layout.');
  } else {
    lines.push(`Problems (${report.problems.length}):`);
    for (const p of report.problems) lines.push(`  ${p}`);
  }
  return lines;
}
