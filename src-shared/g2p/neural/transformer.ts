/**
 * Letters -> misaki phonemes with the small transformer of scripts/g2p-model/model.py, greedy
 * (deterministic). Matrix products, attention and LayerNorm run in 128-bit SIMD WebAssembly
 * kernels (wasm/kernels.wat); the embeddings and the decoding loop in TypeScript over the kernels'
 * memory.
 *
 * Why not LiteRT, which runs Kokoro: the model is ~1.2M parameters and a word is ~20 tokens, so a
 * call is a few hundred small matrix products inside a decoding loop whose length is only known as
 * it runs. A 2 KB kernel module needs no graph build, no flatbuffer writer changes, no per-call
 * tensor copies or dynamic shapes, and runs the same in the engine process and in a browser; the
 * measured speed is in scripts/bench-g2p.ts and the model's README.
 */
import type { NeuralG2PHeader, NeuralG2PWeights } from './weights';
import { KernelHeap, type LinearOutput } from './wasm/kernel-heap';

const PAD = 0;
const UNK = 1;
const BOS = 1;
const EOS = 2;

/** A linear layer in the kernel's memory: weights transposed (inDim x outDim), outputs padded to a multiple of 4. */
interface Linear {
  w: number;
  b: number;
  inDim: number;
  outDim: number;
}

/** LayerNorm gain and bias in the kernels' memory. */
interface Norm {
  w: number;
  b: number;
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

export class NeuralG2PModel {
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
  private readonly heap = new KernelHeap();
  /** Where the weights end in the heap: each word's scratch starts here and is dropped after it. */
  private readonly scratch: number;
  private pe = new Float32Array(0);

  constructor(weights: NeuralG2PWeights) {
    const h = weights.header;
    this.header = h;
    this.d = h.dModel;
    this.heads = h.heads;
    this.ffn = h.ffn;
    if (this.d % this.heads !== 0) throw new Error(`G2P model: dModel ${this.d} is not a multiple of heads ${this.heads}`);
    // Activations and heads are stored unpadded between kernel calls, so their widths must suit 4-wide vectors.
    if ((this.d / this.heads) % 4 !== 0 || this.ffn % 4 !== 0) {
      throw new Error(`G2P model: dModel / heads (${this.d / this.heads}) and ffn (${this.ffn}) must be multiples of 4`);
    }
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
    const lin = (name: string, inDim: number, outDim: number): Linear => {
      const w = tensor(`${name}.weight`, inDim * outDim);
      const b = tensor(`${name}.bias`, outDim);
      // torch stores out x in; the kernel wants in x out, with zero columns up to a multiple of 4.
      const padded = Math.ceil(outDim / 4) * 4;
      const transposed = new Float32Array(inDim * padded);
      for (let o = 0; o < outDim; o++) for (let i = 0; i < inDim; i++) transposed[i * padded + o] = w[o * inDim + i] as number;
      const bias = new Float32Array(padded);
      bias.set(b);
      return { w: this.heap.store(transposed), b: this.heap.store(bias), inDim, outDim: padded };
    };
    const norm = (name: string): Norm => ({ w: this.heap.store(tensor(`${name}.weight`, d)), b: this.heap.store(tensor(`${name}.bias`, d)) });
    const att = (name: string): Attention => ({ q: lin(`${name}.q`, d, d), k: lin(`${name}.k`, d, d), v: lin(`${name}.v`, d, d), o: lin(`${name}.o`, d, d) });
    // Copies: views would keep the whole weight file alive beside the kernels' copy of it.
    this.srcEmb = tensor('src_emb.weight', h.srcVocab.length * d).slice();
    this.tgtEmb = tensor('tgt_emb.weight', h.tgtVocab.length * d).slice();
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
    this.scratch = this.heap.top;
  }

  /** sha256 of the weights: goes into the audio cache key. */
  get version(): string {
    return this.header.sha256;
  }

  /** The phoneme symbols the model can write. */
  get symbols(): readonly string[] {
    return this.header.tgtVocab.slice(3);
  }

  /** Whether every character of the word is one the model was trained on. */
  knowsAllLetters(word: string): boolean {
    for (const ch of word) if (!this.srcIndex.has(ch)) return false;
    return true;
  }

  /**
   * Greedy decoding; tokens the model has never seen are read as <unk>. Never throws on a string.
   * `source`: the word's letters, or the whole input as tokens (letters and hints: NeuralG2P.sourceFor).
   */
  predict(source: string | readonly string[]): string {
    return this.predictScored(source).phonemes;
  }

  /**
   * The phonemes, and how sure the model was of them: the lowest probability it gave a symbol
   * it chose (the end included), 0..1. A low one marks a guess, which eSpeak may do better.
   */
  predictScored(source: string | readonly string[]): { phonemes: string; confidence: number } {
    const ids = [...source].map((c) => this.srcIndex.get(c) ?? UNK);
    if (ids.length === 0) return { phonemes: '', confidence: 0 };
    try {
      return this.decode(ids);
    } finally {
      this.heap.top = this.scratch;
    }
  }

  private decode(ids: readonly number[]): { phonemes: string; confidence: number } {
    const heap = this.heap;
    const d = this.d;
    const n = ids.length;
    const maxSteps = 2 * n + 5;
    this.ensurePositions(Math.max(n, maxSteps));
    // Every block this word needs, before the first read of heap.f32 (an alloc may grow the memory).
    const mem = this.encode(ids);
    const crossK = this.dec.map(() => heap.alloc(n * d));
    const crossV = this.dec.map(() => heap.alloc(n * d));
    const selfK = this.dec.map(() => heap.alloc(maxSteps * d));
    const selfV = this.dec.map(() => heap.alloc(maxSteps * d));
    const x = heap.alloc(d);
    const y = heap.alloc(d);
    const q = heap.alloc(d);
    const a = heap.alloc(d);
    const hidden = heap.alloc(this.ffn);
    const logits = heap.alloc(this.out.outDim);
    const scores = heap.alloc(Math.max(n, maxSteps));
    const f = heap.f32;
    // Cross-attention keys and values depend only on the encoder output: once per word.
    this.dec.forEach((l, li) => {
      this.apply(l.crossAtt.k, mem, crossK[li] as number, n);
      this.apply(l.crossAtt.v, mem, crossV[li] as number, n);
    });
    const scale = Math.sqrt(d);
    const vocab = this.header.tgtVocab.length;
    let out = '';
    let confidence = 1;
    let prev = BOS;
    for (let t = 0; t < maxSteps; t++) {
      for (let i = 0; i < d; i++) f[x + i] = (this.tgtEmb[prev * d + i] as number) * scale + (this.pe[t * d + i] as number);
      this.dec.forEach((l, li) => {
        const k = selfK[li] as number;
        const v = selfV[li] as number;
        this.norm(l.ln1, x, y, 1);
        this.apply(l.selfAtt.q, y, q, 1);
        this.apply(l.selfAtt.k, y, k + t * d, 1);
        this.apply(l.selfAtt.v, y, v + t * d, 1);
        heap.attend(q, k, v, scores, a, t + 1, d, this.heads);
        this.apply(l.selfAtt.o, a, x, 1, 'add');
        this.norm(l.ln2, x, y, 1);
        this.apply(l.crossAtt.q, y, q, 1);
        heap.attend(q, crossK[li] as number, crossV[li] as number, scores, a, n, d, this.heads);
        this.apply(l.crossAtt.o, a, x, 1, 'add');
        this.norm(l.ln3, x, y, 1);
        this.feedForward(l.w1, l.w2, y, hidden, x, 1);
      });
      this.norm(this.decLn, x, y, 1);
      this.apply(this.out, y, logits, 1);
      // Only real symbols or the end: <pad>, <bos> and the kernel's padding columns are never written.
      let best = EOS;
      for (let i = EOS + 1; i < vocab; i++) if ((f[logits + i] as number) > (f[logits + best] as number)) best = i;
      let sum = 0;
      for (let i = EOS; i < vocab; i++) sum += Math.exp((f[logits + i] as number) - (f[logits + best] as number));
      confidence = Math.min(confidence, 1 / sum);
      if (best === EOS) return { phonemes: out, confidence };
      out += this.header.tgtVocab[best] ?? '';
      prev = best;
    }
    // No end within 2n+5 symbols: a runaway guess.
    return { phonemes: out, confidence: 0 };
  }

  /** The encoder over the letters: the offset of n x d floats, after the final LayerNorm. */
  private encode(ids: readonly number[]): number {
    const heap = this.heap;
    const d = this.d;
    const n = ids.length;
    const x = heap.alloc(n * d);
    const y = heap.alloc(n * d);
    const q = heap.alloc(n * d);
    const k = heap.alloc(n * d);
    const v = heap.alloc(n * d);
    const a = heap.alloc(n * d);
    const hidden = heap.alloc(n * this.ffn);
    const scores = heap.alloc(n);
    const f = heap.f32;
    const scale = Math.sqrt(d);
    ids.forEach((id, t) => {
      for (let i = 0; i < d; i++) f[x + t * d + i] = (this.srcEmb[(id === PAD ? UNK : id) * d + i] as number) * scale + (this.pe[t * d + i] as number);
    });
    for (const l of this.enc) {
      this.norm(l.ln1, x, y, n);
      this.apply(l.att.q, y, q, n);
      this.apply(l.att.k, y, k, n);
      this.apply(l.att.v, y, v, n);
      for (let t = 0; t < n; t++) heap.attend(q + t * d, k, v, scores, a + t * d, n, d, this.heads);
      this.apply(l.att.o, a, x, n, 'add');
      this.norm(l.ln2, x, y, n);
      this.feedForward(l.w1, l.w2, y, hidden, x, n);
    }
    this.norm(this.encLn, x, y, n);
    return y;
  }

  /** The linear layer over n rows at x, into y (offsets in the heap); 'add': y += it, a residual connection. */
  private apply(l: Linear, x: number, y: number, n: number, output: LinearOutput = 'store'): void {
    this.heap.linear(l.w, l.b, x, y, n, l.inDim, l.outDim, output);
  }

  /** LayerNorm of n rows of d at x into y. */
  private norm(l: Norm, x: number, y: number, n: number): void {
    this.heap.layerNorm(x, y, l.w, l.b, n, this.d);
  }

  /** The feed-forward block over n rows, added to the residual stream: residual += W2 ReLU(W1 x). */
  private feedForward(w1: Linear, w2: Linear, x: number, hidden: number, residual: number, n: number): void {
    this.apply(w1, x, hidden, n, 'relu');
    this.apply(w2, hidden, residual, n, 'add');
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
