/**
 * Reader for the Kokoro host-step reference vectors (../shared/goldens/kokoro-host, see its
 * README). The files are read in place; set KOKORO_GOLDENS to use another case set made the
 * same way.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The goldens directory: $KOKORO_GOLDENS (relative to the working directory) or the shared default. */
export function goldensDir(): string {
  const fromEnv = process.env.KOKORO_GOLDENS;
  if (fromEnv && fromEnv.trim() !== '') return resolve(process.cwd(), fromEnv);
  return resolve(PROJECT_ROOT, '..', 'shared', 'goldens', 'kokoro-host');
}

export interface ArrayRef {
  file: string;
  dtype: 'float32' | 'int32';
  shape: number[];
}

export interface AlignmentCase {
  kind: 'alignment';
  name: string;
  T: number;
  speed: number;
  L: number;
  duration: ArrayRef;
  pred_dur: ArrayRef;
  aln?: ArrayRef;
  frame_mask?: ArrayRef;
  overflow?: boolean;
}

export interface HarCase {
  kind: 'har';
  name: string;
  L: number;
  f0: ArrayRef;
  l_linear: ArrayRef;
  har_source: ArrayRef;
  har_reference: ArrayRef;
  har_replicate: ArrayRef;
}

export interface IstftCase {
  kind: 'istft';
  name: string;
  L: number;
  spec: ArrayRef;
  phase: ArrayRef;
  waveform_reference: ArrayRef;
  waveform_basis: ArrayRef;
  basis_real: ArrayRef;
  basis_imag: ArrayRef;
}

export type GoldenCase = AlignmentCase | HarCase | IstftCase;

export interface Manifest {
  seed?: number;
  constants: {
    token_bucket: number;
    frame_bucket: number;
    f0_upsample: number;
    n_fft: number;
    hop: number;
    sample_rate: number;
    samples_per_frame: number;
  };
  cases: GoldenCase[];
}

export class Goldens {
  readonly manifest: Manifest;

  constructor(readonly dir: string = goldensDir()) {
    const path = resolve(dir, 'manifest.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`Kokoro goldens not found at ${path} (set KOKORO_GOLDENS): ${String(err)}`);
    }
    this.manifest = JSON.parse(text) as Manifest;
    if (!Array.isArray(this.manifest.cases)) throw new Error(`${path}: no "cases" array`);
  }

  cases<K extends GoldenCase['kind']>(kind: K): Extract<GoldenCase, { kind: K }>[] {
    return this.manifest.cases.filter((c): c is Extract<GoldenCase, { kind: K }> => c.kind === kind);
  }

  /** Raw little-endian bytes of an array, checked against its declared shape. */
  private bytes(ref: ArrayRef): ArrayBuffer {
    const buf = readFileSync(resolve(this.dir, ref.file));
    const count = ref.shape.reduce((a, b) => a * b, 1);
    if (buf.byteLength !== count * 4) {
      throw new Error(`${ref.file}: ${buf.byteLength} bytes, expected ${count * 4} for shape [${ref.shape.join(', ')}]`);
    }
    // Copy to an aligned buffer of its own.
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  }

  f32(ref: ArrayRef): Float32Array {
    if (ref.dtype !== 'float32') throw new Error(`${ref.file}: dtype ${ref.dtype}, expected float32`);
    const bytes = this.bytes(ref);
    if (LITTLE_ENDIAN) return new Float32Array(bytes);
    const view = new DataView(bytes);
    return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
  }

  i32(ref: ArrayRef): Int32Array {
    if (ref.dtype !== 'int32') throw new Error(`${ref.file}: dtype ${ref.dtype}, expected int32`);
    const bytes = this.bytes(ref);
    if (LITTLE_ENDIAN) return new Int32Array(bytes);
    const view = new DataView(bytes);
    return Int32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true));
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Largest |a[i] - b[i]| over the common length (NaN anywhere gives Infinity). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** |a - b| reduced modulo 2 pi into [0, pi]. */
export function phaseDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return Math.min(d, 2 * Math.PI - d);
}

export interface HarComparison {
  /** Largest absolute magnitude difference. */
  magMaxAbs: number;
  /** ||mag - magRef|| / ||magRef|| over all magnitude rows together. */
  magRelL2: number;
  /** The same per row (bin), for reports: high bins hold little energy. */
  magRowRelL2: number[];
  /** Largest phase difference (modulo 2 pi) where the reference magnitude exceeds the threshold. */
  phaseMax: number;
  /** Bins compared for phase. */
  phaseCount: number;
  /** sqrt(sum (mag * dphase)^2 / sum mag^2) over the compared bins: phase error weighted by energy. */
  phaseWeightedRms: number;
}

/** Compares two `har` arrays [2 * bins x frames] (magnitude rows, then phase rows). */
export function compareHar(mine: Float32Array, ref: Float32Array, bins: number, magThreshold: number): HarComparison {
  if (mine.length !== ref.length) throw new Error(`har length ${mine.length} != ${ref.length}`);
  const frames = ref.length / (2 * bins);
  let magMaxAbs = 0;
  let num = 0;
  let den = 0;
  const magRowRelL2: number[] = [];
  let phaseMax = 0;
  let phaseCount = 0;
  let wNum = 0;
  let wDen = 0;
  for (let k = 0; k < bins; k++) {
    let rn = 0;
    let rd = 0;
    for (let t = 0; t < frames; t++) {
      const a = mine[k * frames + t]!;
      const b = ref[k * frames + t]!;
      const d = Math.abs(a - b);
      if (!(d <= magMaxAbs)) magMaxAbs = Number.isNaN(d) ? Infinity : d;
      rn += d * d;
      rd += b * b;
      if (b > magThreshold) {
        const p = phaseDiff(mine[(bins + k) * frames + t]!, ref[(bins + k) * frames + t]!);
        if (!(p <= phaseMax)) phaseMax = Number.isNaN(p) ? Infinity : p;
        phaseCount++;
        wNum += (b * p) ** 2;
        wDen += b * b;
      }
    }
    num += rn;
    den += rd;
    magRowRelL2.push(Math.sqrt(rn / rd));
  }
  return {
    magMaxAbs,
    magRelL2: Math.sqrt(num / den),
    magRowRelL2,
    phaseMax,
    phaseCount,
    phaseWeightedRms: Math.sqrt(wNum / wDen),
  };
}
