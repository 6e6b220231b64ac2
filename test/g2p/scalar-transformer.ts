/**
 * The neural G2P model in plain scalar TypeScript, as the app ran it before the SIMD kernels
 * (src-shared/g2p/neural/wasm): the reference the kernels' model is checked against
 * (neural-reference.test.ts). Kept for tests only.
 */
import type { NeuralG2PHeader, NeuralG2PWeights } from '../../src-shared/g2p/neural/weights';

const PAD = 0;
const UNK = 1;
const BOS = 1;
const EOS = 2;
const LN_EPS = 1e-5;

interface Linear {
  w: Float32Array;
  b: Float32Array;
  inDim: number;
  outDim: number;
}

interface Norm {
  w: Float32Array;
  b: Float32Array;
}

interface Attention {
  q: Linear;
  k: Linear;
  v: Linear;
  o: Linear;
}

interface EncoderLayer {
  ln1: Norm;
  att: Attention;
  ln2: Norm;
  w1: Linear;
  w2: Linear;
}

interface DecoderLayer {
  ln1: Norm;
  selfAtt: Attention;
  ln2: Norm;
  crossAtt: Attention;
  ln3: Norm;
  w1: Linear;
  w2: Linear;
}

/** y = W x + b for one vector (W is out x in, row-major, as torch stores it). */
function linear(l: Linear, x: Float32Array, xOff: number, y: Float32Array, yOff: number): void {
  const { w, b, inDim, outDim } = l;
  for (let o = 0; o < outDim; o++) {
    const row = o * inDim;
    let s0 = 0;
    let s1 = 0;
    let i = 0;
    for (; i + 1 < inDim; i += 2) {
      s0 += (w[row + i] as number) * (x[xOff + i] as number);
      s1 += (w[row + i + 1] as number) * (x[xOff + i + 1] as number);
    }
    if (i < inDim) s0 += (w[row + i] as number) * (x[xOff + i] as number);
    y[yOff + o] = s0 + s1 + (b[o] as number);
  }
}

function layerNorm(n: Norm, x: Float32Array, xOff: number, y: Float32Array, yOff: number, d: number): void {
  let mean = 0;
  for (let i = 0; i < d; i++) mean += x[xOff + i] as number;
  mean /= d;
  let variance = 0;
  for (let i = 0; i < d; i++) {
    const c = (x[xOff + i] as number) - mean;
    variance += c * c;
  }
  const inv = 1 / Math.sqrt(variance / d + LN_EPS);
  for (let i = 0; i < d; i++) y[yOff + i] = ((x[xOff + i] as number) - mean) * inv * (n.w[i] as number) + (n.b[i] as number);
}

export class ScalarNeuralG2PModel {
  readonly header: NeuralG2PHeader;
  private readonly d: number;
  private readonly heads: number;
  private readonly srcIndex = new Map<string, number>();
  private readonly srcEmb: Float32Array;
  private readonly tgtEmb: Float32Array;
  private readonly enc: EncoderLayer[];
  private readonly encLn: Norm;
  private readonly dec: DecoderLayer[];
  private readonly decLn: Norm;
  private readonly out: Linear;
  private readonly ffn: number;
  private pe = new Float32Array(0);

  constructor(weights: NeuralG2PWeights) {
    const h = weights.header;
    this.header = h;
    this.d = h.dModel;
    this.heads = h.heads;
    this.ffn = h.ffn;
    if (this.d % this.heads !== 0) throw new Error(`G2P model: dModel ${this.d} is not a multiple of heads ${this.heads}`);
    h.srcVocab.forEach((c, i) => {
      if (i >= 2) this.srcIndex.set(c, i);
    });
    const tensor = (name: string, size: number): Float32Array => {
      const t = weights.tensors.get(name);
      if (!t) throw new Error(`G2P model: tensor ${name} is missing`);
      if (t.length !== size) throw new Error(`G2P model: tensor ${name} has ${t.length} values, expected ${size}`);
      return t;
    };
    const d = this.d;
    const lin = (name: string, inDim: number, outDim: number): Linear => ({
      w: tensor(`${name}.weight`, inDim * outDim),
      b: tensor(`${name}.bias`, outDim),
      inDim,
      outDim,
    });
    const norm = (name: string): Norm => ({ w: tensor(`${name}.weight`, d), b: tensor(`${name}.bias`, d) });
    const att = (name: string): Attention => ({ q: lin(`${name}.q`, d, d), k: lin(`${name}.k`, d, d), v: lin(`${name}.v`, d, d), o: lin(`${name}.o`, d, d) });
    this.srcEmb = tensor('src_emb.weight', h.srcVocab.length * d);
    this.tgtEmb = tensor('tgt_emb.weight', h.tgtVocab.length * d);
    this.enc = Array.from({ length: h.encLayers }, (_, i) => ({
      ln1: norm(`enc.${i}.ln1`),
      att: att(`enc.${i}.att`),
      ln2: norm(`enc.${i}.ln2`),
      w1: lin(`enc.${i}.ff.w1`, d, h.ffn),
      w2: lin(`enc.${i}.ff.w2`, h.ffn, d),
    }));
    this.encLn = norm('enc_ln');
    this.dec = Array.from({ length: h.decLayers }, (_, i) => ({
      ln1: norm(`dec.${i}.ln1`),
      selfAtt: att(`dec.${i}.self_att`),
      ln2: norm(`dec.${i}.ln2`),
      crossAtt: att(`dec.${i}.cross_att`),
      ln3: norm(`dec.${i}.ln3`),
      w1: lin(`dec.${i}.ff.w1`, d, h.ffn),
      w2: lin(`dec.${i}.ff.w2`, h.ffn, d),
    }));
    this.decLn = norm('dec_ln');
    this.out = lin('out', d, h.tgtVocab.length);
  }

  /**
   * The phonemes, and how sure the model was of them: the lowest probability it gave a symbol
   * it chose (the end included), 0..1. A low one marks a guess, which eSpeak may do better.
   */
  predictScored(source: string | readonly string[]): { phonemes: string; confidence: number } {
    const ids = [...source].map((c) => this.srcIndex.get(c) ?? UNK);
    if (ids.length === 0) return { phonemes: '', confidence: 0 };
    const d = this.d;
    const n = ids.length;
    const mem = this.encode(ids);
    // Cross-attention keys and values depend only on the encoder output: once per word.
    const crossK = this.dec.map((l) => this.project(l.crossAtt.k, mem, n));
    const crossV = this.dec.map((l) => this.project(l.crossAtt.v, mem, n));
    const maxSteps = 2 * n + 5;
    const selfK = this.dec.map(() => new Float32Array(maxSteps * d));
    const selfV = this.dec.map(() => new Float32Array(maxSteps * d));
    const x = new Float32Array(d);
    const y = new Float32Array(d);
    const q = new Float32Array(d);
    const a = new Float32Array(d);
    const hidden = new Float32Array(this.ffn);
    const logits = new Float32Array(this.header.tgtVocab.length);
    const scores = new Float32Array(Math.max(n, maxSteps));
    const scale = Math.sqrt(d);
    let out = '';
    let confidence = 1;
    let prev = BOS;
    for (let t = 0; t < maxSteps; t++) {
      this.ensurePositions(t + 1);
      for (let i = 0; i < d; i++) x[i] = (this.tgtEmb[prev * d + i] as number) * scale + (this.pe[t * d + i] as number);
      this.dec.forEach((l, li) => {
        const k = selfK[li] as Float32Array;
        const v = selfV[li] as Float32Array;
        layerNorm(l.ln1, x, 0, y, 0, d);
        linear(l.selfAtt.q, y, 0, q, 0);
        linear(l.selfAtt.k, y, 0, k, t * d);
        linear(l.selfAtt.v, y, 0, v, t * d);
        this.attend(q, k, v, t + 1, scores, a);
        linear(l.selfAtt.o, a, 0, y, 0);
        for (let i = 0; i < d; i++) x[i] = (x[i] as number) + (y[i] as number);
        layerNorm(l.ln2, x, 0, y, 0, d);
        linear(l.crossAtt.q, y, 0, q, 0);
        this.attend(q, crossK[li] as Float32Array, crossV[li] as Float32Array, n, scores, a);
        linear(l.crossAtt.o, a, 0, y, 0);
        for (let i = 0; i < d; i++) x[i] = (x[i] as number) + (y[i] as number);
        layerNorm(l.ln3, x, 0, y, 0, d);
        this.feedForward(l.w1, l.w2, y, hidden, a);
        for (let i = 0; i < d; i++) x[i] = (x[i] as number) + (a[i] as number);
      });
      layerNorm(this.decLn, x, 0, y, 0, d);
      linear(this.out, y, 0, logits, 0);
      // Only real symbols or the end: <pad> and <bos> are never written.
      let best = EOS;
      for (let i = EOS + 1; i < logits.length; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
      let sum = 0;
      for (let i = EOS; i < logits.length; i++) sum += Math.exp((logits[i] as number) - (logits[best] as number));
      confidence = Math.min(confidence, 1 / sum);
      if (best === EOS) return { phonemes: out, confidence };
      out += this.header.tgtVocab[best] ?? '';
      prev = best;
    }
    // No end within 2n+5 symbols: a runaway guess.
    return { phonemes: out, confidence: 0 };
  }

  /** The encoder over the letters: n x d, after the final LayerNorm. */
  private encode(ids: readonly number[]): Float32Array {
    const d = this.d;
    const n = ids.length;
    this.ensurePositions(n);
    const x = new Float32Array(n * d);
    const scale = Math.sqrt(d);
    ids.forEach((id, t) => {
      for (let i = 0; i < d; i++) x[t * d + i] = (this.srcEmb[(id === PAD ? UNK : id) * d + i] as number) * scale + (this.pe[t * d + i] as number);
    });
    const y = new Float32Array(n * d);
    const q = new Float32Array(n * d);
    const a = new Float32Array(d);
    const o = new Float32Array(d);
    const hidden = new Float32Array(this.ffn);
    const scores = new Float32Array(n);
    for (const l of this.enc) {
      for (let t = 0; t < n; t++) layerNorm(l.ln1, x, t * d, y, t * d, d);
      const k = this.project(l.att.k, y, n);
      const v = this.project(l.att.v, y, n);
      for (let t = 0; t < n; t++) linear(l.att.q, y, t * d, q, t * d);
      for (let t = 0; t < n; t++) {
        this.attend(q.subarray(t * d, t * d + d), k, v, n, scores, a);
        linear(l.att.o, a, 0, o, 0);
        for (let i = 0; i < d; i++) x[t * d + i] = (x[t * d + i] as number) + (o[i] as number);
      }
      for (let t = 0; t < n; t++) {
        layerNorm(l.ln2, x, t * d, o, 0, d);
        this.feedForward(l.w1, l.w2, o, hidden, a);
        for (let i = 0; i < d; i++) x[t * d + i] = (x[t * d + i] as number) + (a[i] as number);
      }
    }
    for (let t = 0; t < n; t++) layerNorm(this.encLn, x, t * d, y, t * d, d);
    return y;
  }

  private project(l: Linear, x: Float32Array, n: number): Float32Array {
    const y = new Float32Array(n * l.outDim);
    for (let t = 0; t < n; t++) linear(l, x, t * l.inDim, y, t * l.outDim);
    return y;
  }

  /** Multi-head attention of one query over `len` keys/values (heads are contiguous slices). */
  private attend(q: Float32Array, k: Float32Array, v: Float32Array, len: number, scores: Float32Array, out: Float32Array): void {
    const d = this.d;
    const dh = d / this.heads;
    const scale = 1 / Math.sqrt(dh);
    for (let h = 0; h < this.heads; h++) {
      const base = h * dh;
      let max = -Infinity;
      for (let j = 0; j < len; j++) {
        let s = 0;
        for (let i = 0; i < dh; i++) s += (q[base + i] as number) * (k[j * d + base + i] as number);
        s *= scale;
        scores[j] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let j = 0; j < len; j++) {
        const e = Math.exp((scores[j] as number) - max);
        scores[j] = e;
        sum += e;
      }
      for (let i = 0; i < dh; i++) out[base + i] = 0;
      for (let j = 0; j < len; j++) {
        const w = (scores[j] as number) / sum;
        for (let i = 0; i < dh; i++) out[base + i] = (out[base + i] as number) + w * (v[j * d + base + i] as number);
      }
    }
  }

  private feedForward(w1: Linear, w2: Linear, x: Float32Array, hidden: Float32Array, out: Float32Array): void {
    linear(w1, x, 0, hidden, 0);
    for (let i = 0; i < hidden.length; i++) if ((hidden[i] as number) < 0) hidden[i] = 0;
    linear(w2, hidden, 0, out, 0);
  }

  /** Sinusoidal positions as model.py's sinusoids(), grown on demand (any word length works). */
  private ensurePositions(length: number): void {
    const d = this.d;
    if (this.pe.length >= length * d) return;
    const size = Math.max(length, 64, Math.ceil((this.pe.length / d) * 2));
    const pe = new Float32Array(size * d);
    for (let p = 0; p < size; p++) {
      for (let i = 0; i < d; i += 2) {
        const angle = p * Math.exp(i * (-Math.log(10000) / d));
        pe[p * d + i] = Math.sin(angle);
        if (i + 1 < d) pe[p * d + i + 1] = Math.cos(angle);
      }
    }
    this.pe = pe;
  }
}
