/**
 * 1-D resampling with the index arithmetic of PyTorch's CPU F.interpolate
 * (align_corners=False, a scale_factor given and not recomputed). The arithmetic is float32
 * there, and Math.fround reproduces it, so indices and weights match torch's bit for bit.
 */

const f32 = Math.fround;

/** Output length torch computes for a scale factor: floor(inputSize * scale) in double. */
export function interpolatedLength(inputSize: number, scaleFactor: number): number {
  return Math.floor(inputSize * scaleFactor);
}

/** Source index of `mode='nearest'`: floor(dst * (float)(1 / scale)), clamped to the input. */
export function nearestSourceIndices(inputSize: number, scaleFactor: number): Int32Array {
  const outSize = interpolatedLength(inputSize, scaleFactor);
  const out = new Int32Array(outSize);
  if (outSize === inputSize) {
    for (let j = 0; j < outSize; j++) out[j] = j;
    return out;
  }
  if (outSize === 2 * inputSize) {
    for (let j = 0; j < outSize; j++) out[j] = j >> 1;
    return out;
  }
  const scale = f32(1 / scaleFactor);
  const last = inputSize - 1;
  for (let j = 0; j < outSize; j++) {
    const i = Math.floor(f32(j * scale));
    out[j] = i < last ? i : last;
  }
  return out;
}

/** Per output sample: the two source indices and their weights (float32 values). */
export interface LinearWeights {
  length: number;
  index0: Int32Array;
  index1: Int32Array;
  lambda0: Float32Array;
  lambda1: Float32Array;
}

/** Indices and weights of `mode='linear', align_corners=False` for a scale factor. */
export function linearWeights(inputSize: number, scaleFactor: number): LinearWeights {
  const length = interpolatedLength(inputSize, scaleFactor);
  const index0 = new Int32Array(length);
  const index1 = new Int32Array(length);
  const lambda0 = new Float32Array(length);
  const lambda1 = new Float32Array(length);
  const last = inputSize - 1;
  if (length === inputSize) {
    for (let j = 0; j < length; j++) {
      index0[j] = j;
      index1[j] = j;
      lambda0[j] = 1;
    }
    return { length, index0, index1, lambda0, lambda1 };
  }
  // torch: ratio = (float)(1.0 / scale_factor); src = ratio * (dst + 0.5) - 0.5, at least 0.
  const ratio = f32(1 / scaleFactor);
  for (let j = 0; j < length; j++) {
    let src = f32(f32(ratio * f32(j + 0.5)) - 0.5);
    if (src < 0) src = 0;
    let i0 = Math.floor(src);
    if (i0 > last) i0 = last;
    let l1 = src - i0;
    if (l1 < 0) l1 = 0;
    else if (l1 > 1) l1 = 1;
    index0[j] = i0;
    index1[j] = i0 < last ? i0 + 1 : i0;
    lambda1[j] = l1;
    lambda0[j] = 1 - l1;
  }
  return { length, index0, index1, lambda0, lambda1 };
}
