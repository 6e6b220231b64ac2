/** The neural G2P's SIMD kernels (src-shared/g2p/neural/wasm): their committed bytes and their arithmetic. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { assembleKernel, KERNEL_MODULE, KERNEL_TEXT, kernelModuleSource } from '../../scripts/g2p-model/assemble-kernels';
import { Mulberry32 } from '../../src-shared/kokoro/index';
import { KernelHeap } from '../../src-shared/g2p/neural/wasm/kernel-heap';

describe('G2P SIMD kernels', () => {
  it('are committed as WABT assembles kernels.wat (rerun npm run assemble:g2p-kernels after editing it)', async () => {
    const bytes = await assembleKernel(await readFile(KERNEL_TEXT, 'utf8'));
    expect(await readFile(KERNEL_MODULE, 'utf8')).toBe(kernelModuleSource(bytes));
  });

  it('computes b + xW for every row, output width and input width, as plain arithmetic does', () => {
    const random = new Mulberry32(3);
    const heap = new KernelHeap();
    // Output widths below, at and past the 16-wide blocks and their 4-wide tail; odd input widths.
    for (const outDim of [4, 8, 12, 16, 20, 28, 44, 128]) {
      for (const inDim of [1, 3, 8, 129]) {
        for (const n of [1, 3]) {
          const w = Float32Array.from({ length: inDim * outDim }, () => random.uniform() - 0.5);
          const b = Float32Array.from({ length: outDim }, () => random.uniform() - 0.5);
          const x = Float32Array.from({ length: n * inDim }, () => random.uniform() - 0.5);
          const wAt = heap.store(w);
          const bAt = heap.store(b);
          const xAt = heap.store(x);
          const yAt = heap.alloc(n * outDim);
          heap.linear(wAt, bAt, xAt, yAt, n, inDim, outDim);
          for (let t = 0; t < n; t++) {
            for (let o = 0; o < outDim; o++) {
              let sum = b[o] as number;
              for (let i = 0; i < inDim; i++) sum += (x[t * inDim + i] as number) * (w[i * outDim + o] as number);
              expect(heap.f32[yAt + t * outDim + o], `n ${n} in ${inDim} out ${outDim} at ${t},${o}`).toBeCloseTo(sum, 4);
            }
          }
        }
      }
    }
  });

  it('writes the ReLU of the sums, or adds them to what y holds (a residual), for single rows and pairs', () => {
    const random = new Mulberry32(9);
    const heap = new KernelHeap();
    for (const [n, inDim, outDim] of [[1, 5, 20], [2, 8, 32], [3, 4, 16]] as const) {
      const w = Float32Array.from({ length: inDim * outDim }, () => random.uniform() - 0.5);
      const b = Float32Array.from({ length: outDim }, () => random.uniform() - 0.5);
      const x = Float32Array.from({ length: n * inDim }, () => random.uniform() - 0.5);
      const residual = Float32Array.from({ length: n * outDim }, () => random.uniform() - 0.5);
      const [wAt, bAt, xAt] = [heap.store(w), heap.store(b), heap.store(x)];
      const plain = heap.alloc(n * outDim);
      const relu = heap.alloc(n * outDim);
      const added = heap.store(residual);
      heap.linear(wAt, bAt, xAt, plain, n, inDim, outDim);
      heap.linear(wAt, bAt, xAt, relu, n, inDim, outDim, 'relu');
      heap.linear(wAt, bAt, xAt, added, n, inDim, outDim, 'add');
      const sums = [...heap.f32.subarray(plain, plain + n * outDim)];
      expect(sums.some((v) => v < 0) && sums.some((v) => v > 0)).toBe(true);
      sums.forEach((sum, k) => {
        expect(heap.f32[relu + k]).toBe(Math.max(sum, 0));
        expect(heap.f32[added + k]).toBeCloseTo(sum + (residual[k] as number), 5);
      });
    }
  });

  it('normalises each row as torch\'s LayerNorm does, in place too', () => {
    const random = new Mulberry32(11);
    const heap = new KernelHeap();
    const [n, d] = [3, 12];
    const x = Float32Array.from({ length: n * d }, () => random.uniform() * 6 - 1);
    const g = Float32Array.from({ length: d }, () => random.uniform() + 0.5);
    const b = Float32Array.from({ length: d }, () => random.uniform() - 0.5);
    const [xAt, gAt, bAt] = [heap.store(x), heap.store(g), heap.store(b)];
    const y = heap.alloc(n * d);
    heap.layerNorm(xAt, y, gAt, bAt, n, d);
    heap.layerNorm(xAt, xAt, gAt, bAt, n, d);
    for (let t = 0; t < n; t++) {
      const row = [...x.subarray(t * d, t * d + d)];
      const mean = row.reduce((s, v) => s + v, 0) / d;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
      row.forEach((v, i) => {
        const want = ((v - mean) / Math.sqrt(variance + 1e-5)) * (g[i] as number) + (b[i] as number);
        expect(heap.f32[y + t * d + i]).toBeCloseTo(want, 5);
        expect(heap.f32[xAt + t * d + i]).toBe(heap.f32[y + t * d + i]);
      });
    }
  });

  it('attends as softmax(q.k / sqrt(dh)) v per head, for one key and for many', () => {
    const random = new Mulberry32(5);
    const heap = new KernelHeap();
    for (const [d, heads] of [[8, 2], [16, 1], [128, 4]] as const) {
      for (const len of [1, 2, 7, 40]) {
        const dh = d / heads;
        const q = Float32Array.from({ length: d }, () => random.uniform() * 4 - 2);
        const k = Float32Array.from({ length: len * d }, () => random.uniform() * 4 - 2);
        const v = Float32Array.from({ length: len * d }, () => random.uniform() * 4 - 2);
        const [qAt, kAt, vAt] = [heap.store(q), heap.store(k), heap.store(v)];
        const scratch = heap.alloc(len);
        const out = heap.alloc(d);
        heap.attend(qAt, kAt, vAt, scratch, out, len, d, heads);
        for (let h = 0; h < heads; h++) {
          const scores = Array.from({ length: len }, (_, j) => {
            let s = 0;
            for (let i = 0; i < dh; i++) s += (q[h * dh + i] as number) * (k[j * d + h * dh + i] as number);
            return s / Math.sqrt(dh);
          });
          const max = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - max));
          const sum = e.reduce((a, b) => a + b, 0);
          for (let i = 0; i < dh; i++) {
            const want = e.reduce((acc, w, j) => acc + (w / sum) * (v[j * d + h * dh + i] as number), 0);
            expect(heap.f32[out + h * dh + i], `d ${d} heads ${heads} len ${len} head ${h} [${i}]`).toBeCloseTo(want, 4);
          }
        }
      }
    }
  });

  it('gives a key far below the best no weight at all, and a NaN query NaN rather than an error', () => {
    const heap = new KernelHeap();
    // One head of 4: scores 0 and -200 (e^-200 is below float32: the kernel's cut-off).
    const q = heap.store([1, 0, 0, 0]);
    const k = heap.store([0, 0, 0, 0, -400, 0, 0, 0]);
    const v = heap.store([1, 2, 3, 4, 50, 60, 70, 80]);
    const scratch = heap.alloc(2);
    const out = heap.alloc(4);
    heap.attend(q, k, v, scratch, out, 2, 4, 1);
    expect([...heap.f32.subarray(out, out + 4)]).toEqual([1, 2, 3, 4]);
    heap.f32[q] = Number.NaN;
    expect(() => heap.attend(q, k, v, scratch, out, 2, 4, 1)).not.toThrow();
    expect(Number.isNaN(heap.f32[out])).toBe(true);
  });

  it('keeps what it holds when its memory grows past the first page', () => {
    const heap = new KernelHeap();
    const first = heap.store([1, 2, 3, 4]);
    const before = heap.f32;
    const big = heap.alloc(200_000);
    // The old view is detached (length 0): callers must read heap.f32 after their last alloc.
    expect(before.length).toBe(0);
    expect(heap.f32.length).toBeGreaterThan(big + 200_000);
    expect([...heap.f32.subarray(first, first + 4)]).toEqual([1, 2, 3, 4]);
    heap.f32.fill(5, big, big + 200_000);
    // Identity weights: y = x.
    const w = heap.store([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const zero = heap.store([0, 0, 0, 0]);
    const y = heap.alloc(4);
    heap.linear(w, zero, big + 199_996, y, 1, 4, 4);
    expect([...heap.f32.subarray(y, y + 4)]).toEqual([5, 5, 5, 5]);
  });
});
